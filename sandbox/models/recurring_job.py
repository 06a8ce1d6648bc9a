"""v4's scheduled jobs, run for the time the sandbox's clock passes over.

v4's cron runs ``ninja:send-invoices`` every hour and ``ninja:send-reminders`` every day at
midnight (server time, UTC). When the clock moves forward, the sandbox runs them at each moment
they would have run between the old and the new time, in order: only the moments where one of them
has something to do are visited, so moving a year ahead costs what that year produces. Each
generated invoice is written in one transaction (with its auto-billing) and its email in another,
as v4's job and the email job it dispatches do; everything they write, send and fire is stamped
with the moment the job ran. Activities written by the jobs are marked ``is_system``, as v4 marks
whatever runs in the console.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from random import Random
from typing import Any

from sandbox.errors import SandboxError
from sandbox.models import invoices as inv
from sandbox.models.account_settings import setting
from sandbox.models.accounts import Actor, Env
from sandbox.models.emails import send_invoice
from sandbox.models.overdue import (
    invoice_reminder,
    needing_reminders,
    next_reminder_day,
    overdue_invoices,
    past_due_from,
    reminders_enabled,
)
from sandbox.models.recurring import account_zone, next_tick, send_window
from sandbox.models.recurring_invoice import create_from_template
from sandbox.models.static_data import StaticData
from sandbox.store import Record, Store

#: Hands a finished transaction's emails and webhooks on, stamped with the moment the job ran.
Deliver = Callable[[Env, int], None]
#: Invoices and reminders one clock move may make; each renders a PDF, so a runaway move is cut short.
MAX_ACTIONS = 1000


@dataclass
class JobReport:
    """What the jobs did: invoices made, reminders sent, invoices that fell past due, and failures."""

    created: list[dict[str, Any]] = field(default_factory=list)
    reminders: list[dict[str, Any]] = field(default_factory=list)
    overdue: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _iso(moment: int) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ScheduledJobs:
    """The two jobs over one store (one namespace), with the runtime's random generator."""

    def __init__(
        self, store: Store, static: StaticData, rng: Random, base_url: str, deliver: Deliver
    ) -> None:
        self.store = store
        self.static = static
        self.rng = rng
        self.base_url = base_url
        self.deliver = deliver
        self.report = JobReport()
        self._given_up: set[int] = set()

    def run(self, start: int, end: int) -> JobReport:
        """Run every job moment in ``(start, end]``, oldest first."""
        before = overdue_invoices(self.store, start)
        templates = sorted(
            int(row["doc_id"]) for row in self.store.all("invoices") if row.get("is_recurring")
        )
        moment = start
        while True:
            invoices_at = self._next_invoice_run(templates, moment)
            reminders_at = self._next_reminder_run(moment)
            ticks = [tick for tick in (invoices_at, reminders_at) if tick is not None and tick <= end]
            if not ticks:
                break
            moment = min(ticks)
            if len(self.report.created) + len(self.report.reminders) >= MAX_ACTIONS:
                self.report.errors.append(
                    {
                        "job": "limit",
                        "error": f"stopped after {MAX_ACTIONS} invoices and reminders, before the run at "
                        f"{_iso(moment)}; move the clock in smaller steps",
                    }
                )
                break
            # Both run at midnight: the hourly job is the first in v4's schedule.
            self._send_invoices(templates, moment)
            if reminders_at == moment:
                self._send_reminders(moment)
        after = overdue_invoices(self.store, end)
        for doc_id in sorted(set(after) - set(before)):
            invoice = after[doc_id]
            self.report.overdue.append(
                {
                    **self._names(invoice),
                    "due_date": invoice.get("partial_due_date") or invoice.get("due_date"),
                    "balance": invoice.get("balance"),
                    "since": past_due_from(invoice),
                }
            )
        return self.report

    # -- ninja:send-invoices ------------------------------------------------------------------------

    def _window(self, doc_id: int) -> tuple[Record, tuple[int, int | None]] | None:
        template = self.store.get("invoices", doc_id)
        if template is None or doc_id in self._given_up:
            return None
        account = self.store.get("accounts", int(template["account_id"]))
        if account is None:
            return None
        window = send_window(template, account, account_zone(self.static, account))
        return None if window is None else (template, window)

    def _next_invoice_run(self, templates: list[int], after: int) -> int | None:
        ticks = []
        for doc_id in templates:
            found = self._window(doc_id)
            if found is not None:
                tick = next_tick(after, found[1])
                if tick is not None:
                    ticks.append(tick)
        return min(ticks, default=None)

    def _send_invoices(self, templates: list[int], moment: int) -> None:
        for doc_id in templates:
            found = self._window(doc_id)
            if found is None:
                continue
            template, (earliest, latest) = found
            if earliest <= moment and (latest is None or moment <= latest):
                self._send_one(template, moment)

    def _actor(self, record: Record) -> tuple[Actor, Record] | None:
        """``activeUser``: the record's user unless archived, else the account's first user."""
        account = self.store.get("accounts", int(record["account_id"]))
        owner = self.store.get("users", int(record.get("user_id") or 0))
        if account is None or owner is None:
            return None
        user = owner
        if owner.get("deleted_at") is not None:
            users = self.store.rows("users", int(account["doc_id"]))
            user = users[0] if users else owner
        return Actor(account, user), owner

    def _env(self, actor: Actor, moment: int) -> Env:
        return Env(self.store, self.static, actor, moment, self.rng, base_url=self.base_url)

    def _send_one(self, template: Record, moment: int) -> None:
        found = self._actor(template)
        client = self.store.get_public("clients", int(template["account_id"]), int(template["client_id"]))
        if found is None or not found[1].get("confirmed") or client is None or client.get("deleted_at"):
            # Nothing about these changes while the jobs run: v4 would skip the template every hour.
            self._given_up.add(int(template["doc_id"]))
            return
        actor, _ = found
        env = self._env(actor, moment)
        try:
            with self.store.transaction():
                marker = self._last_activity(env)
                invoice = create_from_template(env, template)
                self._mark_system(env, marker)
        except SandboxError as error:
            self._given_up.add(int(template["doc_id"]))
            self.report.errors.append({**self._names(template), "job": "send-invoices", "error": str(error)})
            return
        if invoice is None:
            return
        self.deliver(env, moment)
        emailed = False
        paid = int(invoice.get("invoice_status_id") or 1) >= inv.PAID
        if not paid and setting(env.account, "auto_email_invoice"):
            emailed = self._email(actor, invoice, moment, None) is True
        invoice = self.store.get("invoices", invoice["doc_id"]) or invoice
        self.report.created.append(
            {
                **self._names(invoice),
                "template_id": template["public_id"],
                "invoice_date": invoice.get("invoice_date"),
                "due_date": invoice.get("due_date"),
                "amount": invoice.get("amount"),
                "time": moment,
                "at": _iso(moment),
                "emailed": emailed,
                "paid": int(invoice.get("invoice_status_id") or 1) >= inv.PAID,
            }
        )

    def _email(self, actor: Actor, invoice: Record, moment: int, reminder: str | None) -> bool | str | None:
        """The email job (``SendInvoiceEmail``) in its own transaction, sent as the invoice's user."""
        owner = self.store.get("users", int(invoice.get("user_id") or 0))
        if owner is not None:
            actor = Actor(actor.account, owner)
        env = self._env(actor, moment)
        with self.store.transaction():
            marker = self._last_activity(env)
            current = self.store.get("invoices", invoice["doc_id"]) or invoice
            result = send_invoice(env, current, reminder=reminder)
            self._mark_system(env, marker)
        self.deliver(env, moment)
        return result

    def _last_activity(self, env: Env) -> int:
        return max(self.store.doc_ids("activities", env.account_id), default=0)

    def _mark_system(self, env: Env, marker: int) -> None:
        for doc_id in self.store.doc_ids("activities", env.account_id):
            if doc_id > marker:
                self.store.update("activities", doc_id, {"is_system": True})

    def _names(self, invoice: Record) -> dict[str, Any]:
        account = self.store.get("accounts", int(invoice["account_id"])) or {}
        return {
            "account_key": account.get("account_key"),
            "id": invoice["public_id"],
            "invoice_number": "" if invoice.get("is_recurring") else invoice.get("invoice_number"),
        }

    # -- ninja:send-reminders -----------------------------------------------------------------------

    def _reminder_accounts(self) -> list[Record]:
        return sorted(
            (row for row in self.store.all("accounts") if reminders_enabled(row)),
            key=lambda row: row["doc_id"],
        )

    def _next_reminder_run(self, after: int) -> int | None:
        """The next midnight after ``after`` on which some reminder is due (other days send nothing)."""
        # Day D's midnight run comes after ``after`` exactly when D is later than ``after``'s own day.
        last_day = datetime.fromtimestamp(after, UTC).date()
        days = [next_reminder_day(self.store, account, last_day) for account in self._reminder_accounts()]
        found = min((day for day in days if day is not None), default=None)
        if found is None:
            return None
        return int(datetime(found.year, found.month, found.day, tzinfo=UTC).timestamp())

    def _send_reminders(self, moment: int) -> None:
        today = datetime.fromtimestamp(moment, UTC).date()
        for account in self._reminder_accounts():
            for invoice in needing_reminders(self.store, account, today):
                reminder = invoice_reminder(account, invoice, today)
                if reminder is None or invoice.get("last_sent_date") == today.isoformat():
                    continue
                found = self._actor(invoice)
                if found is None:
                    continue
                try:
                    result = self._email(found[0], invoice, moment, reminder)
                except SandboxError as error:
                    result = str(error)
                self.report.reminders.append(
                    {
                        **self._names(invoice),
                        "reminder": reminder,
                        "time": moment,
                        "at": _iso(moment),
                        "sent": result is True,
                        **({} if result is True else {"error": result}),
                    }
                )
