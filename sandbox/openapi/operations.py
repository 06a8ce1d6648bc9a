"""One OpenAPI operation per ``ApiRoute``: parameters, request body and every answer the route gives.

Resource routes are described from their action (``clients.store`` is a create); the other routes
of ``routes/api.php`` each have their own entry in :data:`sandbox.openapi.special.SPECIAL`.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from sandbox.api.routing import ApiRoute, Auth
from sandbox.openapi import bodies
from sandbox.openapi import parameters as params
from sandbox.openapi.reference import enum_values
from sandbox.openapi.responses import HTML, ITEM, READ, WRITE, Response, errors, json_body
from sandbox.openapi.schemas import Schema, component_name, item_envelope, list_envelope, ref
from sandbox.openapi.special import SPECIAL

Operation = dict[str, Any]

SECURITY: dict[Auth, list[dict[str, list[str]]]] = {
    Auth.TOKEN: [{"NinjaToken": []}],
    Auth.SECRET: [{"NinjaSecret": []}],
    Auth.TOKEN_OR_SECRET: [{"NinjaToken": []}, {"NinjaSecret": []}],
}
_PATH_PARAM = re.compile(r"\{([^}]+)\}")


def operation_id(route: ApiRoute) -> str:
    """A unique id: the route's name, PATCH marked apart from PUT."""
    return f"{route.name}.patch" if route.method == "PATCH" else route.name


def _entity_ref(segment: str) -> Schema:
    return ref(component_name(params.SEGMENT_ENTITY[segment]))


def _item(segment: str, description: str) -> Response:
    return json_body(description, item_envelope(_entity_ref(segment)))


def _resource(route: ApiRoute, segment: str, action: str) -> Operation:
    """A ``Route::resource`` action of one resource."""
    entity = params.SEGMENT_ENTITY.get(segment)
    if action in ("create", "edit"):
        return {"responses": errors("403", "500")}
    assert entity is not None
    if action == "index":
        listing = json_body(
            "One page of rows, archived and deleted ones included.", list_envelope(_entity_ref(segment))
        )
        return {"parameters": params.list_parameters(segment), "responses": {"200": listing, **errors(*READ)}}
    if action == "show":
        if segment == "documents":
            return {"responses": {"200": _document_file(), **errors("400", *ITEM)}}
        return {
            "parameters": params.item_parameters(segment),
            "responses": {
                "200": _item(segment, "The record, archived or deleted ones too."),
                **errors(*ITEM),
            },
        }
    if action == "store":
        return _store(segment)
    if action == "update":
        if segment in ("documents", "payment_terms"):
            return {"responses": errors("403", "405")}
        return {
            "parameters": [
                params.query(
                    "action",
                    bodies.action_property(("convert",) if segment == "invoices" else ()),
                    "An action instead of a save (§5); also read from the body.",
                ),
                *params.item_parameters(segment),
            ],
            "requestBody": bodies.json_request(bodies.update_body(segment), required=False),
            "responses": {
                "200": _item(segment, "The record as saved (or after the action)."),
                **errors(*WRITE),
            },
        }
    if action == "destroy":
        operation: Operation = {
            "responses": {"200": _item(segment, "The deleted record."), **errors(*WRITE)},
        }
        body = bodies.json_request(bodies.destroy_body(segment), required=False)
        if body is not None:
            operation["requestBody"] = body
        return operation
    raise KeyError(f"unknown resource action {route.name}")


def _store(segment: str) -> Operation:
    ok = _item(segment, "The new record (200, not 201); `user_id` shows on creates.")
    if segment == "documents":
        upload = {"multipart/form-data": {"schema": bodies.DOCUMENT_UPLOAD}}
        return {
            "requestBody": {"required": True, "content": upload},
            "responses": {"200": ok, **errors("400", "403", "404")},
        }
    if segment == "invoices":
        ok = {
            **ok,
            "description": "The new invoice; the PDF with `download_invoice`; with an `email` that matches "
            "no client and is not a valid address, the bare text `The email format is invalid.` as HTML.",
            "content": {**ok["content"], "application/pdf": {}, HTML: {}},
        }
    return {
        "requestBody": bodies.json_request(bodies.create_body(segment)),
        "responses": {"200": ok, **errors(*WRITE)},
    }


def _document_file() -> Response:
    return {
        "description": "The file itself, with its MIME type and `Content-Disposition`.",
        "content": {mime: {} for mime in dict.fromkeys(enum_values("document_types"))},
    }


def build(route: ApiRoute, controller_action: str | None) -> Operation:
    """The OpenAPI operation of one route."""
    if route.name in SPECIAL:
        operation = SPECIAL[route.name]
    else:
        segment, _, action = route.name.rpartition(".")
        operation = _resource(route, segment, action)
    path_params = [
        params.path_parameter(name, "The public id (for `/payment_terms/{id}` DELETE: `num_days`).")
        for name in _PATH_PARAM.findall(route.path)
    ]
    doc = inspect.getdoc(route.handler) or ""
    first_line = doc.splitlines()[0] if doc else route.name
    result: Operation = {
        "operationId": operation_id(route),
        "tags": [route.path.strip("/").split("/")[0]],
        "summary": controller_action or route.name,
        "description": first_line,
        "security": SECURITY[route.auth],
        "parameters": [
            *path_params,
            *[p for p in operation.get("parameters", []) if p],
            params.shared("XRequestedWith"),
        ],
    }
    if operation.get("requestBody"):
        result["requestBody"] = operation["requestBody"]
    result["responses"] = operation["responses"]
    return result
