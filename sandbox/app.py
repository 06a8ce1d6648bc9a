"""``create_app(settings)``: the whole sandbox as one aiohttp application. Nothing happens at import."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from sandbox.admin import add_admin_routes
from sandbox.admin.guard import admin_guard_middleware
from sandbox.api import api_routes
from sandbox.api.routing import Auth
from sandbox.dashboard import add_dashboard_routes
from sandbox.keys import namespaces_key, route_auth_key, runtime_key, settings_key
from sandbox.middlewares import api_middleware, namespace_middleware
from sandbox.namespaces import Namespaces
from sandbox.openapi import add_api_docs_routes
from sandbox.runtime import Runtime
from sandbox.settings import Settings


async def _runtime_ctx(app: web.Application) -> AsyncIterator[None]:
    runtime = Runtime.open(app[settings_key])
    app[runtime_key] = runtime
    app[namespaces_key] = namespaces = Namespaces(runtime)
    yield
    await namespaces.close()


def create_app(settings: Settings | None = None) -> web.Application:
    """Build the application: API routes, admin routes, middlewares and the state's lifecycle."""
    settings = settings or Settings()
    app = web.Application(
        # The API middleware answers every /api/v1 request itself; the others serve the rest.
        middlewares=[api_middleware, admin_guard_middleware, namespace_middleware],
        client_max_size=settings.max_body_bytes,
    )
    app[settings_key] = settings
    route_auth: dict[str, Auth] = {}
    for route in api_routes():
        methods = [route.method, "HEAD"] if route.method == "GET" else [route.method]
        for method in methods:
            name = f"{route.name}.{method}"
            app.router.add_route(method, route.template, route.handler, name=name)
            route_auth[name] = route.auth
    app[route_auth_key] = route_auth
    add_admin_routes(app)
    add_api_docs_routes(app)
    add_dashboard_routes(app)
    app.cleanup_ctx.append(_runtime_ctx)
    return app
