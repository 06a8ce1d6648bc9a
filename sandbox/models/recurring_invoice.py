"""``InvoiceRepository::createRecurringInvoice``: the invoice the recurring job makes from a template.

The new invoice copies the template's money fields, items, documents and invitations, takes the
next number with the ``recurring_invoice_number_prefix`` (``R``), is public but still a draft until
emailed, and points back at the template (``recurring_invoice_id``, the template's internal id).
The template's ``last_sent_date`` becomes today. Auto-billing runs unless the account bills on the
due date; then ``create_invoice`` fires.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.models import invoices as inv
from sandbox.models.account_settings import setting
from sandbox.models.accounts import Env
from sandbox.models.auto_bill import auto_bill
from sandbox.models.dates import process_variables
from sandbox.models.invitations import invitations_of, new_invitation
from sandbox.models.recurring import recurring_due_date
from sandbox.store import Record

AUTO_BILL_OFF, AUTO_BILL_ALWAYS = 1, 4
#: ``Document::cloneDocument``: what a copy keeps (the file itself is shared).
DOCUMENT_FIELDS = ("path", "preview", "name", "type", "disk", "hash", "size", "width", "height")


def auto_bill_enabled(template: Mapping[str, Any]) -> bool:
    """``Invoice::getAutoBillEnabled``: always, or opt-in/opt-out with the client's consent."""
    mode = int(template.get("auto_bill") or 0)
    return mode == AUTO_BILL_ALWAYS or (
        mode != AUTO_BILL_OFF and bool(template.get("client_enable_auto_bill"))
    )


def _fields(env: Env, template: Record, client: Record) -> Record:
    account = env.account
    today = env.today
    # A template's own number is a microtime, so starting from its kind leaves the counters alone.
    fields = inv.new_invoice_fields(env, "recurring_invoice", client)
    fields.update(
        {
            "user_id": template.get("user_id", env.actor.user_id),
            "is_recurring": False,
            "invoice_type_id": inv.STANDARD,
            "invoice_number": inv.next_invoice_number(env, client, quote=False, recurring_child=True),
            "is_public": True,
            "recurring_invoice_id": template["doc_id"],
            "start_date": None,
            "frequency_id": 0,
            "amount": template.get("amount") or 0.0,
            "balance": template.get("amount") or 0.0,
            "invoice_date": today.isoformat(),
            "discount": template.get("discount") or 0.0,
            "po_number": template.get("po_number") or "",
            "public_notes": process_variables(template.get("public_notes"), today),
            "terms": process_variables(template.get("terms") or account.get("invoice_terms"), today),
            "invoice_footer": process_variables(
                template.get("invoice_footer") or account.get("invoice_footer"), today
            ),
            "tax_name1": template.get("tax_name1") or "",
            "tax_rate1": template.get("tax_rate1") or 0.0,
            "tax_name2": template.get("tax_name2") or "",
            "tax_rate2": template.get("tax_rate2") or 0.0,
            "invoice_design_id": template.get("invoice_design_id") or 1,
            "custom_value1": template.get("custom_value1") or 0.0,
            "custom_value2": template.get("custom_value2") or 0.0,
            "custom_taxes1": bool(template.get("custom_taxes1")),
            "custom_taxes2": bool(template.get("custom_taxes2")),
            "custom_text_value1": process_variables(template.get("custom_text_value1"), today),
            "custom_text_value2": process_variables(template.get("custom_text_value2"), today),
            "is_amount_discount": bool(template.get("is_amount_discount")),
            "due_date": recurring_due_date(template, account, client, env.now),
        }
    )
    return fields


def _copy_items(env: Env, template: Record, invoice: Record) -> None:
    today = env.today
    for item in inv.stored_items(env, template):
        env.store.insert(
            "invoice_items",
            {
                "account_id": env.account_id,
                "user_id": item.get("user_id", env.actor.user_id),
                "invoice_id": invoice["public_id"],
                "public_id": env.store.next_public_id("invoice_items", env.account_id),
                "product_key": process_variables(item.get("product_key"), today),
                "notes": process_variables(item.get("notes"), today),
                "cost": item.get("cost"),
                "qty": item.get("qty"),
                "tax_name1": item.get("tax_name1"),
                "tax_rate1": item.get("tax_rate1"),
                "tax_name2": item.get("tax_name2"),
                "tax_rate2": item.get("tax_rate2"),
                "custom_value1": process_variables(item.get("custom_value1"), today),
                "custom_value2": process_variables(item.get("custom_value2"), today),
                "discount": item.get("discount"),
                # Not copied: a new item has the column's default type, a standard line.
                "invoice_item_type_id": 1,
                "created_at": env.now,
                "updated_at": env.now,
                "deleted_at": None,
            },
        )


def _copy_documents(env: Env, template: Record, invoice: Record) -> None:
    documents = env.store.find("documents", "invoice_id", template["public_id"], env.account_id)
    for document in sorted(documents, key=lambda row: row["doc_id"]):
        env.store.insert(
            "documents",
            {
                "account_id": env.account_id,
                "user_id": document.get("user_id", env.actor.user_id),
                "public_id": env.store.next_public_id("documents", env.account_id),
                "invoice_id": invoice["public_id"],
                "expense_id": None,
                **{name: document.get(name) for name in DOCUMENT_FIELDS},
                "is_default": False,
                "created_at": env.now,
                "updated_at": env.now,
                "deleted_at": None,
            },
        )


def create_from_template(env: Env, template: Record) -> Record | None:
    """The template's invoice for today (the caller checked that one is due), auto-billed if it should be.

    None when the template's client is archived or deleted, as v4 skips those.
    """
    client = inv.client_of(env, template)
    if client.get("deleted_at") is not None:
        return None
    invoice = inv.store_invoice(env, _fields(env, template, client), client)
    _copy_items(env, template, invoice)
    _copy_documents(env, template, invoice)
    for invitation in invitations_of(env, template):
        new_invitation(env, invoice, invitation["contact_id"])
    inv.save_fields(env, template, {"last_sent_date": env.today.isoformat()})
    if auto_bill_enabled(template) and not setting(env.account, "auto_bill_on_due_date"):
        auto_bill(env, env.store.get("invoices", invoice["doc_id"]) or invoice)
    invoice = env.store.get("invoices", invoice["doc_id"]) or invoice
    env.fire("create_invoice", "invoices", invoice)
    return invoice
