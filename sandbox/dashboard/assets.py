"""The dashboard's assets (stylesheet, script, icon), read from the package once, served from memory."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

from aiohttp import web

TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Asset:
    """One file: its bytes, its type and an ETag for revalidation."""

    body: bytes
    content_type: str
    etag: str


assets_key: web.AppKey[dict[str, Asset]] = web.AppKey("sandbox_dashboard_assets", dict)


def load_assets() -> dict[str, Asset]:
    """Every file of the package's ``static`` folder, by name."""
    found: dict[str, Asset] = {}
    for item in resources.files("sandbox.dashboard").joinpath("static").iterdir():
        suffix = "." + item.name.rpartition(".")[2]
        if item.is_file() and suffix in TYPES:
            body = item.read_bytes()
            found[item.name] = Asset(body, TYPES[suffix], f'"{hashlib.sha256(body).hexdigest()[:16]}"')
    return found


def _answer(request: web.Request, asset: Asset) -> web.Response:
    headers = {"ETag": asset.etag, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    if request.headers.get("If-None-Match") == asset.etag:
        return web.Response(status=304, headers=headers)
    return web.Response(body=asset.body, content_type=asset.content_type, headers=headers)


async def get_asset(request: web.Request) -> web.StreamResponse:
    """``GET /assets/{name}``: a stylesheet, script or icon of the dashboard."""
    asset = request.app[assets_key].get(request.match_info["name"])
    if asset is None:
        raise web.HTTPNotFound()
    return _answer(request, asset)


async def favicon(request: web.Request) -> web.StreamResponse:
    """``GET /favicon.ico``: the icon, for browsers that ask for it by that name."""
    return _answer(request, request.app[assets_key]["favicon.svg"])
