"""``PaymentService::autoBillInvoice``: the client's credit first, then its stored payment method.

v4 charges a gateway token; the sandbox has no gateway, so a client's seeded
``payment_methods`` row stands for the token and the charge always succeeds.
"""

from __future__ import annotations

from sandbox.models import invoices as inv
from sandbox.models import payments as pay
from sandbox.models.accounts import Env
from sandbox.models.credits import credit_balance
from sandbox.models.invitations import invitations_of
from sandbox.models.php import php_round
from sandbox.store import Record


def stored_payment_method(env: Env, client: Record) -> Record | None:
    """The client's default stored payment method (a seeded stand-in for a gateway token)."""
    methods = [
        row
        for row in env.store.rows("payment_methods", env.account_id)
        if row.get("client_id") == client["public_id"] and row.get("deleted_at") is None
    ]
    return min(methods, key=lambda row: row["doc_id"]) if methods else None


def auto_bill(env: Env, invoice: Record) -> Record | None:
    """Pay what credit and a stored payment method can; returns the last payment made, if any."""
    payable = inv.is_standard(invoice) and not invoice.get("is_deleted")
    if not payable or int(invoice.get("invoice_status_id") or 1) >= inv.PAID:
        return None
    if not invitations_of(env, invoice):
        return None
    invoice = inv.mark_sent_if_unsent(env, invoice)
    client = inv.client_of(env, invoice)
    payment: Record | None = None
    credits = credit_balance(env, client)
    if credits:
        balance = float(invoice.get("balance") or 0)
        amount = min(credits, balance)
        payment = pay.save_payment(env, {"payment_type_id": pay.CREDIT_TYPE, "amount": amount}, invoice)
        if amount == balance:
            return payment
    method = stored_payment_method(env, client)
    if method is None:
        return payment
    invoice = env.store.get("invoices", invoice["doc_id"]) or invoice
    remaining = php_round(float(invoice.get("balance") or 0), 2)
    if remaining <= 0:
        return payment
    return pay.save_payment(
        env,
        {
            "payment_type_id": method.get("payment_type_id"),
            "amount": remaining,
            "transaction_reference": f"sandbox_{env.new_key()[:24]}",
        },
        invoice,
    )
