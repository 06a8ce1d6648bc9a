"""``InvoiceTransformer`` (invoices, quotes and recurring templates), its items and its invitations."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import flag, integer, money, text, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Include, Transformer

INVOICE_TYPE_QUOTE = 2


def _children(ctx: Context, table: str, invoice: Record) -> list[Record]:
    return ctx.children(table, "invoice_id", invoice)


def invoice_items(ctx: Context, invoice: Record) -> list[Record]:
    """An invoice's line items, in the order they were saved."""
    return _children(ctx, "invoice_items", invoice)


def invitations(ctx: Context, invoice: Record) -> list[Record]:
    """An invoice's invitations, one per contact it goes to."""
    return _children(ctx, "invitations", invoice)


def _client(ctx: Context, invoice: Record) -> Record | None:
    return ctx.store.get_public("clients", invoice["account_id"], invoice["client_id"])


def file_name(invoice: Record) -> str:
    """``Invoice::getFileName``: the translated entity name, ``_``, the number, ``.pdf``."""
    if invoice.get("is_recurring"):
        label = "Recurring Invoice"
    elif invoice.get("invoice_type_id") == INVOICE_TYPE_QUOTE:
        label = "Quote"
    else:
        label = "Invoice"
    return f"{label}_{invoice.get('invoice_number') or ''}.pdf"


def invoice_fields(ctx: Context, invoice: Record) -> dict[str, Any]:
    """The fields of one invoice, quote or recurring template, in transformer order."""
    return {
        **ctx.defaults(invoice),
        "id": integer(invoice["public_id"]),
        "amount": money(invoice.get("amount")),
        "balance": money(invoice.get("balance")),
        "client_id": integer(invoice.get("client_id")),
        "invoice_status_id": integer(invoice.get("invoice_status_id")) or 1,
        "updated_at": timestamp(invoice.get("updated_at")),
        "archived_at": timestamp(invoice.get("deleted_at")),
        "invoice_number": "" if invoice.get("is_recurring") else str(invoice.get("invoice_number") or ""),
        "discount": money(invoice.get("discount")),
        "po_number": invoice.get("po_number"),
        "invoice_date": text(invoice.get("invoice_date")),
        "due_date": text(invoice.get("due_date")),
        "terms": invoice.get("terms"),
        "public_notes": text(invoice.get("public_notes")),
        "private_notes": text(invoice.get("private_notes")),
        "is_deleted": flag(invoice.get("is_deleted")),
        "invoice_type_id": integer(invoice.get("invoice_type_id")),
        "is_recurring": flag(invoice.get("is_recurring")),
        "frequency_id": integer(invoice.get("frequency_id")),
        "start_date": text(invoice.get("start_date")),
        "end_date": text(invoice.get("end_date")),
        "last_sent_date": text(invoice.get("last_sent_date")),
        "recurring_invoice_id": integer(invoice.get("recurring_invoice_id")),
        "tax_name1": text(invoice.get("tax_name1")),
        "tax_rate1": money(invoice.get("tax_rate1")),
        "tax_name2": text(invoice.get("tax_name2")),
        "tax_rate2": money(invoice.get("tax_rate2")),
        "is_amount_discount": flag(invoice.get("is_amount_discount")),
        "invoice_footer": text(invoice.get("invoice_footer")),
        "partial": money(invoice.get("partial")),
        "partial_due_date": text(invoice.get("partial_due_date")),
        "has_tasks": flag(invoice.get("has_tasks")),
        "auto_bill": flag(invoice.get("auto_bill")),
        "auto_bill_id": integer(invoice.get("auto_bill")),
        "custom_value1": money(invoice.get("custom_value1")),
        "custom_value2": money(invoice.get("custom_value2")),
        "custom_taxes1": flag(invoice.get("custom_taxes1")),
        "custom_taxes2": flag(invoice.get("custom_taxes2")),
        "has_expenses": flag(invoice.get("has_expenses")),
        "quote_invoice_id": integer(invoice.get("quote_invoice_id")),
        "custom_text_value1": text(invoice.get("custom_text_value1")),
        "custom_text_value2": text(invoice.get("custom_text_value2")),
        "is_quote": invoice.get("invoice_type_id") == INVOICE_TYPE_QUOTE,
        "is_public": flag(invoice.get("is_public")),
        "filename": file_name(invoice),
        "invoice_design_id": integer(invoice.get("invoice_design_id")),
    }


def invoice_item_fields(ctx: Context, item: Record) -> dict[str, Any]:
    """The fields of one line item, in transformer order."""
    return {
        **ctx.defaults(item),
        "id": integer(item["public_id"]),
        "product_key": item.get("product_key"),
        "updated_at": timestamp(item.get("updated_at")),
        "archived_at": timestamp(item.get("deleted_at")),
        "notes": item.get("notes"),
        "cost": money(item.get("cost")),
        "qty": money(item.get("qty")),
        "tax_name1": text(item.get("tax_name1")),
        "tax_rate1": money(item.get("tax_rate1")),
        "tax_name2": text(item.get("tax_name2")),
        "tax_rate2": money(item.get("tax_rate2")),
        "invoice_item_type_id": integer(item.get("invoice_item_type_id")),
        "custom_value1": text(item.get("custom_value1")),
        "custom_value2": text(item.get("custom_value2")),
        "discount": money(item.get("discount")),
    }


def invitation_fields(ctx: Context, invitation: Record) -> dict[str, Any]:
    """The fields of one invitation; ``viewed_date`` repeats ``sent_date``, as v4's transformer does."""
    key = str(invitation.get("invitation_key") or "")
    return {
        "id": integer(invitation["public_id"]),
        "key": key,
        "link": f"{ctx.base_url}/view/{key}",
        "sent_date": text(invitation.get("sent_date")),
        "viewed_date": text(invitation.get("sent_date")),
    }


INVOICE_ITEM = Transformer("invoice_item", invoice_item_fields)
INVITATION = Transformer("invitation", invitation_fields)


def _client_transformer() -> Transformer:
    from sandbox.transform.clients import CLIENT

    return CLIENT


def _payments(ctx: Context, invoice: Record) -> list[Record]:
    """``$invoice->payments``: the invoice's non-archived payments."""
    return ctx.children("payments", "invoice_id", invoice, live_only=True)


def _payment_transformer() -> Transformer:
    from sandbox.transform.payments import PAYMENT

    return PAYMENT


def _documents(ctx: Context, invoice: Record) -> list[Record]:
    """``$invoice->documents``."""
    return ctx.children("documents", "invoice_id", invoice)


def _document_transformer() -> Transformer:
    from sandbox.transform.documents import DOCUMENT

    return DOCUMENT


INVOICE = Transformer(
    "invoice",
    invoice_fields,
    default_includes=(Include("invoice_items", invoice_items, lambda: INVOICE_ITEM),),
    available_includes=(
        Include("invitations", invitations, lambda: INVITATION),
        Include("payments", _payments, _payment_transformer),
        Include("client", _client, _client_transformer, many=False),
        Include("documents", _documents, _document_transformer),
    ),
)
