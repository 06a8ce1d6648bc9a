"""OpenAPI 3 documents built from the route declarations: the v4 API's and the admin API's."""

from __future__ import annotations

import orjson
from aiohttp import web

#: The serialized v4 document, built on first request (the route table does not change at run time).
_api_document_key: web.AppKey[list[bytes]] = web.AppKey("sandbox_api_document", list)


async def api_docs(request: web.Request) -> web.Response:
    """``GET /api-docs``: the v4 API's OpenAPI 3.1 document (no token needed, not journaled)."""
    cache = request.app[_api_document_key]
    if not cache:
        from sandbox.openapi.document import build_api_document

        cache.append(orjson.dumps(build_api_document()))
    return web.Response(body=cache[0], content_type="application/json")


def add_api_docs_routes(app: web.Application) -> None:
    """Register ``/api-docs``: the v4 API's OpenAPI document, as v4 served its Swagger docs there."""
    app[_api_document_key] = []
    app.router.add_get("/api-docs", api_docs, name="api_docs")
