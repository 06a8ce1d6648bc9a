"""Invoices, quotes and recurring templates: ``InvoiceRepository::save`` and the model's save hooks.

An invoice row is saved through ``store_invoice`` (insert) and ``save_fields`` (update), which do
what v4's Eloquent hooks do on every save: bump the counters on insert, apply the paid-status rule,
and log a ``CREATE``/``UPDATE`` activity whose adjustment moves the client balance (reference §4.16).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.errors import RecordNotFoundError
from sandbox.models import numbering
from sandbox.models.accounts import Env
from sandbox.models.activities import Activity, record_activity
from sandbox.models.dates import default_due_date
from sandbox.models.invitations import (
    invitations_of,
    mark_invitation_sent,
)
from sandbox.store import Record

DRAFT, SENT, VIEWED, APPROVED, PARTIAL, PAID = 1, 2, 3, 4, 5, 6
STANDARD, QUOTE = 1, 2
MAX_INVOICE_AMOUNT = 10_000_000_000

#: Changes that alone do not count as "the invoice changed" (``Invoice::isChanged``).
_NOT_CHANGES = frozenset({"invoice_status_id", "client_enable_auto_bill", "quote_invoice_id", "updated_at"})

#: ``Invoice::$fillable``: copied from the request as sent.
INVOICE_FILLABLE = (
    "tax_name1",
    "tax_rate1",
    "tax_name2",
    "tax_rate2",
    "private_notes",
    "last_sent_date",
    "invoice_design_id",
)


def is_quote(invoice: Mapping[str, Any]) -> bool:
    """``invoice_type_id`` 2."""
    return invoice.get("invoice_type_id") == QUOTE


def is_standard(invoice: Mapping[str, Any]) -> bool:
    """A plain invoice: not a quote, not a recurring template."""
    return invoice.get("invoice_type_id") == STANDARD and not invoice.get("is_recurring")


def affects_balance(invoice: Mapping[str, Any]) -> bool:
    """``Invoice::affectsBalance``: standard, not recurring, public."""
    return is_standard(invoice) and bool(invoice.get("is_public"))


def is_sent(invoice: Mapping[str, Any]) -> bool:
    """Status Sent or beyond."""
    return int(invoice.get("invoice_status_id") or DRAFT) >= SENT


def entity_type(invoice: Mapping[str, Any]) -> str:
    """``invoice``, ``quote`` or ``recurring_invoice``."""
    if invoice.get("is_recurring"):
        return "recurring_invoice"
    return "quote" if is_quote(invoice) else "invoice"


def client_of(env: Env, invoice: Mapping[str, Any]) -> Record:
    """The invoice's client (trashed included)."""
    client = env.store.get_public("clients", env.account_id, int(invoice["client_id"]))
    if client is None:
        raise RecordNotFoundError()
    return client


