"""``GET /api-docs`` and ``GET /__admin/openapi.json``: valid OpenAPI 3.1, every route, nothing else."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema_rs
import pytest
import schemathesis
from helpers.reference import REFERENCE, entity_fields, includes_of

from sandbox import SandboxServer
from sandbox.admin.routes import ADMIN_ROUTES
from sandbox.api import api_routes
from sandbox.api.upstream import UPSTREAM_ROUTES
from sandbox.client import AdminClient
from sandbox.openapi import reference
from sandbox.openapi.document import build_api_document
from sandbox.openapi.schemas import ENTITIES, component_name

METHODS = ("get", "post", "put", "patch", "delete")


def operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (METHOD, full path) the document describes."""
    prefix = document["servers"][0]["url"]
    return {
        (method.upper(), prefix + path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }


def app_routes(server: SandboxServer, prefix: str) -> set[tuple[str, str]]:
    """Every (METHOD, path template) the running app serves under ``prefix`` (HEAD goes with GET)."""
    assert server.app is not None
    return {
        (route.method, route.resource.canonical)
        for route in server.app.router.routes()
        if route.resource is not None
        and route.resource.canonical.startswith(prefix + "/")
        and route.method not in ("HEAD", "OPTIONS")
    }


def test_api_docs_answers_the_document_without_a_token(base_url: str) -> None:
    response = httpx.get(f"{base_url}/api-docs")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    document = response.json()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["version"] == "4.5.50"
    assert document["servers"] == [{"url": "/api/v1", "description": "this sandbox"}]
    assert document["components"]["securitySchemes"]["NinjaToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Ninja-Token",
        "description": "An API token of the account (the demo account's is `TOKEN`).",
    }


def test_api_docs_is_not_journaled(base_url: str, admin: httpx.Client) -> None:
    assert httpx.get(f"{base_url}/api-docs").status_code == 200
    journal = admin.get("/requests").json()
    assert journal["total"] == 0
    assert journal["requests"] == []


def test_api_document_is_valid_openapi(base_url: str) -> None:
    document = httpx.get(f"{base_url}/api-docs").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()
    assert len(list(schema.get_all_operations())) == 140
    for name, component in document["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(component), name


def test_api_document_has_every_route_of_the_app_and_nothing_else(server: SandboxServer) -> None:
    document = httpx.get(server.url_for("/api-docs")).json()
    served = app_routes(server, "/api/v1")
    assert operations(document) == served
    assert len(served) == 140


def test_every_operation_names_its_upstream_controller_action() -> None:
    document = build_api_document()
    actions = {route.action for route in UPSTREAM_ROUTES}
    summaries = {op["summary"] for item in document["paths"].values() for op in item.values()}
    assert summaries == actions
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)) == len(api_routes())


def test_resource_routes_document_their_bodies_errors_and_list_parameters() -> None:
    paths = build_api_document()["paths"]
    store = paths["/payments"]["post"]
    body = store["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["invoice_id", "amount"]
    assert set(store["responses"]) == {"200", "302", "400", "403", "404", "422"}
    listing = {p.get("name") or p["$ref"].rsplit("/", 1)[1] for p in paths["/invoices"]["get"]["parameters"]}
    assert {"Page", "PerPage", "UpdatedAt", "FilterActive", "ClientId", "include", "Serializer"} <= listing
    assert {"invoice_number", "status_id", "is_recurring", "invoice_type_id"} <= listing
    assert set(paths["/clients/create"]["get"]["responses"]) == {"403", "500"}
    assert set(paths["/hooks"]["post"]["responses"]) >= {"201", "500"}
    assert paths["/ping"]["get"]["security"] == [{"NinjaToken": []}, {"NinjaSecret": []}]
    assert paths["/login"]["post"]["security"] == [{"NinjaSecret": []}]
    links = paths["/clients"]["post"]["responses"]["200"]["links"]
    assert links["ShowCreated"] == {
        "operationId": "clients.show",
        "parameters": {"clients": "$response.body#/data/id"},
    }


@pytest.mark.parametrize("entity", ENTITIES)
def test_entity_schemas_list_the_reference_fields_in_order(entity: str) -> None:
    schema = build_api_document()["components"]["schemas"][component_name(entity)]
    fields = entity_fields(entity)
    assert list(schema["properties"]) == [name for name, _ in fields] + list(includes_of(entity))
    assert schema["required"] == [name for name, kind in fields if not kind.endswith("|optional")]
    assert schema["additionalProperties"] is False


def test_shipped_field_shapes_equal_the_reference() -> None:
    document = json.loads((REFERENCE / "v4-fields.json").read_text(encoding="utf-8"))
    assert reference.extract(document) == reference.shipped()


def test_admin_openapi_answers_the_document(base_url: str, admin: httpx.Client) -> None:
    response = admin.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    document = response.json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "/__admin"}]
    schemathesis.openapi.from_dict(document).validate()
    assert AdminClient(base_url).openapi() == document


def test_admin_document_has_every_admin_route_and_nothing_else(
    server: SandboxServer, admin: httpx.Client
) -> None:
    document = admin.get("/openapi.json").json()
    assert operations(document) == app_routes(server, "/__admin")
    by_id = {op["operationId"]: op for item in document["paths"].values() for op in item.values()}
    assert {route.name: route.summary for route in ADMIN_ROUTES} == {
        name: op["summary"] for name, op in by_id.items()
    }
    reset = document["paths"]["/reset"]["post"]
    assert set(reset["requestBody"]["content"]["application/json"]["schema"]["properties"]) == {
        "seed",
        "fixtures",
        "dataset",
    }
    assert document["paths"]["/outbox/{id}/html"]["get"]["responses"]["2XX"]["content"] == {"text/html": {}}
    assert document["security"] == [{}, {"AdminToken": []}, {"AdminBearer": []}, {"AdminBasic": []}]
    assert document["paths"]["/health"]["get"]["security"] == [{}]  # open even with --admin-token


def test_admin_health_answer_conforms_to_its_documented_schema(admin: httpx.Client) -> None:
    document = admin.get("/openapi.json").json()
    schema = document["paths"]["/health"]["get"]["responses"]["2XX"]["content"]["application/json"]["schema"]
    jsonschema_rs.validate(schema, admin.get("/health").json())
