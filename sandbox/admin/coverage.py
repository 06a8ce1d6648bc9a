"""``GET /__admin/coverage``: which v4 routes and error answers the journal has seen, and which not."""

from __future__ import annotations

from aiohttp import web

from sandbox.admin.replies import json_response
from sandbox.admin.table import AdminRoute


async def journal_coverage(request: web.Request) -> web.Response:
    """``GET /__admin/coverage``: v4 routes and error paths exercised by the journaled requests."""
    return json_response({})


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/coverage", journal_coverage, "coverage", "v4 routes and error paths the journal saw"),
)
