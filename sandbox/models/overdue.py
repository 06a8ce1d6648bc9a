"""Past-due invoices (``Invoice::calcIsOverdue``) and the reminder emails of ``ninja:send-reminders``.

v4 never stores "overdue": the web UI works it out when it shows an invoice ("Past Due" for an
invoice, "Expired" for a quote), and the API shows nothing of it, since ``invoice_status_id``,
balances and the dashboard figures stay as they were. An invoice counts as past due once the day
after its due date (the partial due date first) has begun, while its balance is not zero and it was
sent. What a client of the API can see are the reminders: each day at midnight
``ninja:send-reminders`` emails the invoices whose due date (or invoice date) is the account's
``num_days_reminderN`` days away, for each reminder the account enabled.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sandbox.models import invoices as inv
from sandbox.models.account_settings import setting
from sandbox.store import Record, Store

DAY = 86400
REMINDER_NUMBERS = (1, 2, 3)
#: ``REMINDER_DIRECTION_AFTER`` and ``REMINDER_FIELD_DUE_DATE``.
AFTER, DUE_DATE_FIELD = 1, 1
STATUS_NAMES = {1: "Draft", 2: "Sent", 3: "Viewed", 4: "Approved", 5: "Partial", 6: "Paid"}


def _day(value: Any) -> date | None:
    if not value or str(value).startswith("0000-00-00"):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def past_due_from(invoice: Mapping[str, Any]) -> int | None:
    """The moment after which the invoice is past due, from its dates alone (None: it never is)."""
    due = _day(invoice.get("partial_due_date")) or _day(invoice.get("due_date"))
    if due is None:
        return None
    # "it isn't considered overdue until the end of the day"
    return int(datetime(due.year, due.month, due.day, tzinfo=UTC).timestamp()) + DAY


def is_overdue(invoice: Mapping[str, Any], now: float) -> bool:
    """``Invoice::calcStatusClass`` is ``danger``: sent, not a template, balance not zero, past due.

    The balance test is v4's ``! parseFloat($balance) > 0``, which only rules out a zero balance, so a
    negative balance counts too.
    """
    if int(invoice.get("invoice_status_id") or 1) < inv.SENT or invoice.get("is_recurring"):
        return False
    if not float(invoice.get("balance") or 0):
        return False
    since = past_due_from(invoice)
    return since is not None and now > since


def status_label(invoice: Mapping[str, Any], now: float) -> str:
    """``Invoice::calcStatusLabel`` in English: Converted, Past Due (Expired for quotes) or the status."""
    if invoice.get("quote_invoice_id"):
        return "Converted"
    if is_overdue(invoice, now):
        return "Expired" if inv.is_quote(invoice) else "Past Due"
    return STATUS_NAMES.get(int(invoice.get("invoice_status_id") or 1), "Draft")


def overdue_invoices(store: Store, now: float) -> dict[int, Record]:
    """Every live invoice of every account that is past due at ``now``, by internal id."""
    return {
        int(row["doc_id"]): row
        for row in store.all("invoices")
        if row.get("deleted_at") is None and not row.get("is_deleted") and is_overdue(row, now)
    }


# -- ninja:send-reminders ---------------------------------------------------------------------------


def reminders_enabled(account: Mapping[str, Any]) -> bool:
    """``AccountRepository::findWithReminders``: any of the four reminders switched on."""
    return any(setting(dict(account), f"enable_reminder{n}") for n in (1, 2, 3, 4))


def reminder_dates(account: Mapping[str, Any], today: date) -> list[tuple[int, bool, str]]:
    """``getReminderDate`` per enabled reminder: (number, on the due date?, the date it looks for)."""
    settings = dict(account)
    dates = []
    for number in REMINDER_NUMBERS:
        if not setting(settings, f"enable_reminder{number}"):
            continue
        days = int(setting(settings, f"num_days_reminder{number}") or 0)
        after = int(setting(settings, f"direction_reminder{number}") or 0) == AFTER
        target = today - timedelta(days=days) if after else today + timedelta(days=days)
        on_due = int(setting(settings, f"field_reminder{number}") or 0) == DUE_DATE_FIELD
        dates.append((number, on_due, target.isoformat()))
    return dates


def invoice_reminder(account: Mapping[str, Any], invoice: Mapping[str, Any], today: date) -> str | None:
    """``Account::getInvoiceReminder``: the first enabled reminder whose date the invoice has today."""
    for number, on_due, target in reminder_dates(account, today):
        if on_due:
            partial = (
                bool(float(invoice.get("partial") or 0)) and _iso(invoice.get("partial_due_date")) == target
            )
            if partial or _iso(invoice.get("due_date")) == target:
                return f"reminder{number}"
        elif _iso(invoice.get("invoice_date")) == target:
            return f"reminder{number}"
    return None


def _remindable(store: Store, account: Record) -> list[Record]:
    """Sent standard invoices with a balance due, of live clients who get reminders."""
    account_id = int(account["doc_id"])
    clients = {
        int(row["public_id"])
        for row in store.rows("clients", account_id)
        if row.get("deleted_at") is None and row.get("send_reminders", True)
    }
    return [
        invoice
        for invoice in store.rows("invoices", account_id)
        if inv.is_standard(invoice)
        and invoice.get("is_public")
        and invoice.get("deleted_at") is None
        and float(invoice.get("balance") or 0) > 0
        and int(invoice.get("client_id") or 0) in clients
    ]


def needing_reminders(store: Store, account: Record, today: date) -> list[Record]:
    """``InvoiceRepository::findNeedingReminding``: the remindable invoices with a date one of the
    enabled reminders looks for today."""
    wanted = reminder_dates(account, today)
    if not wanted:
        return []
    return [
        invoice
        for invoice in _remindable(store, account)
        if any(_matches(invoice, on_due, target) for _, on_due, target in wanted)
    ]


def next_reminder_day(store: Store, account: Record, after: date) -> date | None:
    """The first day after ``after`` on which, as things stand, one of the account's reminders is due."""
    settings = dict(account)
    offsets = []
    for number in REMINDER_NUMBERS:
        if setting(settings, f"enable_reminder{number}"):
            days = int(setting(settings, f"num_days_reminder{number}") or 0)
            after_due = int(setting(settings, f"direction_reminder{number}") or 0) == AFTER
            on_due = int(setting(settings, f"field_reminder{number}") or 0) == DUE_DATE_FIELD
            offsets.append((days if after_due else -days, on_due))
    due: set[date] = set()
    for invoice in _remindable(store, account) if offsets else []:
        for offset, on_due in offsets:
            fields = ("due_date", "partial_due_date") if on_due else ("invoice_date",)
            for name in fields:
                day = _day(invoice.get(name))
                if day is not None and day + timedelta(days=offset) > after:
                    due.add(day + timedelta(days=offset))
    return min(due, default=None)


def _matches(invoice: Mapping[str, Any], on_due: bool, target: str) -> bool:
    if on_due:
        return target in (_iso(invoice.get("due_date")), _iso(invoice.get("partial_due_date")))
    return _iso(invoice.get("invoice_date")) == target


def _iso(value: Any) -> str | None:
    day = _day(value)
    return None if day is None else day.isoformat()
