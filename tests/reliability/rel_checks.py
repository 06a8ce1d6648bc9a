"""Whole-state checks the reliability tests run after crashes, races and bad input.

Balances follow v4-entities.md §7: a client's ``balance`` is the sum of the balances of its counted
invoices (standard, not recurring, public, not deleted); an invoice's ``balance`` is its amount less
what its live payments paid; ``paid_to_date`` is the sum of those payments (less refunds); a credit's
balance never exceeds its amount; and invoice numbers are unique within the account.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx

Row = dict[str, Any]


def all_rows(api: httpx.Client, path: str) -> list[Row]:
    """Every row of a list route (``per_page=-1``: no paging)."""
    response = api.get(path, params={"per_page": -1})
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    rows: list[Row] = response.json()["data"]
    return rows


@dataclass
class Books:
    """One account's clients, invoices, payments and credits as the API lists them."""

    clients: list[Row]
    invoices: list[Row]
    payments: list[Row]
    credits: list[Row]

    @classmethod
    def read(cls, api: httpx.Client) -> Books:
        """Read the four lists through the API."""
        return cls(
            clients=all_rows(api, "/clients"),
            invoices=all_rows(api, "/invoices"),
            payments=all_rows(api, "/payments"),
            credits=all_rows(api, "/credits"),
        )

    def by_id(self, kind: str) -> dict[int, Row]:
        """The rows of ``clients``, ``invoices``, ``payments`` or ``credits`` by id."""
        rows: list[Row] = getattr(self, kind)
        return {int(row["id"]): row for row in rows}


def _counts(invoice: Row) -> bool:
    """Does this invoice count towards its client's balance (§7 "Which invoices count")?"""
    return (
        invoice["invoice_type_id"] == 1
        and not invoice["is_recurring"]
        and bool(invoice["is_public"])
        and not invoice["is_deleted"]
    )


def balance_problems(books: Books) -> list[str]:
    """Every way the books fail to add up (empty when they do)."""
    problems: list[str] = []
    paid: Counter[int] = Counter()
    for payment in books.payments:
        if not payment["is_deleted"]:
            paid[payment["invoice_id"]] += payment["amount"] - payment["refunded"]
    invoices = books.by_id("invoices")
    for invoice in books.invoices:
        if invoice["invoice_type_id"] == 1 and not invoice["is_recurring"]:
            expected = round(invoice["amount"] - paid[invoice["id"]], 2)
            if round(invoice["balance"] - expected, 2) != 0:
                problems.append(
                    f"invoice {invoice['id']}: balance {invoice['balance']}, "
                    f"amount {invoice['amount']} less payments {paid[invoice['id']]} is {expected}"
                )
    for client in books.clients:
        counted = [i for i in books.invoices if i["client_id"] == client["id"] and _counts(i)]
        expected_balance = round(sum(i["balance"] for i in counted), 2)
        if round(client["balance"] - expected_balance, 2) != 0:
            problems.append(
                f"client {client['id']}: balance {client['balance']}, its invoices owe {expected_balance}"
            )
        client_paid = round(
            sum(
                p["amount"] - p["refunded"]
                for p in books.payments
                if not p["is_deleted"]
                and p["invoice_id"] in invoices
                and not invoices[p["invoice_id"]]["is_deleted"]
                and invoices[p["invoice_id"]]["client_id"] == client["id"]
            ),
            2,
        )
        if round(client["paid_to_date"] - client_paid, 2) != 0:
            problems.append(
                f"client {client['id']}: paid_to_date {client['paid_to_date']}, payments sum to {client_paid}"
            )
    for credit in books.credits:
        if not 0 <= credit["balance"] <= credit["amount"] + 0.001:
            problems.append(f"credit {credit['id']}: balance {credit['balance']} of {credit['amount']}")
    numbers = Counter(str(i["invoice_number"]).lower() for i in books.invoices if i["invoice_number"])
    problems.extend(f"invoice number {n!r} used {c} times" for n, c in numbers.items() if c > 1)
    return problems
