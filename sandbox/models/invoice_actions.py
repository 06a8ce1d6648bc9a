"""Invoices made from other invoices: quote conversion (``cloneInvoice``) and recurring children."""

from __future__ import annotations

from datetime import date, timedelta

from sandbox.models import invoices as inv
from sandbox.models.accounts import Env
from sandbox.models.dates import default_due_date, process_variables
from sandbox.models.invitations import invitations_of, new_invitation
from sandbox.models.numbering import number_prefix
from sandbox.store import Record

#: Fields a converted quote passes to its invoice.
CLONED_FIELDS = (
    "client_id", "discount", "is_amount_discount", "po_number", "is_recurring", "frequency_id", "start_date",
    "end_date", "terms", "invoice_footer", "public_notes", "private_notes", "invoice_design_id", "tax_name1",
    "tax_rate1", "tax_name2", "tax_rate2", "amount", "invoice_type_id", "custom_value1", "custom_value2",
    "custom_taxes1", "custom_taxes2", "partial", "custom_text_value1", "custom_text_value2",
)  # fmt: skip
ITEM_FIELDS = (
    "product_key", "notes", "cost", "qty", "tax_name1", "tax_rate1", "tax_name2", "tax_rate2",
    "custom_value1", "custom_value2", "discount",
)  # fmt: skip

#: Days after which a recurring template is due again, by ``frequency_id``.
FREQUENCY_DAYS = {1: 7, 2: 14, 3: 28, 4: 30, 5: 61, 6: 91, 7: 122, 8: 183, 9: 365, 10: 730}
FREQUENCY_MONTHS = {4: 1, 5: 2, 6: 3, 7: 4, 8: 6, 9: 12, 10: 24}


def _copy_children(env: Env, source: Record, target: Record) -> None:
    for item in inv.stored_items(env, source):
        env.store.insert(
            "invoice_items",
            {
                **{name: item.get(name) for name in ITEM_FIELDS},
                "account_id": env.account_id,
                "user_id": env.actor.user_id,
                "invoice_id": target["public_id"],
                "public_id": env.store.next_public_id("invoice_items", env.account_id),
                "invoice_item_type_id": item.get("invoice_item_type_id") or 1,
                "created_at": env.now,
                "updated_at": env.now,
                "deleted_at": None,
            },
        )
    for invitation in invitations_of(env, source):
        new_invitation(env, target, invitation["contact_id"])


def convert_quote(env: Env, quote: Record) -> Record:
    """``action=convert``: a new draft invoice from the quote (every call clones again, as in v4)."""
    account = env.account
    client = inv.client_of(env, quote)
    fields = inv.new_invoice_fields(env, "invoice", client)
    number: str | None = None
    has_prefix = bool(number_prefix(account, is_quote=False) or number_prefix(account, is_quote=True))
    if has_prefix and account.get("share_counter", True):
        candidate = str(quote.get("invoice_number") or "")
        quote_prefix = number_prefix(account, is_quote=True)
        if quote_prefix and candidate.startswith(quote_prefix):
            candidate = candidate[len(quote_prefix) :]
        candidate = number_prefix(account, is_quote=False) + candidate
        if not inv.number_taken(env, candidate):
            number = candidate
            counter = int(env.account.get("invoice_number_counter") or 1) - 1
            env.store.update("accounts", env.account_id, {"invoice_number_counter": counter})
    fields.update({name: quote.get(name) for name in CLONED_FIELDS})
    fields.update(
        {
            "invoice_type_id": inv.STANDARD,
            "invoice_design_id": int(account.get("invoice_design_id") or 1),
            "quote_id": quote["doc_id"],
            "balance": quote.get("amount"),
            "invoice_date": env.today.isoformat(),
            "due_date": default_due_date(account, client, env.today),
        }
    )
    if account.get("invoice_terms"):
        fields["terms"] = account["invoice_terms"]
    if number is not None:
        fields["invoice_number"] = number
    invoice = inv.store_invoice(env, fields, client)
    inv.save_fields(env, quote, {"quote_invoice_id": invoice["public_id"]})
    _copy_children(env, quote, invoice)
    env.fire("create_invoice", "invoices", invoice)
    return env.store.get("invoices", invoice["doc_id"]) or invoice


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return date(year, month, min(day.day, last))


def next_send_date(template: Record) -> date | None:
    """When a recurring template is next due: its start date, then one period after the last send."""
    start = template.get("start_date")
    if not start:
        return None
    last = template.get("last_sent_date")
    if not last:
        return date.fromisoformat(str(start)[:10])
    frequency = int(template.get("frequency_id") or 4)
    sent = date.fromisoformat(str(last)[:10])
    if frequency in FREQUENCY_MONTHS:
        return _add_months(sent, FREQUENCY_MONTHS[frequency])
    return sent + timedelta(days=FREQUENCY_DAYS.get(frequency, 30))


def should_send_today(template: Record, today: date) -> bool:
    """``Invoice::shouldSendToday`` for the sandbox's clock."""
    if not template.get("is_recurring") or template.get("is_deleted") or template.get("deleted_at"):
        return False
    due = next_send_date(template)
    end = template.get("end_date")
    if due is None or due > today:
        return False
    return not end or date.fromisoformat(str(end)[:10]) >= today


def create_recurring_child(env: Env, template: Record) -> Record | None:
    """``createRecurringInvoice``: today's invoice from a template, when one is due."""
    client = inv.client_of(env, template)
    if client.get("deleted_at") is not None or not should_send_today(template, env.today):
        return None
    fields = inv.new_invoice_fields(env, "invoice", client)
    fields["invoice_number"] = inv.next_invoice_number(env, client, quote=False, recurring_child=True)
    account = env.account
    today = env.today
    fields.update(
        {
            "is_public": True,
            "recurring_invoice_id": template["doc_id"],
            "amount": template.get("amount"),
            "balance": template.get("amount"),
            "discount": template.get("discount"),
            "po_number": template.get("po_number"),
            "public_notes": process_variables(template.get("public_notes"), today),
            "terms": process_variables(template.get("terms") or account.get("invoice_terms"), today),
            "invoice_footer": process_variables(
                template.get("invoice_footer") or account.get("invoice_footer"), today
            ),
            "tax_name1": template.get("tax_name1"),
            "tax_rate1": template.get("tax_rate1"),
            "tax_name2": template.get("tax_name2"),
            "tax_rate2": template.get("tax_rate2"),
            "invoice_design_id": template.get("invoice_design_id"),
            "custom_value1": template.get("custom_value1") or 0.0,
            "custom_value2": template.get("custom_value2") or 0.0,
            "custom_taxes1": bool(template.get("custom_taxes1")),
            "custom_taxes2": bool(template.get("custom_taxes2")),
            "custom_text_value1": process_variables(template.get("custom_text_value1"), today),
            "custom_text_value2": process_variables(template.get("custom_text_value2"), today),
            "is_amount_discount": bool(template.get("is_amount_discount")),
            "due_date": default_due_date(account, client, today),
        }
    )
    invoice = inv.store_invoice(env, fields, client)
    _copy_children(env, template, invoice)
    for item in inv.stored_items(env, invoice):
        env.store.update(
            "invoice_items",
            item["doc_id"],
            {
                "notes": process_variables(item.get("notes"), today),
                "product_key": process_variables(item.get("product_key"), today),
            },
        )
    inv.save_fields(env, template, {"last_sent_date": today.isoformat()})
    env.fire("create_invoice", "invoices", invoice)
    return env.store.get("invoices", invoice["doc_id"]) or invoice
