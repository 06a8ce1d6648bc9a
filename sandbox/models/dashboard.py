"""The figures of ``GET /dashboard`` (``DashboardApiController``, ``DashboardRepository``).

Each figure is the first row of a grouped SQL query: sums and averages are grouped by currency and
MySQL 5.7 returns the groups in ascending order, so the dashboard shows the lowest currency id that
has data. Money is summed as MySQL sums DECIMAL columns, exactly, and an average carries four more
decimals than the column (``div_precision_increment``).

Users without ``view_reports`` see only their own invoices, payments and activities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from sandbox.models.payments import FAILED_OR_VOIDED
from sandbox.models.users import has_permission
from sandbox.phpjson import php_float
from sandbox.store import Record, Store

ACTIVITY_LIMIT = 100
CENTS = Decimal("0.01")
AVERAGE_SCALE = Decimal("0.000001")


@dataclass(frozen=True)
class Figure:
    """One ``value`` and ``currency_id`` as the controller reads them from the first group."""

    value: float | int
    currency_id: int


#: Enough digits for any finite float rounded to cents (MySQL's sums are exact too).
_WIDE = Context(prec=400)


def _decimal(value: Any) -> Decimal:
    return Decimal(repr(float(value or 0))).quantize(CENTS, rounding=ROUND_HALF_UP, context=_WIDE)


def _first_group(
    rows: Iterable[tuple[Record, Decimal]], group: Callable[[Record], int], average: bool
) -> tuple[Decimal, Any] | None:
    """The lowest group: its sum (or average) and the raw ``clients.currency_id`` of its first row."""
    groups: dict[int, list[tuple[Record, Decimal]]] = {}
    for client, amount in rows:
        groups.setdefault(group(client), []).append((client, amount))
    if not groups:
        return None
    members = groups[min(groups)]
    total = sum((amount for _, amount in members), Decimal(0))
    if average:
        total = (total / len(members)).quantize(AVERAGE_SCALE, rounding=ROUND_HALF_UP, context=_WIDE)
    return total, members[0][0].get("currency_id")


def _figure(found: tuple[Decimal, Any] | None, account: Record) -> Figure:
    default = int(account.get("currency_id") or 0)
    if found is None:
        return Figure(0, default)
    value, currency = found
    return Figure(php_float(float(value)) if value else 0, int(currency) if currency else default)


class Dashboard:
    """The account's data as the dashboard queries join it."""

    def __init__(self, store: Store, account: Record, user: Record) -> None:
        self.store = store
        self.account = account
        self.user = user
        self.account_id = int(account["doc_id"])
        self.view_all = has_permission(user, "view_reports")
        self._clients = {int(c["public_id"]): c for c in store.rows("clients", self.account_id)}
        self._invoices = {int(i["public_id"]): i for i in store.rows("invoices", self.account_id)}

    def _currency_group(self, fallback: int) -> Callable[[Record], int]:
        def group(client: Record) -> int:
            currency = client.get("currency_id")
            return fallback if currency is None else int(currency)

        return group

    def _billed(self) -> list[tuple[Record, Record]]:
        """Invoices joined to their live clients: standard, public, not recurring, not deleted."""
        pairs = []
        for invoice in self._invoices.values():
            client = self._clients.get(int(invoice.get("client_id") or 0))
            if client is None or client.get("is_deleted") or invoice.get("is_deleted"):
                continue
            if invoice.get("is_recurring") or not invoice.get("is_public"):
                continue
            if invoice.get("invoice_type_id") != 1:
                continue
            pairs.append((invoice, client))
        return pairs

    def paid_to_date(self) -> Figure:
        """``paidToDate``: payments less refunds, not deleted, voided or failed, on live invoices."""
        rows = []
        for payment in sorted(self.store.rows("payments", self.account_id), key=lambda p: p["doc_id"]):
            if payment.get("is_deleted") or payment.get("payment_status_id") in FAILED_OR_VOIDED:
                continue
            invoice = self._invoices.get(int(payment.get("invoice_id") or 0))
            if invoice is None or invoice.get("is_deleted"):
                continue
            client = self._clients.get(int(invoice.get("client_id") or 0))
            if client is None or client.get("is_deleted"):
                continue
            if not self.view_all and invoice.get("user_id") != self.user["doc_id"]:
                continue
            rows.append((client, _decimal(payment.get("amount")) - _decimal(payment.get("refunded"))))
        fallback = int(self.account.get("currency_id") or 1)
        return _figure(_first_group(rows, self._currency_group(fallback), False), self.account)

    def average_invoice(self) -> Figure:
        """``averageInvoice``: the average invoice amount."""
        rows = [
            (client, _decimal(invoice.get("amount")))
            for invoice, client in self._billed()
            if self.view_all or invoice.get("user_id") == self.user["doc_id"]
        ]
        fallback = int(self.account.get("currency_id") or 1)
        return _figure(_first_group(rows, self._currency_group(fallback), True), self.account)

    def balances(self) -> Figure:
        """``balances``: always none found.

        The API controller hands ``DashboardRepository::balances`` the account object where the
        account id belongs; the query then compares ``accounts.id`` with the object's JSON text,
        which MySQL reads as 0, so no row matches and v4 answers 0 in the account's currency.
        """
        return _figure(None, self.account)

    def totals(self) -> tuple[int, int]:
        """``invoicesSent`` (status Sent or beyond) and ``activeClients`` (clients with such invoices)."""
        uid = self.user["doc_id"]
        rows = [
            (invoice, client)
            for invoice, client in self._billed()
            if self.view_all
            or invoice.get("user_id") == uid
            or (invoice.get("user_id") is None and client.get("user_id") == uid)
        ]
        sent = sum(1 for invoice, _ in rows if int(invoice.get("invoice_status_id") or 1) >= 2)
        return sent, len({client["doc_id"] for _, client in rows})

    def activities(self) -> list[Record]:
        """The latest 100 activities, newest first."""
        rows = [
            row
            for row in self.store.rows("activities", self.account_id)
            if int(row.get("activity_type_id") or 0) > 0
            and (self.view_all or row.get("user_id") == self.user["doc_id"])
        ]
        rows.sort(key=lambda row: (int(row.get("created_at") or 0), row["doc_id"]), reverse=True)
        return rows[:ACTIVITY_LIMIT]
