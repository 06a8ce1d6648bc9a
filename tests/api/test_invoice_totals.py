"""The hand-computed totals table, end to end: each invoice POSTed, its amount read back."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from helpers.totals_cases import CASES

from sandbox.models.totals import InvoiceTotalsInput, LineItem

#: What a request cannot set: account settings (``custom_invoice_taxes``, ``inclusive_taxes``).
ACCOUNT_ONLY = ("custom_taxes1", "custom_taxes2", "inclusive_taxes")


def _item_json(item: LineItem) -> dict[str, Any]:
    body: dict[str, Any] = {"cost": item.cost, "qty": item.qty, "notes": item.notes or ""}
    for name in ("discount", "tax_rate1", "tax_rate2"):
        value = getattr(item, name)
        if value not in (0, None):
            body[name] = value
    return body


def _request(invoice: InvoiceTotalsInput) -> dict[str, Any]:
    body: dict[str, Any] = {"client_id": 1, "invoice_items": [_item_json(item) for item in invoice.items]}
    for name in ("discount", "tax_rate1", "tax_rate2", "custom_value1", "custom_value2"):
        value = getattr(invoice, name)
        if value not in (0, None):
            body[name] = value
    if invoice.is_amount_discount:
        body["is_amount_discount"] = True
    return body


API_CASES = [case for case in CASES if not any(getattr(case.values[0], name) for name in ACCOUNT_ONLY)]


def test_enough_hand_computed_invoices_run_through_the_api() -> None:
    assert len(API_CASES) >= 40


@pytest.mark.parametrize(("invoice", "subtotal", "item_tax", "amount"), API_CASES)
def test_invoice_amount_matches_the_hand_computed_total(
    api: httpx.Client, invoice: InvoiceTotalsInput, subtotal: float, item_tax: float, amount: float
) -> None:
    del subtotal, item_tax
    response = api.post("/invoices", json=_request(invoice))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["amount"] == pytest.approx(amount, abs=1e-9)
    assert data["balance"] == pytest.approx(amount, abs=1e-9)
    assert data["invoice_status_id"] == 1
    shown = api.get(f"/invoices/{data['id']}").json()["data"]
    assert shown["amount"] == data["amount"]
