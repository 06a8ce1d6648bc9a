"""The admin API under ``/__admin``: every noun's routes, declared once as data.

The admin client, the OpenAPI document and the docs read this same table.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from sandbox import __version__
from sandbox.admin import (
    clock,
    coverage,
    errors,
    faults,
    namespaces,
    openapi,
    outbox,
    requests,
    state,
    webhooks,
)
from sandbox.admin.replies import admin_error, json_response
from sandbox.admin.table import PREFIX, AdminRoute
from sandbox.namespaces import runtime_of, select
from sandbox.seed import DatasetError
from sandbox.store import StorageFailure


async def health(request: web.Request) -> web.Response:
    """``GET /__admin/health``: liveness, version and the data file in use."""
    runtime = runtime_of(request)
    return json_response(
        {
            "status": "ok",
            "version": __version__,
            "ninja_version": "4.5.50",
            "data": runtime.settings.data,
            "fixtures": runtime.fixtures,
            "seed": runtime.seed,
            "namespace": select(request).namespace or None,
        }
    )


async def reset(request: web.Request) -> web.Response:
    """``POST /__admin/reset``: back to the seeded state (optionally ``{"seed": n, "fixtures": name}``).

    ``dataset`` is accepted as another name for ``fixtures``.
    """
    runtime = runtime_of(request)
    options: Any = {}
    body = await request.read()
    if body.strip():
        try:
            options = orjson.loads(body)
        except orjson.JSONDecodeError:
            return admin_error(400, "the body must be a JSON object")
        if not isinstance(options, dict):
            return admin_error(400, "the body must be a JSON object")
    seed = options.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        return admin_error(400, "seed must be an integer")
    fixtures = options.get("fixtures")
    dataset = options.get("dataset")
    if fixtures is not None and dataset is not None and fixtures != dataset:
        return admin_error(400, "give fixtures or dataset (the same setting), not both")
    fixtures = dataset if fixtures is None else fixtures
    if fixtures is not None and not isinstance(fixtures, str):
        return admin_error(400, "fixtures (or dataset) must be a dataset name or path")
    try:
        runtime.reset(fixtures=fixtures, seed=seed)
    except DatasetError as exc:
        return admin_error(400, str(exc))
    except StorageFailure as exc:
        return admin_error(500, f"the data file could not be written: {exc}")
    return json_response({"reset": True, "fixtures": runtime.fixtures, "seed": runtime.seed})


ADMIN_ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/health", health, "health", "liveness, version and data file"),
    AdminRoute("POST", "/reset", reset, "reset", "back to the seeded state, journal emptied"),
    *state.ROUTES,
    *requests.ROUTES,
    *clock.ROUTES,
    *faults.ROUTES,
    *outbox.ROUTES,
    *webhooks.ROUTES,
    *errors.ROUTES,
    *namespaces.ROUTES,
    *coverage.ROUTES,
    *openapi.ROUTES,
)


def add_admin_routes(app: web.Application) -> None:
    """Register the admin routes on the app."""
    for route in ADMIN_ROUTES:
        app.router.add_route(route.method, PREFIX + route.path, route.handler, name=f"admin.{route.name}")
