"""``ExpenseTransformer``: an expense, with its documents on request."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import flag, integer, money, text, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Include, Transformer
from sandbox.transform.vendors import raw_text


def expense_fields(ctx: Context, expense: Record) -> dict[str, Any]:
    """The fields of one expense, in transformer order (note ``tax_name1, tax_name2, tax_rate1``)."""
    return {
        **ctx.defaults(expense),
        "id": integer(expense["public_id"]),
        "private_notes": raw_text(expense.get("private_notes")),
        "public_notes": raw_text(expense.get("public_notes")),
        "should_be_invoiced": flag(expense.get("should_be_invoiced")),
        "updated_at": timestamp(expense.get("updated_at")),
        "archived_at": timestamp(expense.get("deleted_at")),
        "transaction_id": text(expense.get("transaction_id")),
        "transaction_reference": text(expense.get("transaction_reference")),
        "bank_id": integer(expense.get("bank_id")),
        "expense_currency_id": integer(expense.get("expense_currency_id")),
        "expense_category_id": integer(expense.get("expense_category_id")),
        "amount": money(expense.get("amount")),
        "expense_date": text(expense.get("expense_date")),
        "payment_date": text(expense.get("payment_date")),
        "invoice_documents": flag(expense.get("invoice_documents")),
        "payment_type_id": integer(expense.get("payment_type_id")),
        "exchange_rate": money(expense.get("exchange_rate")),
        "invoice_currency_id": integer(expense.get("invoice_currency_id")),
        "is_deleted": flag(expense.get("is_deleted")),
        "tax_name1": text(expense.get("tax_name1")),
        "tax_name2": text(expense.get("tax_name2")),
        "tax_rate1": money(expense.get("tax_rate1")),
        "tax_rate2": money(expense.get("tax_rate2")),
        "client_id": integer(expense.get("client_id")),
        "invoice_id": integer(expense.get("invoice_id")),
        "vendor_id": integer(expense.get("vendor_id")),
        "custom_value1": text(expense.get("custom_value1")),
        "custom_value2": text(expense.get("custom_value2")),
    }


def _documents(ctx: Context, expense: Record) -> list[Record]:
    """``$expense->documents``, oldest first."""
    return ctx.children("documents", "expense_id", expense)


def _document_transformer() -> Transformer:
    from sandbox.transform.documents import DOCUMENT

    return DOCUMENT


EXPENSE = Transformer(
    "expense",
    expense_fields,
    available_includes=(Include("documents", _documents, _document_transformer),),
)
