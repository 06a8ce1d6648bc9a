"""``/__admin/errors``: the unexpected exceptions the server met while answering API requests.

Each one was answered as v4's 500; the traceback kept here is what a test needs to see why. The
pytest plugin reads this after every test and fails the test with it. Reset forgets them.
"""

from __future__ import annotations

from aiohttp import web

from sandbox.admin.replies import json_response
from sandbox.admin.table import AdminRoute
from sandbox.namespaces import runtime_of


async def list_errors(request: web.Request) -> web.Response:
    """``GET /__admin/errors``: recorded exceptions, oldest first, with method, path and traceback."""
    errors = runtime_of(request).server_errors
    kept = errors.entries()
    return json_response({"errors": kept, "total": len(kept), "dropped": errors.dropped})


async def clear_errors(request: web.Request) -> web.Response:
    """``DELETE /__admin/errors``: forget the recorded exceptions."""
    runtime_of(request).server_errors.clear()
    return json_response({"cleared": True})


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/errors", list_errors, "list_errors", "unexpected server exceptions, oldest first"),
    AdminRoute("DELETE", "/errors", clear_errors, "clear_errors", "forget the recorded server exceptions"),
)
