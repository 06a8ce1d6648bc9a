"""The OpenAPI 3.1 document of the v4 API, built from the app's route table (``api_routes()``).

Each route's summary is the upstream controller action from ``UPSTREAM_ROUTES``; links between
operations (a created record's id into its show, update and delete, a new client into an invoice)
let a stateful client follow the API the way an integration does.
"""

from __future__ import annotations

import copy
from typing import Any

from sandbox.api import api_routes
from sandbox.api.coverage import route_key
from sandbox.api.routing import PREFIX, ApiRoute
from sandbox.api.upstream import UPSTREAM_ROUTES
from sandbox.errors import VERSION
from sandbox.openapi import operations, parameters, responses, schemas

Document = dict[str, Any]

DESCRIPTION = (
    "The REST API of Invoice Ninja v4.5.50 as ninja-sandbox serves it: every route of `routes/api.php` "
    "with its parameters, bodies and answers, errors included (v4 answers several errors with HTML or a "
    "redirect, depending on `X-Requested-With` and `Accept`). Entity schemas list the transformers' "
    "fields in order with their JSON types. Undocumented upstream parameters that reshape every answer "
    "(`index`) are left out."
)
SECURITY_SCHEMES = {
    "NinjaToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Ninja-Token",
        "description": "An API token of the account (the demo account's is `TOKEN`).",
    },
    "NinjaSecret": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Ninja-Secret",
        "description": "The API secret (`--api-secret`, default `SECRET`): login, register, oauth_login, "
        "ios_subscription_status, and ping without a token. Also read from an `api_secret` input.",
    },
}


def _item_param(routes: dict[str, ApiRoute], name: str) -> str | None:
    route = routes.get(name)
    if route is None or "{" not in route.path:
        return None
    return route.path.split("{", 1)[1].split("}", 1)[0]


def _links(routes: dict[str, ApiRoute]) -> dict[tuple[str, str], dict[str, Any]]:
    """The links of each (operationId, status) response."""
    links: dict[tuple[str, str], dict[str, Any]] = {}

    def add(source: str, status: str, name: str, target: str, **spec: Any) -> None:
        if source in routes and target in routes:
            links.setdefault((source, status), {})[name] = {"operationId": target, **spec}

    segments = {name.rpartition(".")[0] for name in routes if name.endswith(".store")}
    for segment in sorted(segments):
        param = _item_param(routes, f"{segment}.show")
        if param is None:
            continue
        store, index = f"{segment}.store", f"{segment}.index"
        if segment == "payment_terms":
            add(
                store,
                "200",
                "DeleteByDays",
                f"{segment}.destroy",
                parameters={param: "$response.body#/data/num_days"},
            )
            continue
        for action in ("show", "update", "destroy"):
            title = action.capitalize()
            add(
                store,
                "200",
                f"{title}Created",
                f"{segment}.{action}",
                parameters={param: "$response.body#/data/id"},
            )
            add(
                index,
                "200",
                f"{title}First",
                f"{segment}.{action}",
                parameters={param: "$response.body#/data/0/id"},
            )
    client = "$response.body#/data/id"
    for target in ("contacts.store", "projects.store", "credits.store", "invoices.store", "tasks.store"):
        body: dict[str, Any] = {"client_id": client}
        if target == "credits.store":
            body["amount"] = 10
        add("clients.store", "200", f"{target.split('.')[0].capitalize()}ForClient", target, requestBody=body)
    invoice = "$response.body#/data/id"
    add(
        "invoices.store",
        "200",
        "PayInFull",
        "payments.store",
        requestBody={"invoice_id": invoice, "amount": "$response.body#/data/amount"},
    )
    add("invoices.store", "200", "Email", "email_invoice", requestBody={"id": invoice})
    add("invoices.store", "200", "Download", "download", parameters={"invoice_id": invoice})
    add(
        "hooks.subscribe",
        "201",
        "Unsubscribe",
        "hooks.unsubscribe",
        parameters={"subscription_id": "$response.body#/id"},
    )
    add(
        "vendors.store",
        "200",
        "ExpenseForVendor",
        "expenses.store",
        requestBody={"vendor_id": "$response.body#/data/id"},
    )
    add(
        "expense_categories.store",
        "200",
        "ExpenseInCategory",
        "expenses.store",
        requestBody={"expense_category_id": "$response.body#/data/id"},
    )
    add(
        "projects.store",
        "200",
        "TaskForProject",
        "tasks.store",
        requestBody={"project_id": "$response.body#/data/id"},
    )
    add(
        "tasks.store",
        "200",
        "StopTimer",
        "tasks.store",
        requestBody={"id": "$response.body#/data/id", "action": "stop"},
    )
    return links


def build_api_document(routes: list[ApiRoute] | None = None) -> Document:
    """The whole document (pass ``routes`` to describe another table; default: the app's)."""
    routes = api_routes() if routes is None else routes
    upstream = {route_key(u.method, u.path): u.action for u in UPSTREAM_ROUTES}
    by_id = {operations.operation_id(route): route for route in routes}
    links = _links(by_id)
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        operation = operations.build(route, upstream.get(route_key(route.method, route.path)))
        for status, response in operation["responses"].items():
            extra = links.get((operation["operationId"], status))
            if extra:
                operation["responses"][status] = {**copy.deepcopy(response), "links": extra}
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Invoice Ninja v4 API (ninja-sandbox)",
            "version": VERSION,
            "description": DESCRIPTION,
        },
        "servers": [{"url": PREFIX, "description": "this sandbox"}],
        "security": [{"NinjaToken": []}],
        "tags": [
            {"name": tag} for tag in dict.fromkeys(route.path.strip("/").split("/")[0] for route in routes)
        ],
        "paths": paths,
        "components": {
            "schemas": schemas.components(),
            "responses": responses.components(),
            "parameters": parameters.SHARED,
            "headers": responses.HEADERS,
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
