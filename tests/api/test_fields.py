"""Every entity's keys, their order and their JSON types, against v4-fields.json, in both serializers.

Each case names a request that shows the entity and where in the body it sits: the array serializer's
``data`` (or a nested include) and, for ``serializer=json``, the JSON-API resource of that type
(``id`` as a string, the other fields under ``attributes``, includes under ``relationships``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from helpers.reference import entity_fields, includes_of, wrong_types

Json = Any


@dataclass(frozen=True)
class Case:
    """One entity and the request that shows it."""

    entity: str
    method: str
    path: str
    params: dict[str, str]
    pick: Callable[[Json], dict[str, Any]]
    body: dict[str, Any] | None = None
    created: bool = False  # a create response, which adds ``user_id`` as v4 does
    json_api: bool = True
    json_type: str = ""  # the JSON-API ``type`` when it is not the entity's name

    @property
    def resource_type(self) -> str:
        """The JSON-API ``type`` of the entity."""
        return self.json_type or self.entity


def _data(body: Json) -> dict[str, Any]:
    data = body["data"]
    return data[0] if isinstance(data, list) else data


def _nested(name: str) -> Callable[[Json], dict[str, Any]]:
    def pick(body: Json) -> dict[str, Any]:
        value = _data(body)[name]
        return value[0] if isinstance(value, list) else value

    return pick


def _first_with(name: str) -> Callable[[Json], dict[str, Any]]:
    def pick(body: Json) -> dict[str, Any]:
        rows = [row for row in body["data"] if row.get(name)]
        assert rows, f"no row in the list has {name}"
        value = rows[0][name]
        return value[0] if isinstance(value, list) else value

    return pick


LOGIN = {"email": "user@example.com", "password": "password", "api_secret": "SECRET", "token_name": "fields"}

CASES = [
    Case("client", "GET", "/clients/1", {}, _data),
    Case("contact", "GET", "/contacts", {"per_page": "1"}, _data),
    Case("invoice", "GET", "/invoices/1", {}, _data),
    Case("invoice_item", "GET", "/invoices/1", {}, _nested("invoice_items")),
    Case("invitation", "GET", "/invoices", {"include": "invitations"}, _first_with("invitations")),
    Case("payment", "GET", "/payments", {"per_page": "1"}, _data),
    Case("credit", "GET", "/credits", {"per_page": "1"}, _data),
    Case("activity", "GET", "/clients/1", {"include": "activities"}, _nested("activities")),
    Case("product", "GET", "/products", {"per_page": "1"}, _data),
    Case("tax_rate", "GET", "/tax_rates", {"per_page": "1"}, _data),
    Case("payment_term", "GET", "/payment_terms", {"per_page": "1"}, _data),
    Case("task", "GET", "/tasks", {"per_page": "1"}, _data),
    Case("project", "GET", "/projects", {"per_page": "1"}, _data),
    Case("vendor", "GET", "/vendors", {"per_page": "1"}, _data),
    # VendorContactTransformer passes ENTITY_CONTACT to fractal: the JSON-API type is ``contact``.
    Case("vendor_contact", "GET", "/vendors", {}, _first_with("vendor_contacts"), json_type="contact"),
    Case("expense", "GET", "/expenses", {"per_page": "1"}, _data),
    Case("expense_category", "GET", "/expense_categories", {"per_page": "1"}, _data),
    Case("document", "GET", "/documents", {"per_page": "1"}, _data),
    Case("user", "GET", "/users", {}, _data),
    Case("account", "GET", "/accounts", {}, _data),
    Case("account_email_settings", "GET", "/accounts", {}, _nested("account_email_settings")),
    Case("user_account", "POST", "/login", {}, _data, body=LOGIN),
    Case("task_status", "POST", "/login", {"include": "task_statuses"}, _nested("task_statuses"), body=LOGIN),
    # ``subscribe`` answers the bare transformed subscription, with no ``data`` envelope.
    Case(
        "subscription",
        "POST",
        "/hooks",
        {},
        lambda body: dict(body),
        body={"event": "create_client", "target_url": "http://127.0.0.1:9/hook"},
        created=True,
        json_api=False,
    ),
    Case("dashboard", "GET", "/dashboard", {}, _data, json_api=False),
]


def _expected_keys(entity: str, shown: dict[str, Any], created: bool) -> list[str]:
    fields = entity_fields(entity)
    names = [name for name, kind in fields if kind != "int|optional" or created or name in shown]
    return names + [name for name in includes_of(entity) if name in shown]


def _call(api: httpx.Client, case: Case, params: dict[str, str]) -> httpx.Response:
    response = api.request(case.method, case.path, params={**case.params, **params}, json=case.body)
    assert response.status_code in (200, 201), response.text
    return response


@pytest.mark.parametrize("case", CASES, ids=[c.entity for c in CASES])
def test_array_serializer_matches_the_reference(api: httpx.Client, case: Case) -> None:
    shown = case.pick(_call(api, case, {}).json())
    assert list(shown) == _expected_keys(case.entity, shown, case.created)
    assert wrong_types(shown, entity_fields(case.entity)) == {}


JSON_API_CASES = [c for c in CASES if c.json_api]


@pytest.mark.parametrize("case", JSON_API_CASES, ids=[c.entity for c in JSON_API_CASES])
def test_json_api_serializer_matches_the_reference(api: httpx.Client, case: Case) -> None:
    plain = case.pick(_call(api, case, {}).json())
    # ``response()`` wraps fractal's JSON-API document in another ``data`` (reference §3.3).
    body = _call(api, case, {"serializer": "json"}).json()["data"]
    data = body["data"]
    resources = data if isinstance(data, list) else [data]
    candidates = [*resources, *body.get("included", [])]
    # Payment terms have no ``id`` field; the first resource of the type is the one picked above.
    wanted = str(plain["id"]) if "id" in plain else None
    matching = [r for r in candidates if r["type"] == case.resource_type and wanted in (None, r["id"])]
    assert matching, f"no {case.entity} resource with id {wanted} in the JSON-API body"
    resource = matching[0]
    attributes = resource["attributes"]
    assert (
        list(attributes)
        == [k for k in _expected_keys(case.entity, plain, case.created) if k != "id"][: len(attributes)]
    )
    assert [k for k in plain if k not in includes_of(case.entity) and k != "id"] == list(attributes)
    assert wrong_types(attributes, entity_fields(case.entity)) == {}
    for name in includes_of(case.entity):
        if name in plain:
            assert name in resource.get("relationships", {}), name
