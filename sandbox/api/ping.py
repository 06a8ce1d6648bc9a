"""``/api/v1/ping`` (AccountApiController@ping)."""

from __future__ import annotations

from aiohttp import web

from sandbox import phpjson
from sandbox.api.call import get_call
from sandbox.api.routing import ApiRoute, Auth
from sandbox.errors import ServerError, api_response
from sandbox.models.php import truthy


async def ping(request: web.Request) -> web.Response:
    """``GET /api/v1/ping``: the bare text ``success`` (not JSON), or the user's email with ``v2``."""
    call = get_call(request)
    if truthy(call.input.get("v2")):
        if call.actor is None:
            raise ServerError()
        return api_response(phpjson.dumps({"data": call.actor.user["email"]}))
    return api_response(b"success")


ROUTES = [ApiRoute("GET", "/ping", ping, "ping", Auth.TOKEN_OR_SECRET)]
