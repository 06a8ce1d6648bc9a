"""Seed factory: a year of billing history, made by the same rules the API runs.

Invoices, quotes, recurring templates, payments and credits are created through ``sandbox.models``
at their moment in the past, so every balance, status, counter and activity is exactly what the
API would have produced: the seed cannot disagree with the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox.models import invoices as inv
from sandbox.models import payments as pay
from sandbox.models.accounts import Actor, Env
from sandbox.models.credits import new_credit
from sandbox.models.emails import send_invoice
from sandbox.models.invoice_actions import convert_quote, create_recurring_child
from sandbox.models.invoice_items import prepare_items
from sandbox.models.invoice_save import save_invoice
from sandbox.models.static_data import StaticData
from sandbox.seed.builder import SeedBuilder
from sandbox.store import Record, Store

#: The outcome of each seeded invoice, cycled so every status appears in a dataset.
OUTCOMES = ("paid", "partial", "sent", "draft", "overdue", "viewed", "paid", "paid")
PAYMENT_TYPES = (2, 3, 4, 5, 6, 7, 8, 11)  # bank transfer, cash, debit, ACH, cards


@dataclass
class _History:
    store: Store
    static: StaticData
    builder: SeedBuilder
    actor: Actor

    def env(self, when: int) -> Env:
        return Env(self.store, self.static, self.actor, when, self.builder.rng)

    def client(self, public_id: int) -> Record:
        client = self.store.get_public("clients", self.actor.account_id, public_id)
        assert client is not None
        return client

    def lines(self, env: Env) -> list[dict[str, Any]]:
        rng = self.builder.rng
        keys = rng.sample(
            ("CONSULT", "DESIGN", "DEV", "SUPPORT", "HOSTING", "LICENSE", "TRAINING"), rng.randint(1, 3)
        )
        items = [{"product_key": key, "qty": rng.choice((1, 1, 2, 3, 4, 5, 8, 10, 12))} for key in keys]
        if rng.random() < 0.2:
            items[0]["discount"] = rng.choice((5, 10, 15))
        return prepare_items(env, items)

    def invoice(self, when: int, client: Record, **data: Any) -> Record:
        env = self.env(when)
        with self.store.transaction():
            invoice, _ = save_invoice(env, {"invoice_items": self.lines(env), **data}, client)
        return invoice

    def pay(self, when: int, invoice: Record, amount: float, type_id: int) -> None:
        env = self.env(when)
        invoice = self.store.get("invoices", invoice["doc_id"]) or invoice
        with self.store.transaction():
            invoice = inv.mark_sent_if_unsent(env, invoice)
            reference = f"txn_{self.builder.rng.randint(10**9, 10**10 - 1)}"
            payment = {"amount": amount, "payment_type_id": type_id, "transaction_reference": reference}
            pay.create_payment(env, payment, invoice)

    def mark_sent(self, when: int, invoice: Record) -> Record:
        with self.store.transaction():
            return inv.mark_sent(self.env(when), self.store.get("invoices", invoice["doc_id"]) or invoice)


def _day(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).date().isoformat()


def _invoice_history(history: _History, client: Record, index: int, start: int, end: int) -> None:
    rng = history.builder.rng
    for number in range(rng.randint(2, 4)):
        when = rng.randint(start, end)
        outcome = OUTCOMES[(index * 3 + number) % len(OUTCOMES)]
        data: dict[str, Any] = {"invoice_date": _day(when)}
        if outcome == "overdue":
            data["due_date"] = _day(when + 14 * 86400)
        if rng.random() < 0.3:
            data["tax_name1"], data["tax_rate1"] = "Sales Tax", 8.25
        invoice = history.invoice(when, client, **data)
        if outcome == "draft":
            continue
        sent_at = when + 3600
        invoice = history.mark_sent(sent_at, invoice)
        if outcome == "viewed":
            with history.store.transaction():
                inv.save_fields(history.env(sent_at + 86400), invoice, {"invoice_status_id": inv.VIEWED})
        elif outcome in ("paid", "partial"):
            amount = float(invoice["amount"])
            part = amount if outcome == "paid" else round(amount * rng.choice((0.25, 0.4, 0.5)), 2)
            history.pay(sent_at + rng.randint(2, 20) * 86400, invoice, part, rng.choice(PAYMENT_TYPES))


def _quotes(history: _History, clients: list[Record], start: int, end: int) -> None:
    rng = history.builder.rng
    for index, client in enumerate(clients[:3]):
        when = rng.randint(start, end)
        quote = history.invoice(when, client, is_quote=True, invoice_date=_day(when))
        quote = history.mark_sent(when + 3600, quote)
        if index == 1:
            with history.store.transaction():
                inv.save_fields(history.env(when + 2 * 86400), quote, {"invoice_status_id": inv.APPROVED})
        elif index == 2:
            with history.store.transaction():
                inv.save_fields(history.env(when + 2 * 86400), quote, {"invoice_status_id": inv.APPROVED})
                quote = history.store.get("invoices", quote["doc_id"]) or quote
                converted = convert_quote(history.env(when + 3 * 86400), quote)
            history.pay(when + 10 * 86400, converted, float(converted["amount"]), 2)


def _recurring(history: _History, client: Record, start: int, anchor: int) -> None:
    when = start
    template = history.invoice(
        when, client, is_recurring=True, frequency_id=4, start_date=_day(when), invoice_date=_day(when)
    )
    moment = when
    while moment <= anchor:
        with history.store.transaction():
            current = history.store.get("invoices", template["doc_id"]) or template
            child = create_recurring_child(history.env(moment), current)
            if child is not None:
                # The recurring job emails each new invoice, which marks it sent.
                send_invoice(history.env(moment), child)
        if child is not None and history.builder.rng.random() < 0.8:
            history.pay(moment + 5 * 86400, child, float(child["amount"]), 5)
        moment += 86400


def _credits(history: _History, clients: list[Record], anchor: int) -> None:
    if not clients:
        return
    client = history.store.get("clients", clients[-1]["doc_id"]) or clients[-1]
    with history.store.transaction():
        new_credit(history.env(anchor - 40 * 86400), client, 250.0, private_notes="Goodwill credit")
    invoice = history.invoice(anchor - 20 * 86400, client, invoice_date=_day(anchor - 20 * 86400))
    amount = min(100.0, float(invoice["amount"]))
    history.pay(anchor - 10 * 86400, invoice, amount, pay.CREDIT_TYPE)


def seed_billing(
    state: dict[str, Any], static: StaticData, builder: SeedBuilder, account: Record, user: Record
) -> dict[str, Any]:
    """A year of invoices, quotes, recurring invoices, payments and credits for one account."""
    store = Store(state)
    account = store.get("accounts", account["doc_id"]) or account
    user = store.get("users", user["doc_id"]) or user
    history = _History(store, static, builder, Actor(account, user))
    anchor = builder.anchor_ts - 86400
    year_ago = anchor - 330 * 86400
    clients = [row for row in store.rows("clients", account["doc_id"]) if row.get("deleted_at") is None]
    for index, client in enumerate(clients):
        start = max(year_ago, int(client["created_at"]) + 86400)
        _invoice_history(history, history.client(client["public_id"]), index, start, anchor - 2 * 86400)
    _quotes(history, clients, anchor - 60 * 86400, anchor - 15 * 86400)
    for client in clients[:2]:
        first = anchor - int(
            (timedelta(days=150) if client is clients[0] else timedelta(days=95)).total_seconds()
        )
        _recurring(history, history.client(client["public_id"]), first, anchor)
    _credits(history, clients, anchor)
    return store.state
