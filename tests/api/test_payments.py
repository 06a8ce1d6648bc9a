"""Payments, credits and the invoice actions: balances and statuses as reference §4.16 moves them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


def _client(api: httpx.Client, client_id: int = 1) -> dict[str, Any]:
    data: dict[str, Any] = api.get(f"/clients/{client_id}").json()["data"]
    return data


def _invoice(api: httpx.Client, cost: float = 100, **body: Any) -> dict[str, Any]:
    items = [{"product_key": "P", "notes": "n", "cost": cost, "qty": 1}]
    response = api.post("/invoices", json={"client_id": 1, "invoice_items": items, **body})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _pay(api: httpx.Client, invoice_id: int, amount: Any, **body: Any) -> httpx.Response:
    return api.post("/payments", json={"invoice_id": invoice_id, "amount": amount, **body})


def test_payment_on_a_draft_marks_it_sent_then_applies(api: httpx.Client) -> None:
    before = _client(api)
    invoice = _invoice(api)
    response = _pay(api, invoice["id"], 40, transaction_reference="ref-1", payment_type_id=3)
    assert response.status_code == 200
    payment = response.json()["data"]
    assert "client_id" not in payment
    assert (payment["amount"], payment["invoice_id"], payment["payment_type_id"]) == (40, invoice["id"], 3)
    assert payment["invoice_number"] == invoice["invoice_number"]
    assert payment["payment_status_id"] == 4
    shown = api.get(f"/invoices/{invoice['id']}").json()["data"]
    assert (shown["balance"], shown["invoice_status_id"], shown["is_public"]) == (60, 5, True)
    after = _client(api)
    assert after["balance"] == pytest.approx(before["balance"] + 100 - 40)
    assert after["paid_to_date"] == pytest.approx(before["paid_to_date"] + 40)


def test_full_payment_makes_it_paid_and_delete_puts_it_back(api: httpx.Client) -> None:
    before = _client(api)
    invoice = _invoice(api, is_public=True)
    payment = _pay(api, invoice["id"], 100).json()["data"]
    assert api.get(f"/invoices/{invoice['id']}").json()["data"]["invoice_status_id"] == 6
    deleted = api.delete(f"/payments/{payment['id']}")
    assert deleted.status_code == 200
    assert deleted.json()["data"]["is_deleted"] is True
    shown = api.get(f"/invoices/{invoice['id']}").json()["data"]
    assert (shown["balance"], shown["invoice_status_id"]) == (100, 2)
    after = _client(api)
    assert after["balance"] == pytest.approx(before["balance"] + 100)
    assert after["paid_to_date"] == pytest.approx(before["paid_to_date"])
    restored = api.put(f"/payments/{payment['id']}?action=restore")
    assert restored.status_code == 200
    assert api.get(f"/invoices/{invoice['id']}").json()["data"]["balance"] == 0


def test_overpayment_becomes_a_credit(api: httpx.Client) -> None:
    invoice = _invoice(api, cost=50)
    payment = _pay(api, invoice["id"], 80, transaction_reference="T9").json()["data"]
    assert payment["amount"] == 50
    credits = api.get("/credits", params={"per_page": 100}).json()["data"]
    made = [c for c in credits if c["private_notes"] == "Credit created by payment T9"]
    assert len(made) == 1
    assert made[0]["amount"] == 30
    assert made[0]["balance"] == 30


def test_credit_payment_needs_and_consumes_credit(api: httpx.Client) -> None:
    invoice = _invoice(api, cost=50)
    refused = _pay(api, invoice["id"], 50, payment_type_id=1, api_secret="x")
    has_credit = sum(
        c["balance"] for c in api.get("/credits?per_page=200").json()["data"] if c["client_id"] == 1
    )
    if has_credit < 50:
        assert refused.status_code == 400
        assert refused.json() == {"error": {"message": "The client does not have enough credit."}}
    credit = api.post("/credits", json={"client_id": 1, "amount": 60}).json()["data"]
    assert (credit["amount"], credit["balance"], credit["client_id"]) == (60, 60, 1)
    payment = _pay(api, invoice["id"], 50, payment_type_id=1)
    assert payment.status_code == 200
    left = sum(c["balance"] for c in api.get("/credits?per_page=200").json()["data"] if c["client_id"] == 1)
    assert left == pytest.approx(has_credit + 60 - 50)
    api.delete(f"/payments/{payment.json()['data']['id']}")
    refunded = [
        c
        for c in api.get("/credits?per_page=200").json()["data"]
        if c["private_notes"] == "Refunded credit payment"
    ]
    assert refunded
    assert refunded[0]["amount"] == 50


def test_payment_errors(api: httpx.Client) -> None:
    missing = api.post("/payments", json={}, headers={"Accept": "application/json"})
    assert missing.status_code == 422
    assert missing.json()["errors"] == {
        "invoice_id": ["The invoice id field is required."],
        "amount": ["The amount field is required."],
    }
    quote = _invoice(api, is_quote=True)
    not_payable = _pay(api, quote["id"], 5)
    assert not_payable.status_code == 404
    assert not_payable.json() == {"error": {"message": "Route does not exist"}}


def test_payment_update_keeps_amount_and_resets_date(api: httpx.Client) -> None:
    invoice = _invoice(api)
    payment = _pay(api, invoice["id"], 10, payment_date="2025-01-02").json()["data"]
    assert payment["payment_date"] == "2025-01-02"
    updated = api.put(f"/payments/{payment['id']}", json={"amount": 99, "private_notes": "hi"}).json()["data"]
    assert updated["amount"] == 10
    assert updated["private_notes"] == "hi"
    assert updated["payment_date"] != "2025-01-02"  # v4 resets it to today when not sent


def test_mark_sent_and_mark_paid(api: httpx.Client) -> None:
    before = _client(api)["balance"]
    invoice = _invoice(api)
    sent = api.put(f"/invoices/{invoice['id']}?action=mark_sent").json()["data"]
    assert sent["invoice_status_id"] == 2
    assert sent["is_public"]
    assert _client(api)["balance"] == pytest.approx(before + 100)
    other = _invoice(api)
    paid = api.put(f"/invoices/{other['id']}?action=markPaid").json()["data"]
    # The response shows the invoice as marked sent, before the payment (v4's quirk).
    assert (paid["invoice_status_id"], paid["balance"]) == (2, 100)
    assert api.get(f"/invoices/{other['id']}").json()["data"]["invoice_status_id"] == 6
    refused = api.put(f"/invoices/{other['id']}?action=mark_paid")
    assert refused.status_code == 400
    assert refused.json() == {"error": "Action [mark_paid] is not supported"}


def test_delete_and_restore_a_sent_partly_paid_invoice(api: httpx.Client) -> None:
    before = _client(api)
    invoice = _invoice(api, is_public=True)
    _pay(api, invoice["id"], 30)
    deleted = api.delete(f"/invoices/{invoice['id']}").json()["data"]
    assert deleted["is_deleted"]
    assert deleted["archived_at"] is not None
    gone = _client(api)
    assert gone["balance"] == pytest.approx(before["balance"])
    assert gone["paid_to_date"] == pytest.approx(before["paid_to_date"])
    api.put(f"/invoices/{invoice['id']}?action=restore")
    back = _client(api)
    assert back["balance"] == pytest.approx(before["balance"] + 70)
    assert back["paid_to_date"] == pytest.approx(before["paid_to_date"] + 30)


def test_archive_changes_no_balance(api: httpx.Client) -> None:
    invoice = _invoice(api, is_public=True)
    before = _client(api)["balance"]
    archived = api.put(f"/invoices/{invoice['id']}?action=archive").json()["data"]
    assert archived["archived_at"] is not None
    assert not archived["is_deleted"]
    assert _client(api)["balance"] == before


def test_credit_validation_and_update(api: httpx.Client) -> None:
    bad = api.post("/credits", json={"client_id": 1, "amount": -5}, headers={"Accept": "application/json"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"amount": ["The amount must be greater than zero."]}
    credit = api.post("/credits", json={"client_id": 1, "amount": 20, "public_notes": "p"}).json()["data"]
    changed = api.put(f"/credits/{credit['id']}", json={"balance": 5}).json()["data"]
    assert (changed["amount"], changed["balance"], changed["public_notes"]) == (20, 5, "p")
