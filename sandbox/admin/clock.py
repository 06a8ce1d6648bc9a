"""``/__admin/clock``: the sandbox's time, which can be frozen and advanced."""

from __future__ import annotations

import orjson
from aiohttp import web

from sandbox.admin.replies import admin_error, json_response
from sandbox.admin.table import AdminRoute
from sandbox.namespaces import runtime_of


async def get_clock(request: web.Request) -> web.Response:
    """``GET /__admin/clock``: the sandbox's time and whether it is frozen."""
    clock = runtime_of(request).clock
    return json_response({"now": clock.now(), "frozen": clock.frozen})


async def set_clock(request: web.Request) -> web.Response:
    """``POST /__admin/clock``: ``{"advance": seconds}``, ``{"freeze": true|unix}``, ``{"freeze": false}``."""
    clock = runtime_of(request).clock
    try:
        options = orjson.loads(await request.read() or b"{}")
    except orjson.JSONDecodeError:
        return admin_error(400, "the body must be a JSON object")
    if not isinstance(options, dict):
        return admin_error(400, "the body must be a JSON object")
    advance = options.get("advance")
    freeze = options.get("freeze")
    if advance is not None and (isinstance(advance, bool) or not isinstance(advance, int | float)):
        return admin_error(400, "advance must be a number of seconds")
    if freeze is not None and not isinstance(freeze, bool | int | float):
        return admin_error(400, "freeze must be true, false or a unix time")
    if freeze is True:
        clock.freeze()
    elif freeze is False:
        clock.unfreeze()
    elif freeze is not None:
        clock.freeze(float(freeze))
    if advance is not None:
        clock.advance(float(advance))
    return json_response({"now": clock.now(), "frozen": clock.frozen})


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/clock", get_clock, "get_clock", "the sandbox's time"),
    AdminRoute("POST", "/clock", set_clock, "set_clock", "advance, freeze or unfreeze the sandbox's time"),
)
