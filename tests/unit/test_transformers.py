"""Transformers against the reference: every field, in order, with its JSON type (v4-fields.json)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.reference import entity_fields

from sandbox.store import Store
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer, parse_includes, to_array, to_jsonapi
from sandbox.transform.invoices import INVITATION, INVOICE, INVOICE_ITEM

JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "timestamp|null": (int, type(None)),
    "date|empty": (str,),
    "datetime|empty": (str,),
    "string|null": (str, type(None)),
}


def _store() -> Store:
    state: dict[str, Any] = {
        "accounts": {"1": {"account_key": "k" * 32, "name": "A"}},
        "users": {"1": {"account_id": 1, "public_id": 0, "email": "u@example.com"}},
        "clients": {"1": {"account_id": 1, "public_id": 1, "user_id": 1, "name": "C", "updated_at": 5}},
        "invoices": {
            "1": {
                "account_id": 1,
                "public_id": 1,
                "user_id": 1,
                "client_id": 1,
                "invoice_number": "0001",
                "invoice_type_id": 1,
                "amount": 10.5,
                "balance": 10.0,
                "po_number": "",
                "terms": "",
                "invoice_date": "2026-01-02",
                "updated_at": 7,
                "deleted_at": None,
            }
        },
        "invoice_items": {
            "1": {
                "account_id": 1,
                "public_id": 1,
                "invoice_id": 1,
                "product_key": "ITEM",
                "notes": "n",
                "cost": 10,
                "qty": 1,
                "invoice_item_type_id": 1,
                "updated_at": 7,
                "deleted_at": None,
            }
        },
        "invitations": {
            "1": {
                "account_id": 1,
                "public_id": 1,
                "invoice_id": 1,
                "invitation_key": "i" * 32,
                "sent_date": None,
            }
        },
    }
    return Store(state)


def _context(store: Store, includes: str = "", json_api: bool = False) -> Context:
    account = store.get("accounts", 1)
    assert account is not None
    return Context(
        store=store,
        account=account,
        user=store.get("users", 1),
        includes=parse_includes(includes),
        json_api=json_api,
        base_url="http://sandbox.test",
    )


def _assert_shape(data: dict[str, Any], entity: str, extra: list[str]) -> None:
    fields = [(name, kind) for name, kind in entity_fields(entity) if kind != "int|optional"]
    assert list(data) == [name for name, _ in fields] + extra
    for name, kind in fields:
        assert isinstance(data[name], JSON_TYPES[kind]), (name, kind, data[name])


@pytest.mark.parametrize(
    ("transformer", "table", "entity", "extra"),
    [
        (INVOICE, "invoices", "invoice", ["invoice_items"]),
        (INVOICE_ITEM, "invoice_items", "invoice_item", []),
        (INVITATION, "invitations", "invitation", []),
    ],
)
def test_transformer_fields_match_the_reference(
    transformer: Transformer, table: str, entity: str, extra: list[str]
) -> None:
    store = _store()
    record = store.get(table, 1)
    assert record is not None
    _assert_shape(to_array(_context(store), transformer, record), entity, extra)


def test_invoice_prints_integral_floats_as_integers_and_names_its_file() -> None:
    store = _store()
    record = store.get("invoices", 1)
    assert record is not None
    data = to_array(_context(store), INVOICE, record)
    assert data["amount"] == 10.5
    assert data["balance"] == 10
    assert isinstance(data["balance"], int)
    assert data["filename"] == "Invoice_0001.pdf"
    assert data["invoice_items"][0]["product_key"] == "ITEM"


def test_invoice_includes_invitations_with_links_and_the_client_with_contacts() -> None:
    store = _store()
    record = store.get("invoices", 1)
    assert record is not None
    data = to_array(_context(store, "invitations,client"), INVOICE, record)
    assert list(data)[-3:] == ["invoice_items", "invitations", "client"]
    assert data["invitations"] == [
        {
            "id": 1,
            "key": "i" * 32,
            "link": "http://sandbox.test/view/" + "i" * 32,
            "sent_date": "",
            "viewed_date": "",
        }
    ]
    assert data["client"]["name"] == "C"
    assert data["client"]["contacts"] == []


def test_invoice_in_json_api_side_loads_its_items() -> None:
    store = _store()
    record = store.get("invoices", 1)
    assert record is not None
    body = to_jsonapi(_context(store, json_api=True), INVOICE, record)
    assert body["data"]["type"] == "invoice"
    assert body["data"]["id"] == "1"
    assert "id" not in body["data"]["attributes"]
    assert body["data"]["relationships"] == {"invoice_items": {"data": [{"type": "invoice_item", "id": "1"}]}}
    assert [(o["type"], o["id"]) for o in body["included"]] == [("invoice_item", "1")]
