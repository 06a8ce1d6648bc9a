"""``/__admin/namespaces``: the isolated copies of the sandbox opened so far (:mod:`sandbox.namespaces`)."""

from __future__ import annotations

from aiohttp import web

from sandbox.admin.replies import admin_error, json_response
from sandbox.admin.table import AdminRoute
from sandbox.keys import namespaces_key
from sandbox.namespaces import NamespaceError, check_name


async def list_namespaces(request: web.Request) -> web.Response:
    """``GET /__admin/namespaces``: every namespace opened so far, with its dataset, seed and journal size."""
    namespaces = request.app[namespaces_key]
    listed = []
    for name in namespaces.names():
        runtime = namespaces.find(name)
        if runtime is not None:
            listed.append(
                {
                    "name": name,
                    "fixtures": runtime.fixtures,
                    "seed": runtime.seed,
                    "data": runtime.settings.data,
                    "requests": len(runtime.journal.entries()),
                }
            )
    return json_response({"namespaces": listed, "total": len(listed), "limit": namespaces.limit})


async def delete_namespace(request: web.Request) -> web.Response:
    """``DELETE /__admin/namespaces/{name}``: close a namespace and forget its data."""
    name = request.match_info["name"]
    try:
        check_name(name)
    except NamespaceError as exc:
        return admin_error(400, str(exc))
    if not await request.app[namespaces_key].drop(name):
        return admin_error(404, f"no namespace named {name!r} has been used")
    return json_response({"deleted": name})


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/namespaces", list_namespaces, "list_namespaces", "namespaces opened so far"),
    AdminRoute(
        "DELETE",
        "/namespaces/{name}",
        delete_namespace,
        "delete_namespace",
        "close one, drop its data",
    ),
)
