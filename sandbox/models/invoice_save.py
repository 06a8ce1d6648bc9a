"""``InvoiceRepository::save``: the request copied onto an invoice row, its totals, items and invitations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.models.accounts import Env
from sandbox.models.dates import account_date_format, mysql_date, process_variables, to_sql_date
from sandbox.models.invitations import all_invitations_sent, save_invitations
from sandbox.models.invoice_items import save_items, totals_lines
from sandbox.models.invoices import (
    INVOICE_FILLABLE,
    SENT,
    entity_type,
    is_quote,
    is_sent,
    mark_invitations_sent,
    new_invoice_fields,
    save_fields,
    store_invoice,
    stored_items,
)
from sandbox.models.php import filter_bool, mysql_int, parse_float, php_round, truthy
from sandbox.models.totals import InvoiceTotalsInput, compute_totals
from sandbox.store import Record


def _kind_of_new(data: Mapping[str, Any]) -> str:
    if data.get("is_recurring") is not None and filter_bool(data["is_recurring"]):
        return "recurring_invoice"
    if data.get("is_quote") is not None and filter_bool(data["is_quote"]):
        return "quote"
    return "invoice"


def _trimmed(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _apply_input(
    env: Env, fields: Record, data: Mapping[str, Any], *, is_new: bool, date_format: str
) -> None:
    """The part of ``InvoiceRepository::save`` that copies the request onto the row."""
    account = env.account
    if data.get("has_tasks") is not None and filter_bool(data["has_tasks"]):
        fields["has_tasks"] = True
    if data.get("has_expenses") is not None and filter_bool(data["has_expenses"]):
        fields["has_expenses"] = True
    if data.get("is_public") is not None and filter_bool(data["is_public"]):
        fields["is_public"] = True
        if not is_sent(fields):
            fields["invoice_status_id"] = SENT
    for name in INVOICE_FILLABLE:
        if name in data:
            value = data[name]
            if name == "invoice_design_id" and value is not None and not truthy(value):
                value = 1
            fields[name] = parse_float(value) if name.startswith("tax_rate") else value
    kind = entity_type(fields)
    if data.get("set_default_terms") and truthy(data["set_default_terms"]):
        env.store.update("accounts", env.account_id, {f"{kind}_terms": _trimmed(data.get("terms"))})
    if data.get("set_default_footer") and truthy(data["set_default_footer"]):
        env.store.update("accounts", env.account_id, {"invoice_footer": _trimmed(data.get("invoice_footer"))})
    if truthy(data.get("invoice_number")) and not fields.get("is_recurring"):
        fields["invoice_number"] = _trimmed(data["invoice_number"])
    if data.get("discount") is not None:
        fields["discount"] = php_round(parse_float(data["discount"]), 2)
    if data.get("is_amount_discount") is not None:
        fields["is_amount_discount"] = truthy(data["is_amount_discount"])
    if data.get("invoice_date_sql") is not None:
        fields["invoice_date"] = data["invoice_date_sql"]
    elif data.get("invoice_date") is not None:
        fields["invoice_date"] = to_sql_date(data["invoice_date"], date_format)
    if fields.get("is_recurring"):
        _apply_recurring(fields, data, is_new=is_new, date_format=date_format)
    else:
        due_given = truthy(data.get("due_date")) or truthy(data.get("due_date_sql"))
        if not (is_new and not due_given) and (
            data.get("due_date") is not None or data.get("due_date_sql") is not None
        ):
            sql = data.get("due_date_sql")
            fields["due_date"] = sql if sql is not None else to_sql_date(data.get("due_date"), date_format)
        fields["frequency_id"] = 0
        fields["start_date"] = None
        fields["end_date"] = None
    terms_key = f"{kind}_terms"
    recurring = bool(fields.get("is_recurring"))
    for name, default in (
        ("terms", account.get(terms_key)),
        ("invoice_footer", account.get("invoice_footer")),
    ):
        if data.get(name) is not None and _trimmed(data[name]):
            fields[name] = _trimmed(data[name])
        elif is_new and not recurring and truthy(default):
            fields[name] = default
        else:
            fields[name] = ""
    fields["public_notes"] = (
        _trimmed(data.get("public_notes")) if data.get("public_notes") is not None else ""
    )
    if not recurring:
        for name in ("terms", "invoice_footer", "public_notes"):
            fields[name] = process_variables(fields[name], env.today)
    if data.get("po_number") is not None:
        fields["po_number"] = _trimmed(data["po_number"])
    for name in ("custom_value1", "custom_value2"):
        if data.get(name) is not None:
            fields[name] = php_round(parse_float(data[name]), 2)
    for name in ("custom_text_value1", "custom_text_value2"):
        if data.get(name) is not None:
            fields[name] = _trimmed(data[name])


def _apply_recurring(fields: Record, data: Mapping[str, Any], *, is_new: bool, date_format: str) -> None:
    start = to_sql_date(data.get("start_date"), date_format)
    if (
        not is_new
        and data.get("start_date") is not None
        and fields.get("start_date")
        and fields["start_date"] != start
    ):
        fields["last_sent_date"] = None
    fields["frequency_id"] = mysql_int(data.get("frequency_id", 4)) or 0
    fields["start_date"] = start
    fields["end_date"] = to_sql_date(data.get("end_date"), date_format)
    fields["client_enable_auto_bill"] = truthy(data.get("client_enable_auto_bill"))
    auto_bill = mysql_int(data.get("auto_bill_id")) or mysql_int(data.get("auto_bill", 1)) or 0
    fields["auto_bill"] = auto_bill if 1 <= auto_bill <= 4 else 1
    if data.get("recurring_due_date") is not None:
        fields["due_date"] = mysql_date(data["recurring_due_date"])
    elif data.get("due_date") is not None:
        fields["due_date"] = mysql_date(data["due_date"])


def _apply_totals(
    env: Env, fields: Record, items: Sequence[Mapping[str, Any]], data: Mapping[str, Any], old: Record | None
) -> None:
    totals = compute_totals(
        InvoiceTotalsInput(
            items=totals_lines(items),
            discount=fields.get("discount"),
            is_amount_discount=bool(fields.get("is_amount_discount")),
            tax_rate1=fields.get("tax_rate1") or 0,
            tax_rate2=fields.get("tax_rate2") or 0,
            custom_value1=fields.get("custom_value1") or 0,
            custom_value2=fields.get("custom_value2") or 0,
            custom_taxes1=bool(fields.get("custom_taxes1")),
            custom_taxes2=bool(fields.get("custom_taxes2")),
            inclusive_taxes=bool(env.account.get("inclusive_taxes")),
            partial=data.get("partial"),
        ),
        old_amount=None if old is None else float(old.get("amount") or 0),
        old_balance=None if old is None else float(old.get("balance") or 0),
    )
    fields["amount"] = totals.amount
    fields["balance"] = totals.balance
    if totals.partial is not None:
        fields["partial"] = totals.partial
    if fields.get("partial"):
        if data.get("partial_due_date") is not None:
            fields["partial_due_date"] = to_sql_date(
                data["partial_due_date"], account_date_format(env.static, env.account)
            )
    else:
        fields["partial_due_date"] = None


def save_invoice(
    env: Env, data: Mapping[str, Any], client: Record, invoice: Record | None = None
) -> tuple[Record, bool]:
    """``InvoiceRepository::save``: create or update an invoice, its items and its invitations."""
    is_new = invoice is None
    if invoice is not None and invoice.get("is_deleted"):
        return invoice, False
    fields: Record = new_invoice_fields(env, _kind_of_new(data), client) if invoice is None else dict(invoice)
    if is_new and data.get("partial_due_date"):
        fields["due_date"] = None
    date_format = account_date_format(env.static, env.account)
    _apply_input(env, fields, data, is_new=is_new, date_format=date_format)
    replacing_items = isinstance(data.get("invoice_items"), list)
    items: Sequence[Mapping[str, Any]]
    if replacing_items:
        items = [dict(item) if isinstance(item, dict) else {} for item in data["invoice_items"]]
    else:
        # v4 answers 500 on an update without invoice_items; the sandbox keeps the items (FIDELITY.md).
        items = [] if invoice is None else stored_items(env, invoice)
    _apply_totals(env, fields, items, data, invoice)
    if invoice is None:
        saved = store_invoice(env, fields, client)
    else:
        saved = save_fields(env, invoice, {k: v for k, v in fields.items() if k != "doc_id"})
    if replacing_items or is_new:
        save_items(env, saved, items, replacing=not is_new)
    save_invitations(env, saved, client)
    if saved.get("is_public") and not all_invitations_sent(env, saved):
        mark_invitations_sent(env, saved)
    saved = env.store.get("invoices", saved["doc_id"]) or saved
    event_kind = "quote" if is_quote(saved) else "invoice"
    env.fire(f"{'create' if is_new else 'update'}_{event_kind}", "invoices", saved)
    return saved, is_new