def adjustment(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> float:
    """``Invoice::getAdjustment``: what this save adds to the client balance."""
    if not affects_balance(new):
        return 0.0
    if new.get("is_public") and not (old or {}).get("is_public"):
        return float(new.get("amount") or 0)
    return float(new.get("amount") or 0) - float((old or {}).get("amount") or 0)


def paid_status(invoice: Mapping[str, Any], *, paid: bool) -> int:
    """``Invoice::updatePaidStatus``: the status after a balance change."""
    status = int(invoice.get("invoice_status_id") or DRAFT)
    balance = float(invoice.get("balance") or 0)
    amount = float(invoice.get("amount") or 0)
    if paid and balance == 0:
        return PAID
    if paid and 0 < balance < amount:
        return PARTIAL
    if status >= PARTIAL and balance > 0:
        return SENT if balance == amount else PARTIAL
    return status


def _log_save(env: Env, old: Record | None, new: Record) -> None:
    client = client_of(env, new)
    if is_quote(new):
        kind = Activity.CREATE_QUOTE if old is None else Activity.UPDATE_QUOTE
        record_activity(env, kind, client, invoice=new)
        return
    kind = Activity.CREATE_INVOICE if old is None else Activity.UPDATE_INVOICE
    record_activity(env, kind, client, invoice=new, adjustment=adjustment(old, new))


def save_fields(env: Env, invoice: Record, fields: Mapping[str, Any]) -> Record:
    """Save changed fields the way the model does: paid-status rule, activity, client balance."""
    new = {**invoice, **fields}
    if not is_quote(new):
        new["invoice_status_id"] = paid_status(new, paid=False)
    changed = {key: value for key, value in new.items() if invoice.get(key) != value}
    if not changed:
        return invoice
    if set(changed) - _NOT_CHANGES:
        _log_save(env, invoice, new)
    return env.store.update("invoices", invoice["doc_id"], {**changed, "updated_at": env.now})


def store_invoice(env: Env, fields: Mapping[str, Any], client: Record) -> Record:
    """Insert a new invoice: the counters move (``Invoice::creating``) and the creation is logged."""
    account = env.account
    quote = fields.get("invoice_type_id") == QUOTE
    recurring = bool(fields.get("is_recurring"))
    amount = float(fields.get("amount") or 0)
    counters = numbering.counter_after_insert(
        account, is_quote=quote, amount=amount, custom_number_given=False, is_recurring=recurring
    )
    if counters:
        env.store.update("accounts", env.account_id, counters)
    client_counters = numbering.client_counter_after_insert(
        account, client, is_quote=quote, amount=amount, is_recurring=recurring
    )
    if client_counters:
        env.store.update("clients", client["doc_id"], client_counters)
    invoice = env.store.insert("invoices", dict(fields))
    _log_save(env, None, invoice)
    return invoice


def number_taken(env: Env, number: str, except_doc: int | None = None) -> bool:
    """Whether an invoice of the account (deleted ones too) already has this number."""
    return any(
        row["doc_id"] != except_doc
        for row in env.store.find("invoices", "invoice_number", number, env.account_id)
    )


def next_invoice_number(
    env: Env, client: Record | None, *, quote: bool, recurring_child: bool = False
) -> str:
    """``Account::getNextNumber``; counters that had to skip taken numbers catch up."""
    choice = numbering.next_number(
        env.account,
        is_quote=quote,
        client=client,
        user_public_id=int(env.actor.user.get("public_id") or 0),
        today=env.today,
        is_taken=lambda number: number_taken(env, number),
        recurring=recurring_child,
    )
    if choice.counter_updates:
        env.store.update("accounts", env.account_id, choice.counter_updates)
    return choice.number


def new_invoice_fields(env: Env, kind: str, client: Record) -> Record:
    """``Account::createInvoice`` plus the repository's defaults for a new row."""
    account = env.account
    quote = kind == "quote"
    recurring = kind == "recurring_invoice"
    today = env.today.isoformat()
    if recurring:
        number = f"{env.now}.{env.rng.randint(0, 9999):04d}"
    else:
        number = next_invoice_number(env, client, quote=quote)
    return {
        "account_id": env.account_id,
        "user_id": env.actor.user_id,
        "public_id": env.store.next_public_id("invoices", env.account_id),
        "client_id": client["public_id"],
        "invoice_number": number,
        "invoice_type_id": QUOTE if quote else STANDARD,
        "is_recurring": recurring,
        "invoice_status_id": DRAFT,
        "is_public": False,
        "invoice_date": today,
        "due_date": None if kind != "invoice" else default_due_date(account, client, env.today),
        "start_date": today,
        "end_date": None,
        "frequency_id": 0,
        "last_sent_date": None,
        "recurring_invoice_id": None,
        "quote_invoice_id": None,
        "quote_id": None,
        "invoice_design_id": int(account.get("quote_design_id" if quote else "invoice_design_id") or 1),
        "custom_taxes1": bool(account.get("custom_invoice_taxes1")),
        "custom_taxes2": bool(account.get("custom_invoice_taxes2")),
        "discount": 0.0,
        "is_amount_discount": False,
        "po_number": "",
        "terms": "",
        "invoice_footer": "",
        "public_notes": "",
        "private_notes": None,
        "tax_name1": "",
        "tax_rate1": 0.0,
        "tax_name2": "",
        "tax_rate2": 0.0,
        "partial": 0.0,
        "partial_due_date": None,
        "has_tasks": False,
        "has_expenses": False,
        "auto_bill": 0,
        "client_enable_auto_bill": False,
        "custom_value1": 0.0,
        "custom_value2": 0.0,
        "custom_text_value1": None,
        "custom_text_value2": None,
        "amount": 0.0,
        "balance": 0.0,
        "is_deleted": False,
        "created_at": env.now,
        "updated_at": env.now,
        "deleted_at": None,
    }


def stored_items(env: Env, invoice: Record) -> list[Record]:
    """The saved line items of an invoice, in order."""
    found = env.store.find("invoice_items", "invoice_id", invoice["public_id"], env.account_id)
    return sorted(found, key=lambda row: row["doc_id"])


def mark_invitations_sent(env: Env, invoice: Record) -> Record:
    """``Invoice::markInvitationsSent`` (without notifications): every invitation gets a sent date."""
    if invoice.get("is_deleted"):
        return invoice
    for invitation in invitations_of(env, invoice):
        if not is_sent(invoice):
            invoice = save_fields(env, invoice, {"is_public": True, "invoice_status_id": SENT})
        mark_invitation_sent(env, invitation)
    return invoice


def mark_sent(env: Env, invoice: Record) -> Record:
    """``Invoice::markSent``: status Sent (unless beyond), public, invitations sent; no-op when deleted."""
    if invoice.get("is_deleted"):
        return invoice
    fields: Record = {"is_public": True}
    if not is_sent(invoice):
        fields["invoice_status_id"] = SENT
    invoice = save_fields(env, invoice, fields)
    return mark_invitations_sent(env, invoice)


def mark_sent_if_unsent(env: Env, invoice: Record) -> Record:
    """``Invoice::markSentIfUnsent``."""
    return invoice if is_sent(invoice) else mark_sent(env, invoice)
