"""``GET /__admin/openapi.json``: the admin API described by OpenAPI 3, built from the route table."""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from aiohttp import web

from sandbox import __version__
from sandbox.admin.guard import OPEN_ROUTES
from sandbox.admin.table import PREFIX, AdminRoute

Schema = dict[str, Any]
_PATH_PARAM = re.compile(r"\{([^}]+)\}")

_ERROR: Schema = {
    "type": "object",
    "properties": {"error": {"type": "string"}},
    "required": ["error"],
}
_COUNTS = {"type": "integer", "minimum": 0}

#: What the route table does not declare itself: bodies and answers of the core routes, by route name.
DETAILS: dict[str, dict[str, Any]] = {
    "health": {
        "response": {
            "type": "object",
            "properties": {
                "status": {"const": "ok"},
                "version": {"type": "string"},
                "ninja_version": {"const": "4.5.50"},
                "data": {"type": "string"},
                "fixtures": {"type": "string"},
                "seed": {"type": "integer"},
                "namespace": {"type": ["string", "null"]},
            },
            "required": ["status", "version", "ninja_version", "data", "fixtures", "seed", "namespace"],
        },
    },
    "reset": {
        "request": {
            "type": "object",
            "properties": {
                "seed": {"type": "integer"},
                "fixtures": {"type": "string", "description": "a bundled dataset name or a dataset file"},
                "dataset": {"type": "string", "description": "another name for `fixtures`"},
            },
        },
        "response": {
            "type": "object",
            "properties": {
                "reset": {"const": True},
                "fixtures": {"type": "string"},
                "seed": {"type": "integer"},
            },
            "required": ["reset", "fixtures", "seed"],
        },
    },
    "list_errors": {
        "response": {
            "type": "object",
            "properties": {
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "time": {"type": "number"},
                            "method": {"type": "string"},
                            "path": {"type": "string"},
                            "traceback": {"type": "string"},
                        },
                    },
                },
                "total": _COUNTS,
                "dropped": _COUNTS,
            },
            "required": ["errors", "total", "dropped"],
        },
    },
    "clear_errors": {"response": {"type": "object", "properties": {"cleared": {"const": True}}}},
    "openapi": {
        "response": {
            "type": "object",
            "properties": {"openapi": {"type": "string"}},
            "required": ["openapi", "paths"],
        },
    },
    "message_html": {"media_type": "text/html"},
    "message_text": {"media_type": "text/plain"},
    "get_attachment": {"media_type": "application/octet-stream"},
}


def _detail(route: AdminRoute, key: str) -> Any:
    declared = getattr(route, key)
    if key == "media_type":
        return DETAILS.get(route.name, {}).get(key, declared)
    return declared if declared is not None else DETAILS.get(route.name, {}).get(key)


def _operation(route: AdminRoute) -> Schema:
    doc = inspect.getdoc(route.handler) or route.summary
    parameters: list[Schema] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAM.findall(route.path)
    ]
    parameters.append({"$ref": "#/components/parameters/Namespace"})
    media_type: str = _detail(route, "media_type")
    response_schema: Mapping[str, Any] | None = _detail(route, "response")
    success: Schema = {"description": route.summary, "content": {media_type: {}}}
    if media_type == "application/json":
        success["content"][media_type] = {"schema": dict(response_schema or {})}
    operation: Schema = {
        "operationId": route.name,
        "summary": route.summary,
        "description": doc,
        "parameters": parameters,
        "responses": {
            "2XX": success,
            "4XX": {"$ref": "#/components/responses/Error"},
            "500": {"$ref": "#/components/responses/Error"},
        },
    }
    if f"admin.{route.name}" in OPEN_ROUTES:
        operation["security"] = [{}]
    if route.method in ("POST", "PUT", "PATCH"):
        request_schema: Mapping[str, Any] | None = _detail(route, "request")
        content_type = "application/json-patch+json" if route.method == "PATCH" else "application/json"
        operation["requestBody"] = {
            "required": False,
            "content": {content_type: {"schema": dict(request_schema or {})}},
        }
    return operation


def build_admin_document(routes: tuple[AdminRoute, ...] | None = None) -> Schema:
    """The admin API's OpenAPI 3.1 document (default: the app's ``ADMIN_ROUTES``)."""
    if routes is None:
        from sandbox.admin.routes import ADMIN_ROUTES

        routes = ADMIN_ROUTES
    paths: dict[str, dict[str, Schema]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ninja-sandbox admin API",
            "version": __version__,
            "description": "Controls and inspects the sandbox: state, journal, clock, faults, outbox, "
            "webhooks. "
            'Answers are compact JSON; errors are `{"error": message}`.',
        },
        "servers": [{"url": PREFIX}],
        "security": [{}, {"AdminToken": []}, {"AdminBearer": []}, {"AdminBasic": []}],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": _ERROR,
            },
            "responses": {
                "Error": {
                    "description": 'An admin error: `{"error": message}`.',
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
            },
            "parameters": {
                "Namespace": {
                    "name": "X-Sandbox-Namespace",
                    "in": "header",
                    "required": False,
                    "description": "Act on this namespace's isolated sandbox instead of the default one.",
                    "schema": {"type": "string"},
                },
            },
            "securitySchemes": {
                "AdminToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Sandbox-Admin-Token",
                    "description": "Needed only when the sandbox runs with `--admin-token` (401 without it; "
                    "`GET /health` stays open).",
                },
                "AdminBearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The admin token as `Authorization: Bearer <token>`.",
                },
                "AdminBasic": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "The admin token as the password of HTTP Basic (any user name).",
                },
            },
        },
    }


@cache
def _document_body() -> bytes:
    import orjson

    return orjson.dumps(build_admin_document())


async def admin_openapi(request: web.Request) -> web.Response:
    """``GET /__admin/openapi.json``: the OpenAPI 3 document of the admin API."""
    return web.Response(body=_document_body(), content_type="application/json")


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/openapi.json", admin_openapi, "openapi", "this API's OpenAPI 3 document"),
)
