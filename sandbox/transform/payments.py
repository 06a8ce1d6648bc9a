"""``PaymentTransformer`` and ``CreditTransformer``."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import flag, integer, money, text, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Include, Transformer


def _invoice(ctx: Context, payment: Record) -> Record | None:
    return ctx.store.get_public("invoices", payment["account_id"], int(payment["invoice_id"]))


def _client(ctx: Context, record: Record) -> Record | None:
    return ctx.store.get_public("clients", record["account_id"], int(record["client_id"]))


def payment_fields(ctx: Context, payment: Record) -> dict[str, Any]:
    """The fields of one payment, in transformer order (no ``client_id``, as in v4)."""
    invoice = _invoice(ctx, payment) or {}
    return {
        **ctx.defaults(payment),
        "id": integer(payment["public_id"]),
        "amount": money(payment.get("amount")),
        "transaction_reference": text(payment.get("transaction_reference")),
        "payment_date": text(payment.get("payment_date")),
        "updated_at": timestamp(payment.get("updated_at")),
        "archived_at": timestamp(payment.get("deleted_at")),
        "is_deleted": flag(payment.get("is_deleted")),
        "payment_type_id": integer(payment.get("payment_type_id")),
        "invoice_id": integer(invoice.get("public_id")),
        "invoice_number": text(invoice.get("invoice_number")),
        "private_notes": text(payment.get("private_notes")),
        "exchange_rate": money(
            payment.get("exchange_rate") if payment.get("exchange_rate") is not None else 1
        ),
        "exchange_currency_id": integer(payment.get("exchange_currency_id")),
        "refunded": money(payment.get("refunded")),
        "payment_status_id": integer(payment.get("payment_status_id")) or 4,
    }


def credit_fields(ctx: Context, credit: Record) -> dict[str, Any]:
    """The fields of one credit, in transformer order."""
    return {
        **ctx.defaults(credit),
        "id": integer(credit["public_id"]),
        "amount": money(credit.get("amount")),
        "balance": money(credit.get("balance")),
        "updated_at": timestamp(credit.get("updated_at")),
        "archived_at": timestamp(credit.get("deleted_at")),
        "is_deleted": flag(credit.get("is_deleted")),
        "credit_date": text(credit.get("credit_date")),
        "credit_number": text(credit.get("credit_number")),
        "private_notes": text(credit.get("private_notes")),
        "public_notes": text(credit.get("public_notes")),
        "client_id": integer(credit.get("client_id")),
    }


def _client_transformer() -> Transformer:
    from sandbox.transform.clients import CLIENT

    return CLIENT


def _invoice_transformer() -> Transformer:
    from sandbox.transform.invoices import INVOICE

    return INVOICE


PAYMENT = Transformer(
    "payment",
    payment_fields,
    available_includes=(
        Include("client", _client, _client_transformer, many=False),
        Include("invoice", _invoice, _invoice_transformer, many=False),
    ),
)
CREDIT = Transformer("credit", credit_fields)
