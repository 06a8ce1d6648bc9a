"""The API's route table: every ``/api/v1`` route with how ``ApiCheck`` treats it.

Routes are declared as data so that the app, the 405 ``Allow`` header, OPTIONS answers and the
coverage report all read the same table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

from aiohttp import web

from sandbox.errors import ServerError

PREFIX = "/api/v1"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


class Auth(Enum):
    """What ``ApiCheck`` asks of a route."""

    TOKEN = "token"
    SECRET = "secret"  # login, register, oauth_login, ios_subscription_status
    TOKEN_OR_SECRET = "token_or_secret"  # ping


@dataclass(frozen=True)
class ApiRoute:
    """One method and path template under ``/api/v1``."""

    method: str
    path: str  # relative to /api/v1, e.g. "/clients/{clients}"
    handler: Handler
    name: str
    auth: Auth = Auth.TOKEN

    @property
    def template(self) -> str:
        """The full path template."""
        return PREFIX + self.path


async def missing_controller_method(request: web.Request) -> web.StreamResponse:
    """``GET /x/create`` and ``GET /x/{id}/edit``: no API controller has these methods, so v4 answers 500."""
    raise ServerError()


def resource_routes(segment: str, handlers: dict[str, Handler], param: str | None = None) -> list[ApiRoute]:
    """Laravel's ``Route::resource``: index, create, store, show, edit, update (PUT and PATCH), destroy.

    ``create`` and ``edit`` are registered as v4 registers them (before ``show``, so ``/x/create``
    is not read as an id) and answer v4's 500.
    """
    param = param or segment
    item = f"/{segment}/{{{param}}}"
    table = {
        "index": ("GET", f"/{segment}"),
        "create": ("GET", f"/{segment}/create"),
        "store": ("POST", f"/{segment}"),
        "show": ("GET", item),
        "edit": ("GET", f"{item}/edit"),
        "update": ("PUT", item),
        "destroy": ("DELETE", item),
    }
    handlers = {"create": missing_controller_method, "edit": missing_controller_method, **handlers}
    routes = []
    for action, (method, path) in table.items():
        if action in handlers:
            routes.append(ApiRoute(method, path, handlers[action], f"{segment}.{action}"))
            if action == "update":
                routes.append(ApiRoute("PATCH", path, handlers[action], f"{segment}.update"))
    return routes


def allowed_methods(methods: set[str]) -> list[str]:
    """Methods in Laravel's order, with HEAD wherever GET is."""
    if "GET" in methods:
        methods = methods | {"HEAD"}
    return [m for m in METHOD_ORDER if m in methods]


def add_routes(app: web.Application, routes: list[ApiRoute]) -> None:
    """Register the routes on the app's router."""
    for route in routes:
        app.router.add_route(route.method, route.template, route.handler, name=f"{route.name}.{route.method}")
