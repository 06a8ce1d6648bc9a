"""Payments and what they do to invoices and clients (``PaymentService``, ``PaymentRepository``).

A payment moves three things: the invoice balance and status (``InvoiceListener``), the client's
balance and paid-to-date (the activity, see ``activities``), and for credit payments the credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.models import invoices as inv
from sandbox.models.accounts import Env
from sandbox.models.activities import Activity, record_activity
from sandbox.models.credits import apply_credits, new_credit
from sandbox.models.dates import account_date_format, default_due_date, to_sql_date
from sandbox.models.php import mysql_int, parse_float, php_round, truthy
from sandbox.store import Record

CREDIT_TYPE = 1
COMPLETED = 4
FAILED_OR_VOIDED = (2, 3)

#: ``Payment::$fillable``.
PAYMENT_FILLABLE = ("transaction_reference", "private_notes", "exchange_rate", "exchange_currency_id")


def completed_amount(payment: Mapping[str, Any]) -> float:
    """``Payment::getCompletedAmount``: amount less refunds, nothing when failed or voided."""
    if int(payment.get("payment_status_id") or COMPLETED) in FAILED_OR_VOIDED:
        return 0.0
    return float(payment.get("amount") or 0) - float(payment.get("refunded") or 0)


def invoice_of(env: Env, payment: Mapping[str, Any]) -> Record:
    """The payment's invoice (trashed included)."""
    invoice = env.store.get_public("invoices", env.account_id, int(payment["invoice_id"]))
    assert invoice is not None
    return invoice


def update_invoice_balance(
    env: Env, invoice: Record, change: float, *, partial: float | None = None, paid: bool
) -> Record:
    """``Invoice::updateBalances`` then ``updatePaidStatus``."""
    if invoice.get("is_deleted"):
        return invoice
    new_partial = float(invoice.get("partial") or 0) if partial is None else partial
    if not change and float(invoice.get("partial") or 0) == new_partial:
        return invoice
    fields: Record = {"balance": php_round(float(invoice.get("balance") or 0) + change, 2)}
    if float(invoice.get("partial") or 0) > 0:
        fields["partial"] = new_partial
        if not new_partial and invoice.get("partial_due_date"):
            fields["partial_due_date"] = None
            if not invoice.get("due_date"):
                fields["due_date"] = default_due_date(env.account, inv.client_of(env, invoice), env.today)
    invoice = inv.save_fields(env, invoice, fields)
    status = inv.paid_status(invoice, paid=paid)
    if status != invoice.get("invoice_status_id"):
        invoice = inv.save_fields(env, invoice, {"invoice_status_id": status})
    return invoice


def save_payment(env: Env, data: Mapping[str, Any], invoice: Record, payment: Record | None = None) -> Record:
    """``PaymentRepository::save``: a new payment for ``invoice``, or the editable fields of one."""
    store = env.store
    fields: Record = {}
    if payment is None:
        fields["payment_type_id"] = int(env.account.get("payment_type_id") or 0) or None
    elif payment.get("is_deleted"):
        return payment
    if "payment_type_id" in data and data["payment_type_id"] is not None:
        fields["payment_type_id"] = (
            mysql_int(data["payment_type_id"]) if truthy(data["payment_type_id"]) else None
        )
    if data.get("payment_date") is not None:
        fields["payment_date"] = to_sql_date(
            data["payment_date"], account_date_format(env.static, env.account)
        )
    else:
        fields["payment_date"] = env.today.isoformat()
    for name in PAYMENT_FILLABLE:
        if name in data:
            fields[name] = data[name]
    if payment is not None:
        changed = {k: v for k, v in fields.items() if payment.get(k) != v}
        return (
            store.update("payments", payment["doc_id"], {**changed, "updated_at": env.now})
            if changed
            else payment
        )

    client = inv.client_of(env, invoice)
    amount = min(php_round(parse_float(data.get("amount")), 2), inv.MAX_INVOICE_AMOUNT)
    if fields.get("payment_type_id") == CREDIT_TYPE:
        apply_credits(env, client, amount)
    payment = store.insert(
        "payments",
        {
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "public_id": store.next_public_id("payments", env.account_id),
            "invoice_id": invoice["public_id"],
            "client_id": client["public_id"],
            "contact_id": None,
            "amount": amount,
            "refunded": 0.0,
            "payment_status_id": COMPLETED,
            "transaction_reference": "",
            "private_notes": "",
            "exchange_rate": 1.0,
            "exchange_currency_id": 0,
            "payment_type_id": None,
            "is_deleted": False,
            **fields,
            "created_at": env.now,
            "updated_at": env.now,
            "deleted_at": None,
        },
    )
    _payment_created(env, payment, invoice, client)
    return payment


