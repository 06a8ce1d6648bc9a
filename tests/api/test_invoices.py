"""``/invoices``: create, update, numbering, products, filters and the v4 traps (reference §4.3)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

ITEMS = [{"product_key": "WIDGET", "notes": "A widget", "cost": 12.5, "qty": 2}]


def _client(api: httpx.Client, client_id: int = 1) -> dict[str, Any]:
    response = api.get(f"/clients/{client_id}")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()["data"]
    return data


def _create(api: httpx.Client, **body: Any) -> dict[str, Any]:
    response = api.post("/invoices", json={"client_id": 1, "invoice_items": ITEMS, **body})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def test_create_draft_leaves_the_client_balance_alone(api: httpx.Client) -> None:
    before = _client(api)
    invoice = _create(api)
    assert invoice["amount"] == 25
    assert invoice["balance"] == 25
    assert invoice["invoice_status_id"] == 1
    assert invoice["is_public"] is False
    assert invoice["user_id"] == 1  # only on create responses
    assert [item["product_key"] for item in invoice["invoice_items"]] == ["WIDGET"]
    assert invoice["invoice_items"][0]["qty"] == 2
    assert invoice["invoice_items"][0]["cost"] == 12.5
    assert _client(api)["balance"] == before["balance"]
    shown = api.get(f"/invoices/{invoice['id']}").json()["data"]
    assert "user_id" not in shown


def test_numbers_follow_the_counter_and_skip_taken_ones(api: httpx.Client) -> None:
    first = _create(api)
    custom = _create(api, invoice_number=f"{int(first['invoice_number']) + 1:04d}")
    after = _create(api)
    # The custom number still bumped the counter, and the next free number was taken.
    assert int(after["invoice_number"]) == int(first["invoice_number"]) + 2
    assert custom["invoice_number"] == f"{int(first['invoice_number']) + 1:04d}"


def test_duplicate_invoice_number_is_a_validation_error(api: httpx.Client) -> None:
    first = _create(api)
    response = api.post(
        "/invoices",
        json={"client_id": 1, "invoice_number": first["invoice_number"]},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"invoice_number": ["The invoice number has already been taken."]}


def test_missing_client_and_email_answers_like_v4(api: httpx.Client) -> None:
    as_json = api.post("/invoices", json={}, headers={"Accept": "application/json"})
    assert as_json.status_code == 422
    assert as_json.json()["errors"] == {
        "email": ["The email field is required when client id is not present."],
        "client_id": ["The client id field is required when email is not present."],
    }
    with_secret = api.post("/invoices", json={"api_secret": "x"})
    assert with_secret.status_code == 400
    assert with_secret.json() == {
        "error": {"message": "The email field is required when client id is not present."}
    }
    plain = api.post("/invoices", json={}, follow_redirects=False)
    assert plain.status_code == 302


def test_unknown_or_archived_client_is_client_not_found(api: httpx.Client) -> None:
    response = api.post("/invoices", json={"client_id": 999})
    assert response.status_code == 404
    assert response.json() == {"error": "Client not found"}
    assert api.put("/clients/2?action=archive").status_code == 200
    archived = api.post("/invoices", json={"client_id": 2})
    assert archived.status_code == 404
    assert archived.json() == {"error": "Client not found"}


def test_email_finds_the_client_of_a_contact(api: httpx.Client) -> None:
    contact = api.get("/contacts").json()["data"]
    owner = next(c for c in contact if c["archived_at"] is None)
    clients = api.get("/clients", params={"email": owner["email"]}).json()["data"]
    invoice = _create(api, client_id=None, email=owner["email"])
    assert invoice["client_id"] == clients[0]["id"]


def test_email_of_nobody_creates_a_client_with_that_contact(api: httpx.Client) -> None:
    count = len(api.get("/clients", params={"per_page": 100}).json()["data"])
    invoice = _create(api, client_id=None, email="fresh@buyer.test", name="Fresh Buyer", first_name="Fran")
    client = _client(api, invoice["client_id"])
    assert client["name"] == "Fresh Buyer"
    assert client["contacts"][0]["email"] == "fresh@buyer.test"
    assert client["contacts"][0]["first_name"] == "Fran"
    assert len(api.get("/clients", params={"per_page": 100}).json()["data"]) == count + 1


def test_invalid_email_answers_a_bare_string_with_200(api: httpx.Client) -> None:
    response = api.post("/invoices", json={"email": "not-an-email"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == "The email format is invalid."


def test_product_key_fills_the_line_and_new_keys_become_products(api: httpx.Client) -> None:
    filled = _create(api, invoice_items=[{"product_key": "ITEM"}])
    line = filled["invoice_items"][0]
    assert (line["cost"], line["qty"], line["notes"]) == (10, 1, "Item")
    _create(api, invoice_items=[{"product_key": "BRANDNEW", "notes": "Made up", "cost": 3}])
    again = _create(api, invoice_items=[{"product_key": "brandnew"}])
    assert again["invoice_items"][0]["notes"] == "Made up"
    assert again["invoice_items"][0]["cost"] == 3


def test_comma_separated_keys_expand_into_lines(api: httpx.Client) -> None:
    invoice = _create(api, invoice_items=[{"product_key": "ITEM,CONSULT,DEV"}])
    assert [i["product_key"] for i in invoice["invoice_items"]] == ["ITEM", "CONSULT", "DEV"]
    assert invoice["amount"] == 10 + 150 + 120


def test_rst_quantity_is_not_read_so_qty_defaults_to_one(api: httpx.Client) -> None:
    invoice = _create(
        api, invoice_items=[{"product_key": "ITEM", "notes": "Test", "cost": 10, "quantity": 7}]
    )
    assert invoice["invoice_items"][0]["qty"] == 1
    assert invoice["amount"] == 10


def test_defaults_dates_and_account_format(api: httpx.Client) -> None:
    invoice = _create(api, invoice_date="Mar 5, 2026", due_date="2026-04-01")
    assert invoice["invoice_date"] == "2026-03-05"
    assert invoice["due_date"] == "2026-04-01"
    assert invoice["terms"] == ""
    assert invoice["po_number"] == ""
    assert invoice["frequency_id"] == 0
    assert invoice["filename"] == f"Invoice_{invoice['invoice_number']}.pdf"


def test_is_public_option_adds_the_amount_to_the_client_balance(api: httpx.Client) -> None:
    before = _client(api)["balance"]
    invoice = _create(api, is_public=True)
    assert invoice["invoice_status_id"] == 2
    assert _client(api)["balance"] == pytest.approx(before + 25)
    assert all(
        i["sent_date"]
        for i in api.get(f"/invoices/{invoice['id']}?include=invitations").json()["data"]["invitations"]
    )


def test_paid_option_creates_an_uncapped_payment(api: httpx.Client) -> None:
    before = _client(api)
    invoice = _create(api, paid=30)
    assert invoice["balance"] == -5  # v4 does not cap ``paid`` at the balance
    assert invoice["invoice_status_id"] == 2
    after = _client(api)
    assert after["balance"] == pytest.approx(before["balance"] - 5)
    assert after["paid_to_date"] == pytest.approx(before["paid_to_date"] + 30)
    payments = api.get("/payments", params={"per_page": 200}).json()["data"]
    assert any(p["invoice_id"] == invoice["id"] and p["amount"] == 30 for p in payments)


def test_update_recreates_items_and_empties_unsent_text(api: httpx.Client) -> None:
    invoice = _create(api, terms="Net 7", po_number="PO-9")
    old_item = invoice["invoice_items"][0]["id"]
    body = {"invoice_items": [{"product_key": "X", "notes": "n", "cost": 5, "qty": 3}]}
    response = api.put(f"/invoices/{invoice['id']}", json=body)
    assert response.status_code == 200
    updated = response.json()["data"]
    assert updated["amount"] == 15
    assert updated["balance"] == 15
    # Items are hard-deleted and re-inserted: the newest public ids are handed out again.
    assert [(i["id"], i["product_key"]) for i in updated["invoice_items"]] == [(old_item, "X")]
    assert updated["terms"] == ""  # not sent, so emptied
    assert updated["po_number"] == "PO-9"  # kept


def test_updating_a_sent_invoice_moves_the_client_balance_by_the_difference(api: httpx.Client) -> None:
    invoice = _create(api, is_public=True)
    before = _client(api)["balance"]
    body = {"invoice_items": [{"product_key": "X", "notes": "n", "cost": 40, "qty": 1}]}
    assert api.put(f"/invoices/{invoice['id']}", json=body).status_code == 200
    assert _client(api)["balance"] == pytest.approx(before + 15)


def test_filters_number_status_type_and_recurring(api: httpx.Client) -> None:
    invoice = _create(api)
    by_number = api.get("/invoices", params={"invoice_number": invoice["invoice_number"]}).json()["data"]
    assert [row["id"] for row in by_number] == [invoice["id"]]
    paid = api.get("/invoices", params={"status_id": 6, "per_page": 500}).json()["data"]
    assert paid
    assert all(row["invoice_status_id"] >= 6 for row in paid)
    quotes = api.get("/invoices", params={"invoice_type_id": 2, "per_page": 500}).json()["data"]
    assert quotes
    assert all(row["is_quote"] for row in quotes)
    templates = api.get("/invoices", params={"is_recurring": 1, "per_page": 500}).json()["data"]
    assert templates
    assert all(row["is_recurring"] and row["invoice_number"] == "" for row in templates)
    listed = api.get("/quotes", params={"per_page": 500}).json()["data"]
    assert sorted(r["id"] for r in listed) == sorted(r["id"] for r in quotes if not r["is_recurring"])


def test_client_id_filter_and_client_includes(api: httpx.Client) -> None:
    rows = api.get("/invoices", params={"client_id": 1, "per_page": 500}).json()["data"]
    assert rows
    assert all(row["client_id"] == 1 for row in rows)
    client = api.get("/clients/1", params={"include": "invoices.invitations,credits,activities"}).json()[
        "data"
    ]
    assert client["invoices"]
    assert all("invitations" in row for row in client["invoices"])
    assert client["activities"]
    assert isinstance(client["credits"], list)
    link = client["invoices"][0]["invitations"][0]["link"]
    assert link.endswith("/view/" + client["invoices"][0]["invitations"][0]["key"])


def test_invoice_includes_client_payments_invitations(api: httpx.Client) -> None:
    paid = api.get("/invoices", params={"status_id": 6}).json()["data"][0]
    shown = api.get(f"/invoices/{paid['id']}", params={"include": "client,payments,invitations"}).json()[
        "data"
    ]
    assert shown["client"]["id"] == paid["client_id"]
    assert sum(p["amount"] for p in shown["payments"]) == pytest.approx(paid["amount"] - paid["balance"])
    assert shown["invitations"][0]["viewed_date"] == shown["invitations"][0]["sent_date"]


def test_quote_create_and_convert(api: httpx.Client) -> None:
    before = _client(api)["balance"]
    quote = _create(api, is_quote=True)
    assert quote["is_quote"]
    assert quote["invoice_type_id"] == 2
    assert quote["filename"].startswith("Quote_")
    converted = api.put(f"/invoices/{quote['id']}?action=convert").json()["data"]
    assert converted["invoice_type_id"] == 1
    assert converted["invoice_status_id"] == 1
    assert converted["amount"] == quote["amount"]
    assert converted["id"] != quote["id"]
    assert api.get(f"/invoices/{quote['id']}").json()["data"]["quote_invoice_id"] == converted["id"]
    assert _client(api)["balance"] == before


def test_recurring_template_has_no_number_and_monthly_default(api: httpx.Client) -> None:
    template = _create(api, is_recurring=True, start_date="2026-01-01")
    assert template["is_recurring"]
    assert template["invoice_number"] == ""
    assert template["frequency_id"] == 4
    # The file name carries the template's hidden microtime number, as v4's does.
    assert template["filename"].startswith("Recurring Invoice_")
    assert template["filename"].endswith(".pdf")


def test_archived_response_after_auto_archive_is_record_not_found(api: httpx.Client) -> None:
    # A quote is not billable, so markPaid on it changes nothing and answers 200 with the quote.
    quote = _create(api, is_quote=True)
    response = api.put(f"/invoices/{quote['id']}?action=markPaid")
    assert response.status_code == 200
    assert response.json()["data"]["balance"] == quote["balance"]
