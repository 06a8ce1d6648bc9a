"""The overview's figures: what is owed, what came in, invoices by status, the monthly chart, activity."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sandbox.api.payments import PAYMENTS
from sandbox.dashboard.cells import Status
from sandbox.dashboard.chart import Chart, Point, bar_chart, compact
from sandbox.dashboard.company import Company, Row
from sandbox.dashboard.statuses import invoice_status, is_valid_payment, ordered
from sandbox.models.activities import Activity
from sandbox.models.dashboard import Dashboard
from sandbox.models.money import format_money
from sandbox.transform.activities import ACTIVITY

MONTHS = 12
SERIES = ("invoiced", "paid")
VERBS = {
    "CREATE": "created",
    "UPDATE": "updated",
    "ARCHIVE": "archived",
    "DELETE": "deleted",
    "RESTORE": "restored",
    "EMAIL": "emailed",
    "APPROVE": "approved",
}


@dataclass(frozen=True)
class Line:
    """One line of the activity feed."""

    time: int
    text: str
    href: str | None
    client: str
    client_href: str | None


@dataclass(frozen=True)
class Monthly:
    """The chart of one currency, the months it covers and the same figures as a table."""

    chart: Chart
    narrow: Chart
    currency: dict[str, Any]
    currencies: list[dict[str, Any]]
    period: str
    rows: list[tuple[str, str, str]]


def _by_currency(company: Company, amounts: list[tuple[Any, float]]) -> list[str]:
    """Sums per currency (lowest currency id first), formatted; a single zero when nothing is owed."""
    totals: dict[int, float] = defaultdict(float)
    currencies: dict[int, dict[str, Any]] = {}
    for client_id, amount in amounts:
        currency = company.currency(client_id)
        currencies[int(currency["id"])] = currency
        totals[int(currency["id"])] += amount
    shown = [
        format_money(round(totals[key], 2), currencies[key])
        for key in sorted(totals)
        if round(totals[key], 2)
    ]
    return shown or [company.money(0)]


def outstanding(company: Company) -> list[str]:
    """What clients owe: the balances of the clients not deleted, per currency."""
    return _by_currency(
        company,
        [
            (row["id"], float(row.get("balance") or 0))
            for row in company.clients.values()
            if not row.get("is_deleted")
        ],
    )


def _payments(company: Company) -> list[tuple[Row, Any]]:
    """Payments that came in, each with its invoice's client."""
    found = []
    for row in company.listed(PAYMENTS):
        invoice = company.invoices.get(int(row.get("invoice_id") or 0))
        if is_valid_payment(row) and invoice is not None:
            found.append((row, invoice.get("client_id")))
    return found


def _net(payment: Row) -> float:
    return float(payment.get("amount") or 0) - float(payment.get("refunded") or 0)


def paid_in(company: Company, month: str) -> list[str]:
    """What came in during a month (``YYYY-MM``), per currency."""
    return _by_currency(
        company,
        [
            (client, _net(row))
            for row, client in _payments(company)
            if str(row.get("payment_date")).startswith(month)
        ],
    )


def _invoiced(company: Company) -> list[Row]:
    """Invoices that count: standard, not recurring, sent (public) and not deleted."""
    return [
        row
        for row in company.invoices.values()
        if row.get("invoice_type_id") == 1
        and not row.get("is_recurring")
        and row.get("is_public")
        and not row.get("is_deleted")
    ]


def by_status(company: Company) -> list[tuple[Status, int]]:
    """How many live invoices have each status, in the usual order of statuses."""
    rows = [
        row
        for row in company.invoices.values()
        if row.get("invoice_type_id") == 1 and not row.get("is_recurring") and not row.get("archived_at")
    ]
    counts = Counter(invoice_status(company, row) for row in rows)
    order = ordered({status.label for status in counts})
    return sorted(counts.items(), key=lambda item: order.index(item[0].label))


def _month(value: Any) -> str:
    return str(value or "")[:7]


