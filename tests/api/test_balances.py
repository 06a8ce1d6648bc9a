"""Balances add up: in the freshly seeded demo, and through any sequence of API calls (a property test)."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def _all(api: httpx.Client, path: str) -> list[dict[str, Any]]:
    response = api.get(path, params={"per_page": -1})
    assert response.status_code == 200
    rows: list[dict[str, Any]] = response.json()["data"]
    return rows


def _expected_statuses(invoice: dict[str, Any], paid: float) -> tuple[int, ...]:
    """The statuses a sent invoice may have for its balance (reference §4.16)."""
    balance, amount = invoice["balance"], invoice["amount"]
    if balance < 0:
        return (2, 5, 6)  # overpaid by ``paid``, or edited below what was paid: v4 keeps the status
    if balance == 0 and paid:
        return (6,)
    if 0 < balance < amount:
        return (5,)
    return (2, 3)


def _check_consistent(api: httpx.Client) -> None:
    """Every client's balance and paid-to-date are what its invoices and payments imply."""
    invoices = _all(api, "/invoices")
    payments = _all(api, "/payments")
    paid_by_invoice: dict[int, float] = {}
    for payment in payments:
        if not payment["is_deleted"]:
            paid_by_invoice[payment["invoice_id"]] = (
                paid_by_invoice.get(payment["invoice_id"], 0) + payment["amount"]
            )
    for invoice in invoices:
        if invoice["invoice_type_id"] == 1 and not invoice["is_recurring"]:
            paid = paid_by_invoice.get(invoice["id"], 0)
            assert round(invoice["amount"] - paid - invoice["balance"], 2) == 0, invoice
            if invoice["is_public"] and not invoice["is_deleted"]:
                assert invoice["invoice_status_id"] in _expected_statuses(invoice, paid), invoice
    # Deleting an invoice takes its payments out of paid-to-date (v4 leaves the payments undeleted).
    invoice_client = {
        invoice["id"]: invoice["client_id"] for invoice in invoices if not invoice["is_deleted"]
    }
    for client in _all(api, "/clients"):
        counted = [
            i
            for i in invoices
            if i["client_id"] == client["id"]
            and i["invoice_type_id"] == 1
            and not i["is_recurring"]
            and i["is_public"]
            and not i["is_deleted"]
        ]
        assert round(client["balance"] - sum(i["balance"] for i in counted), 2) == 0, client["id"]
        paid = [
            p["amount"] - p["refunded"]
            for p in payments
            if not p["is_deleted"] and invoice_client.get(p["invoice_id"]) == client["id"]
        ]
        assert round(client["paid_to_date"] - sum(paid), 2) == 0, client["id"]


def test_seeded_demo_is_consistent(api: httpx.Client) -> None:
    _check_consistent(api)
    statuses = {(i["invoice_type_id"], i["invoice_status_id"]) for i in _all(api, "/invoices")}
    # Draft, sent, viewed, partial and paid invoices; sent and approved quotes.
    assert {(1, 1), (1, 2), (1, 3), (1, 5), (1, 6), (2, 2), (2, 4)} <= statuses
    invoices = _all(api, "/invoices")
    assert any(i["is_recurring"] for i in invoices)
    assert any(i["quote_invoice_id"] for i in invoices)
    overdue = [
        i
        for i in invoices
        if i["invoice_status_id"] in (2, 3, 5) and i["due_date"] and i["due_date"] < "2026-01-01"
    ]
    assert overdue
    assert len({p["payment_type_id"] for p in _all(api, "/payments")}) >= 3
    assert _all(api, "/credits")


Step = tuple[str, int, int]
ACTIONS = (
    "create", "create_public", "mark_sent", "pay", "overpay", "edit",
    "delete", "restore", "archive", "delete_payment", "mark_paid", "email",
)  # fmt: skip
STEPS = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=1, max_value=500),
    ),
    min_size=1,
    max_size=12,
)  # fmt: skip


def _run_step(api: httpx.Client, made: list[int], payments: list[int], step: Step) -> None:
    action, pick, cents = step
    target = made[pick % len(made)] if made else None
    items = [{"notes": "p", "cost": cents / 7, "qty": 1 + pick % 3}]
    if action in ("create", "create_public") or target is None:
        body = {"client_id": 1 + pick % 3, "invoice_items": items, "is_public": action == "create_public"}
        response = api.post("/invoices", json=body)
        assert response.status_code == 200, response.text
        made.append(response.json()["data"]["id"])
        return
    if action in ("pay", "overpay"):
        amount = cents / 3 if action == "pay" else cents * 10
        response = api.post("/payments", json={"invoice_id": target, "amount": round(amount, 2)})
        assert response.status_code in (200, 404), response.text  # deleted invoices cannot be paid
        if response.status_code == 200:
            payments.append(response.json()["data"]["id"])
        return
    if action == "delete_payment" and payments:
        assert api.delete(f"/payments/{payments[pick % len(payments)]}").status_code == 200
        return
    if action == "edit":
        assert api.put(f"/invoices/{target}", json={"invoice_items": items}).status_code == 200
        return
    if action == "email":
        assert api.post("/email_invoice", json={"id": target}).status_code in (200, 500)
        return
    names = {"mark_sent": "mark_sent", "delete": "delete", "restore": "restore", "archive": "archive",
             "mark_paid": "markPaid", "delete_payment": "archive"}  # fmt: skip
    assert api.put(f"/invoices/{target}", params={"action": names[action]}).status_code == 200


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_balances_hold_through_any_sequence_of_calls(
    api: httpx.Client, admin: httpx.Client, steps: list[Step]
) -> None:
    assert admin.post("/reset").status_code == 200
    made: list[int] = []
    payments: list[int] = []
    for step in steps:
        _run_step(api, made, payments, step)
        _check_consistent(api)