def _payment_created(env: Env, payment: Record, invoice: Record, client: Record) -> None:
    """``PaymentWasCreated``: the activity (client), then the invoice's balance and status."""
    amount = float(payment["amount"])
    record_activity(
        env,
        Activity.CREATE_PAYMENT,
        client,
        invoice=invoice,
        payment=payment,
        adjustment=-amount,
        paid_to_date=amount,
    )
    invoice = env.store.get("invoices", invoice["doc_id"]) or invoice
    partial = max(0.0, php_round(float(invoice.get("partial") or 0) - amount, 2))
    invoice = update_invoice_balance(env, invoice, -amount, partial=partial, paid=True)
    if float(invoice.get("balance") or 0) == 0 and env.account.get("auto_archive_invoice"):
        from sandbox.models.trash import archive_entity

        archive_entity(env, "invoices", invoice)
    env.fire("create_payment", "payments", payment)


def create_payment(env: Env, data: Mapping[str, Any], invoice: Record) -> Record:
    """``PaymentService::save``: an overpayment becomes a credit and the payment is capped at the balance."""
    invoice = env.store.get("invoices", invoice["doc_id"]) or invoice
    balance = float(invoice.get("balance") or 0)
    if parse_float(data.get("amount")) > balance:
        excess = php_round(parse_float(data.get("amount")) - balance, 2)
        reference = str(data.get("transaction_reference") or "")
        new_credit(
            env, inv.client_of(env, invoice), excess, private_notes=f"Credit created by payment {reference}"
        )
        data = {**data, "amount": balance}
    return save_payment(env, data, invoice)


def mark_paid(env: Env, invoice: Record) -> Record:
    """``InvoiceRepository::markPaid``: mark sent, pay the whole balance, return the *sent* invoice."""
    payable = (
        inv.is_standard(invoice)
        and not invoice.get("is_deleted")
        and int(invoice.get("invoice_status_id") or 1) < inv.PAID
    )
    if not payable:
        return invoice
    invoice = inv.mark_sent_if_unsent(env, invoice)
    save_payment(env, {"amount": invoice.get("balance")}, invoice)
    return invoice


def payment_deleted(env: Env, payment: Record) -> None:
    """``PaymentWasDeleted``: the client and invoice get the completed amount back; credit is refunded."""
    completed = completed_amount(payment)
    invoice = invoice_of(env, payment)
    client = inv.client_of(env, invoice)
    record_activity(
        env,
        Activity.DELETE_PAYMENT,
        client,
        invoice=invoice,
        payment=payment,
        adjustment=completed,
        paid_to_date=-completed,
    )
    if int(payment.get("payment_status_id") or COMPLETED) not in FAILED_OR_VOIDED:
        update_invoice_balance(
            env, env.store.get("invoices", invoice["doc_id"]) or invoice, completed, paid=False
        )
    if payment.get("payment_type_id") == CREDIT_TYPE:
        new_credit(env, client, php_round(completed, 2), private_notes="Refunded credit payment")
    env.fire("delete_payment", "payments", payment)


def payment_restored(env: Env, payment: Record, *, from_deleted: bool) -> None:
    """``PaymentWasRestored``: a payment back from deleted is applied again."""
    invoice = invoice_of(env, payment)
    client = inv.client_of(env, invoice)
    completed = completed_amount(payment) if from_deleted else 0.0
    record_activity(
        env,
        Activity.RESTORE_PAYMENT,
        client,
        invoice=invoice,
        payment=payment,
        adjustment=-completed,
        paid_to_date=completed,
    )
    if from_deleted and int(payment.get("payment_status_id") or COMPLETED) not in FAILED_OR_VOIDED:
        update_invoice_balance(
            env, env.store.get("invoices", invoice["doc_id"]) or invoice, -completed, paid=False
        )