def _window(end: date) -> list[str]:
    months = []
    year, month = end.year, end.month
    for _ in range(MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def monthly(company: Company, code: str | None) -> Monthly | None:
    """Invoiced and paid per month in one currency, for the 12 months up to the latest document."""
    amounts: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    currencies: dict[int, dict[str, Any]] = {}
    for row in _invoiced(company):
        currency = company.currency(row.get("client_id"))
        currencies[int(currency["id"])] = currency
        amounts[int(currency["id"])][_month(row.get("invoice_date"))][0] += float(row.get("amount") or 0)
    for row, client in _payments(company):
        currency = company.currency(client)
        currencies[int(currency["id"])] = currency
        amounts[int(currency["id"])][_month(row.get("payment_date"))][1] += _net(row)
    if not currencies:
        return None
    busiest = max(currencies, key=lambda key: (sum(v[0] for v in amounts[key].values()), -key))
    chosen = next(
        (key for key, each in currencies.items() if str(each["code"]).lower() == (code or "").lower()),
        busiest,
    )
    # Up to the latest month with a document: an older dataset still shows its last year of business.
    now = _window(company.today)[-1]
    latest = max((m for m in amounts[chosen] if m and m <= now), default=now)
    months = _window(date.fromisoformat(latest + "-01"))
    currency = currencies[chosen]
    points = []
    rows = []
    for key in months:
        invoiced, paid = amounts[chosen].get(key, [0.0, 0.0])
        day = date.fromisoformat(key + "-01")
        name = day.strftime("%b %Y")
        money = (format_money(round(invoiced, 2), currency), format_money(round(paid, 2), currency))
        titles = (f"{name}: {money[0]} invoiced", f"{name}: {money[1]} paid")
        sub = str(day.year) if day.month == 1 or (key == months[0] and day.month < 12) else ""
        points.append(Point(day.strftime("%b"), sub, (invoiced, paid), titles))
        rows.append((name, *money))
    period = (
        f"{date.fromisoformat(months[0] + '-01'):%B %Y} to {date.fromisoformat(months[-1] + '-01'):%B %Y}"
    )

    def label(value: float) -> str:
        return compact(value, currency)

    return Monthly(
        chart=bar_chart(points, SERIES, label),
        narrow=bar_chart(points, SERIES, label, width=400, height=240, left=48),
        currency=currency,
        currencies=[currencies[key] for key in sorted(currencies)],
        period=period,
        rows=rows,
    )


def _subject(company: Company, row: Row, noun: str) -> tuple[str, str | None]:
    """What an activity is about, and its page."""
    if noun in ("INVOICE", "QUOTE") and row.get("invoice_id"):
        invoice = company.invoices.get(int(row["invoice_id"]), {})
        section = "quotes" if noun == "QUOTE" else "invoices"
        return (
            f"{noun.title()} {invoice.get('invoice_number') or row['invoice_id']}",
            f"/{section}/{row['invoice_id']}",
        )
    if noun == "PAYMENT" and row.get("payment_id"):
        payment = company.by_id(PAYMENTS).get(int(row["payment_id"]), {})
        client = company.invoices.get(int(payment.get("invoice_id") or 0), {}).get("client_id")
        return f"Payment of {company.money(payment.get('amount'), client)}", f"/payments/{row['payment_id']}"
    for name, field, section in (("TASK", "task_id", "tasks"), ("EXPENSE", "expense_id", "expenses")):
        if noun == name and row.get(field):
            return f"{noun.title()} #{row[field]}", f"/{section}/{row[field]}"
    if noun == "CLIENT" and row.get("client_id"):
        return "Client", f"/clients/{row['client_id']}"
    return noun.title(), None


def activity(company: Company, limit: int = 8) -> list[Line]:
    """The latest activities (``GET /api/v1/dashboard``'s), described in words."""
    records = Dashboard(company.store, company.account, company.actor.user).activities()[:limit]
    lines = []
    for record in records:
        row = company.show(ACTIVITY, record)
        try:
            verb, _, noun = Activity(row["activity_type_id"]).name.partition("_")
        except ValueError:
            verb, noun = "UPDATE", "RECORD"
        subject, href = _subject(company, row, noun)
        client_id = row.get("client_id")
        name = company.client_name(client_id) if client_id else ""
        lines.append(
            Line(
                time=int(record.get("created_at") or 0),
                text=f"{subject} {VERBS.get(verb, verb.lower())}",
                href=href,
                client=name,
                client_href=f"/clients/{client_id}" if name else None,
            )
        )
    return lines


def this_month(company: Company) -> tuple[str, str]:
    """The current month by the sandbox's clock, as ``YYYY-MM`` and as words."""
    today = datetime.fromtimestamp(company.runtime.clock.now(), UTC).date()
    return f"{today:%Y-%m}", f"{today:%B %Y}"
