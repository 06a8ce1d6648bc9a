"""Expenses (v4-api-behaviour.md §3, §4.11, §5, §7; Appendix A: no validation)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers.receiver import webhook_receiver
from helpers.reference import entity_fields, wrong_types

from sandbox.models.static_data import StaticData
from sandbox.seed import build_state

EXPENSE_FIELDS = entity_fields("expense")
FIELD_NAMES = [name for name, _ in EXPENSE_FIELDS if name != "user_id"]
NOT_FOUND = {"message": "record does not exist"}
JSON = {"Accept": "application/json"}
CREATE_EXPENSE, UPDATE_EXPENSE = 34, 47


def create(api: httpx.Client, **body: Any) -> dict[str, Any]:
    response = api.post("/expenses", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def every(api: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(path, params={"per_page": -1, **params})
    assert response.status_code == 200
    rows: list[dict[str, Any]] = response.json()["data"]
    return rows


# --- the seeded year and the shape ---------------------------------------------------------------------


def test_list_in_reference_shape_newest_update_first(api: httpx.Client) -> None:
    response = api.get("/expenses")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["pagination"]["total"] >= 20
    stamps = [row["updated_at"] for row in body["data"]]
    assert stamps == sorted(stamps, reverse=True)
    for row in body["data"]:
        assert list(row) == FIELD_NAMES
        assert wrong_types(row, EXPENSE_FIELDS) == {}


def test_seeded_expenses_are_consistent(api: httpx.Client) -> None:
    expenses = every(api, "/expenses")
    vendors = {row["id"] for row in every(api, "/vendors")}
    categories = {row["id"] for row in every(api, "/expense_categories")}
    clients = {row["id"] for row in every(api, "/clients")}
    invoices = {row["id"]: row for row in every(api, "/invoices")}
    assert {row["vendor_id"] for row in expenses} - {0} <= vendors
    assert {row["expense_category_id"] for row in expenses} - {0} <= categories
    assert {row["client_id"] for row in expenses} - {0} <= clients
    billed = [row for row in expenses if row["invoice_id"]]
    assert 1 <= len(billed) <= 4
    for row in billed:
        assert row["should_be_invoiced"] is True
        assert invoices[row["invoice_id"]]["client_id"] == row["client_id"]
    assert any(row["should_be_invoiced"] and not row["invoice_id"] for row in expenses)
    assert sum(1 for row in expenses if row["archived_at"] is not None) == 1
    assert all(row["expense_currency_id"] == 1 and row["exchange_rate"] == 1 for row in expenses)
    assert all(row["expense_date"] < "2026-01-01" for row in expenses)
    assert any(row["payment_date"] for row in expenses)


def test_show_and_not_found(api: httpx.Client) -> None:
    shown = api.get("/expenses/1")
    assert shown.status_code == 200
    assert list(shown.json()["data"]) == FIELD_NAMES
    assert api.get("/expenses/999").json() == NOT_FOUND
    assert api.get("/expenses/999").status_code == 404
    assert api.get("/expenses/0").json() == {"error": "Record not found"}


def test_client_id_filter_uses_the_public_id(api: httpx.Client) -> None:
    expense = create(api, client_id=2, amount=5)
    rows = every(api, "/expenses", client_id=2)
    assert expense["id"] in {row["id"] for row in rows}
    assert {row["client_id"] for row in rows} == {2}


def test_other_account_never_sees_these_expenses(api: httpx.Client, other_api: httpx.Client) -> None:
    create(api, public_notes="Mine only")
    theirs = every(other_api, "/expenses")
    assert "Mine only" not in {row["public_notes"] for row in theirs}
    mine = {row["account_key"] for row in every(api, "/expenses")}
    assert mine.isdisjoint({row["account_key"] for row in theirs})


# --- create --------------------------------------------------------------------------------------------


def test_empty_create_gets_v4_defaults_and_no_user_id(api: httpx.Client) -> None:
    data = create(api)
    assert list(data) == FIELD_NAMES
    assert data["id"] == len(every(api, "/expenses"))
    assert (data["amount"], data["exchange_rate"]) == (0, 1)
    assert (data["expense_currency_id"], data["invoice_currency_id"]) == (1, 1)
    assert (data["expense_date"], data["payment_date"], data["private_notes"]) == ("", "", "")
    assert (data["client_id"], data["vendor_id"], data["expense_category_id"], data["invoice_id"]) == (
        0,
        0,
        0,
        0,
    )
    assert data["is_owner"] is True
    assert data["is_deleted"] is False


def test_create_converts_ids_dates_and_amounts(api: httpx.Client) -> None:
    data = create(
        api,
        amount="1,234.565",
        exchange_rate="0.91234",
        expense_date="Jan 5, 2025",
        payment_date="2025-02-01",
        client_id="3",
        vendor_id=2,
        expense_category_id=1,
        expense_currency_id=3,
        tax_name1="VAT",
        tax_rate1="19",
        should_be_invoiced=True,
        public_notes="Parts",
        invoice_id=1,
        transaction_reference="ref-1",
    )
    assert data["amount"] == 1234.57
    assert data["exchange_rate"] == 0.9123
    assert (data["expense_date"], data["payment_date"]) == ("2025-01-05", "2025-02-01")
    assert (data["client_id"], data["vendor_id"], data["expense_category_id"]) == (3, 2, 1)
    assert (data["expense_currency_id"], data["invoice_currency_id"]) == (3, 1)
    assert (data["tax_name1"], data["tax_rate1"], data["should_be_invoiced"]) == ("VAT", 19, True)
    assert data["invoice_id"] == 0  # not fillable
    assert data["transaction_reference"] == "ref-1"


def test_ids_that_name_nothing_are_stored_as_none(api: httpx.Client) -> None:
    data = create(api, client_id=999, vendor_id=999, expense_category_id=999, expense_date="someday")
    assert (data["client_id"], data["vendor_id"], data["expense_category_id"]) == (0, 0, 0)
    assert data["expense_date"] == "0000-00-00"  # what MySQL's DATE column keeps of "someday"


def test_minus_one_creates_the_named_category_and_vendor(api: httpx.Client) -> None:
    categories = len(every(api, "/expense_categories"))
    vendors = len(every(api, "/vendors"))
    data = create(
        api,
        expense_category_id="-1",
        expense_category_name="  Couriers ",
        vendor_id=-1,
        vendor_name="Fast Post",
    )
    category = api.get(f"/expense_categories/{data['expense_category_id']}").json()["data"]
    assert (category["id"], category["name"]) == (categories + 1, "Couriers")
    vendor = api.get(f"/vendors/{data['vendor_id']}").json()["data"]
    assert (vendor["id"], vendor["name"]) == (vendors + 1, "Fast Post")
    assert [(c["first_name"], c["is_primary"]) for c in vendor["vendor_contacts"]] == [("", True)]


def test_minus_one_with_a_taken_or_missing_name_links_nothing(api: httpx.Client) -> None:
    categories = len(every(api, "/expense_categories"))
    vendors = len(every(api, "/vendors"))
    taken = api.get("/expense_categories/1").json()["data"]["name"]
    data = create(api, expense_category_id=-1, expense_category_name=taken.lower(), vendor_id=-1)
    assert (data["expense_category_id"], data["vendor_id"]) == (0, 0)
    assert len(every(api, "/expense_categories")) == categories
    assert len(every(api, "/vendors")) == vendors


def test_post_with_public_id_updates_and_misses_archived(api: httpx.Client) -> None:
    expense = create(api, amount=10, public_notes="first")
    updated = api.post("/expenses", json={"public_id": expense["id"], "public_notes": "second"})
    assert updated.status_code == 200
    assert (updated.json()["data"]["id"], updated.json()["data"]["public_notes"]) == (expense["id"], "second")
    assert updated.json()["data"]["amount"] == 10
    api.put(f"/expenses/{expense['id']}", params={"action": "archive"})
    archived = api.post("/expenses", json={"public_id": expense["id"], "amount": 1})
    assert archived.status_code == 404
    assert archived.json() == NOT_FOUND
    negative = api.post("/expenses", json={"public_id": -1})
    assert negative.status_code == 404
    assert negative.json() == NOT_FOUND


def test_a_value_no_column_can_hold_is_a_validation_error(api: httpx.Client) -> None:
    response = api.post("/expenses", json={"amount": [1], "document_ids": "1,2"}, headers=JSON)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "amount": ["The amount must be a number."],
        "document_ids": ["The document ids must be an array."],
    }


# --- update, actions, delete ---------------------------------------------------------------------------


def test_update_keeps_fields_but_resets_the_exchange_rate(api: httpx.Client) -> None:
    expense = create(api, amount=50, exchange_rate=1.5, public_notes="keep", vendor_id=1)
    response = api.put(f"/expenses/{expense['id']}", json={"private_notes": "changed"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert "user_id" not in data
    assert (data["amount"], data["public_notes"], data["vendor_id"]) == (50, "keep", 1)
    assert (data["private_notes"], data["exchange_rate"]) == ("changed", 1)
    cleared = api.put(f"/expenses/{expense['id']}", json={"vendor_id": 0, "expense_date": ""}).json()["data"]
    assert (cleared["vendor_id"], cleared["expense_date"]) == (0, "")


def test_update_of_a_deleted_expense_changes_nothing(api: httpx.Client) -> None:
    expense = create(api, amount=3)
    deleted = api.delete(f"/expenses/{expense['id']}")
    assert deleted.status_code == 200
    assert deleted.json()["data"]["is_deleted"] is True
    assert deleted.json()["data"]["archived_at"] is not None
    response = api.put(f"/expenses/{expense['id']}", json={"amount": 99})
    assert response.status_code == 200
    assert response.json()["data"] == deleted.json()["data"]


def test_actions_archive_restore_and_unsupported(api: httpx.Client) -> None:
    expense = create(api, amount=3)
    path = f"/expenses/{expense['id']}"
    archived = api.put(path, params={"action": "archive"})
    assert archived.status_code == 200
    assert archived.json()["data"]["archived_at"] is not None
    restored = api.put(path, json={"action": "restore"})
    assert restored.json()["data"]["archived_at"] is None
    bad = api.put(path, params={"action": "mark_paid"})
    assert bad.status_code == 400
    assert bad.json() == {"error": "Action [mark_paid] is not supported"}
    missing = api.put("/expenses/999", params={"action": "archive"})
    assert missing.status_code == 404
    assert missing.json() == NOT_FOUND


def test_activities_are_logged_for_the_client(api: httpx.Client) -> None:
    expense = create(api, client_id=4, amount=12)
    api.put(f"/expenses/{expense['id']}", json={"amount": 12})  # only the untouched defaults: no change
    api.put(f"/expenses/{expense['id']}", json={"amount": 13})
    activities = api.get("/clients/4", params={"include": "activities"}).json()["data"]["activities"]
    mine = [(a["activity_type_id"], a["adjustment"]) for a in activities if a["expense_id"] == expense["id"]]
    assert mine == [(UPDATE_EXPENSE, 0), (CREATE_EXPENSE, 0)]


# --- webhooks ------------------------------------------------------------------------------------------


def _subscribe(api: httpx.Client, event: str, url: str) -> None:
    assert api.post("/hooks", json={"event": event, "target_url": url}).status_code == 201


def test_create_update_and_delete_webhooks(api: httpx.Client, admin: httpx.Client) -> None:
    client_name = api.get("/clients/1").json()["data"]["display_name"]
    with webhook_receiver() as receiver:
        for event in ("create_expense", "update_expense", "delete_expense"):
            _subscribe(api, event, f"{receiver.url}/{event}")
        expense = create(api, client_id=1, amount=20)
        received = receiver.wait_for(1)
        api.put(f"/expenses/{expense['id']}", json={"amount": 20})  # nothing changed: no event
        assert [d["event"] for d in admin.get("/webhooks").json()["deliveries"]] == ["create_expense"]
        api.put(f"/expenses/{expense['id']}", json={"amount": 21})
        received = receiver.wait_for(2)
        api.delete(f"/expenses/{expense['id']}")
        received = receiver.wait_for(4)
    created = received[0].body
    assert received[0].path == "/create_expense"
    assert list(created) == [*(name for name, _ in EXPENSE_FIELDS), "client_name"]
    assert (created["user_id"], created["amount"], created["client_name"]) == (1, 20, client_name)
    assert (received[1].path, received[1].body["amount"]) == ("/update_expense", 21)
    assert "user_id" not in received[1].body
    assert sorted(r.path for r in received[2:]) == ["/delete_expense", "/update_expense"]
    assert all(r.body["is_deleted"] is True for r in received[2:])


# --- documents -----------------------------------------------------------------------------------------


def _document(doc_id: int, public_id: int, account_id: int, expense_id: int | None) -> dict[str, Any]:
    sha1 = f"{doc_id:040x}"
    return {
        "account_id": account_id,
        "user_id": 1,
        "public_id": public_id,
        "invoice_id": None,
        "expense_id": expense_id,
        "path": f"key/{sha1}.txt",
        "preview": "",
        "name": f"receipt-{public_id}.txt",
        "type": "txt",
        "disk": "documents",
        "hash": sha1,
        "size": 10,
        "width": None,
        "height": None,
        "is_default": False,
        "created_at": 1767000000,
        "updated_at": 1767000000,
        "deleted_at": None,
    }


@pytest.fixture
def documents(admin: httpx.Client, tmp_path: Path) -> Iterator[dict[str, int]]:
    """Three documents of the demo account (two on an expense, one loose) and one of the other account."""
    state = json.loads(build_state("demo", 1, "TOKEN", StaticData.load()))
    table = state.setdefault("documents", {})
    next_doc = max((int(key) for key in table), default=0) + 1
    next_public = max((row["public_id"] for row in table.values() if row["account_id"] == 1), default=0) + 1
    with_documents = {row["expense_id"] for row in table.values() if row["account_id"] == 1}
    expense = max(
        row["public_id"]
        for row in state["expenses"].values()
        if row["account_id"] == 1 and row["public_id"] not in with_documents and row["deleted_at"] is None
    )
    ids = {"expense": expense, "first": next_public, "second": next_public + 1, "loose": next_public + 2}
    attach = ((ids["first"], expense), (ids["second"], expense), (ids["loose"], None))
    for offset, (public_id, expense_id) in enumerate(attach):
        table[str(next_doc + offset)] = _document(next_doc + offset, public_id, 1, expense_id)
    other_public = max((row["public_id"] for row in table.values() if row["account_id"] == 2), default=0) + 1
    table[str(next_doc + 3)] = _document(next_doc + 3, other_public, 2, None)
    ids["other"] = other_public
    path = tmp_path / "with-documents.json"
    path.write_text(json.dumps(state))
    assert admin.post("/reset", json={"fixtures": str(path)}).status_code == 200
    try:
        yield ids
    finally:
        assert admin.post("/reset", json={"fixtures": "demo"}).status_code == 200


def _attached(api: httpx.Client, expense_id: int) -> list[int]:
    response = api.get(f"/expenses/{expense_id}", params={"include": "documents"})
    assert response.status_code == 200
    return [document["id"] for document in response.json()["data"]["documents"]]


def test_documents_include_lists_the_expenses_documents(api: httpx.Client, documents: dict[str, int]) -> None:
    path = f"/expenses/{documents['expense']}"
    assert _attached(api, documents["expense"]) == [documents["first"], documents["second"]]
    assert "documents" not in api.get(path).json()["data"]
    listed = api.get("/expenses", params={"include": "documents", "per_page": -1}).json()["data"]
    assert all(isinstance(row["documents"], list) for row in listed)


def test_update_keeps_listed_documents_and_deletes_the_rest(
    api: httpx.Client, documents: dict[str, int]
) -> None:
    path = f"/expenses/{documents['expense']}"
    response = api.put(path, json={"document_ids": [documents["second"], documents["loose"]]})
    assert response.status_code == 200
    assert _attached(api, documents["expense"]) == [documents["second"], documents["loose"]]
    expense = create(api, document_ids=[str(documents["second"]), documents["other"]])
    assert _attached(api, expense["id"]) == [documents["second"]]
    assert _attached(api, documents["expense"]) == [documents["loose"]]
    assert api.put(path, json={"public_notes": "no ids"}).status_code == 200
    assert _attached(api, documents["expense"]) == []
    assert _attached(api, expense["id"]) == [documents["second"]]
