"""An account's settings: the ``accounts`` columns, their defaults, and ``PUT /accounts``.

Every column the API shows or fills is listed with how MySQL stores it, its default on a fresh
account and whether it may hold NULL. Records written before a column existed (the seeded demo
accounts) read as that default. The email settings (v4's ``account_email_settings`` row) and the
company's plan fields are kept on the account record too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from sandbox.errors import ValidationError
from sandbox.models.fields import Kind, coerce, required_errors, type_errors
from sandbox.models.php import mysql_int, truthy
from sandbox.store import Record

ColumnKind = Literal["string", "int", "decimal", "bool", "date", "labels"]


@dataclass(frozen=True)
class Column:
    """How one ``accounts`` column stores a value."""

    kind: ColumnKind
    default: Any = None
    nullable: bool = True
    fillable: bool = True


def _c(kind: ColumnKind, default: Any = None, *, null: bool = True, fill: bool = True) -> Column:
    return Column(kind, default, null, fill)


_S: ColumnKind = "string"
_I: ColumnKind = "int"
_B: ColumnKind = "bool"
_NOT_NULL_FLAGS_OFF = [
    "invoice_item_taxes",
    "hide_quantity",
    "hide_paid_to_date",
    "show_item_taxes",
    "military_time",
    "enable_reminder1",
    "enable_reminder2",
    "enable_reminder3",
    "enable_reminder4",
    "enable_email_markup",
    "all_pages_footer",
    "all_pages_header",
    "show_currency_code",
    "enable_portal_password",
    "send_portal_password",
    "invoice_embed_documents",
    "document_email_attachment",
    "ubl_email_attachment",
    "enable_second_tax_rate",
    "auto_bill_on_due_date",
    "enable_buy_now_buttons",
    "include_item_taxes_inline",
    "show_accept_invoice_terms",
    "show_accept_quote_terms",
    "require_invoice_signature",
    "require_quote_signature",
    "gateway_fee_enabled",
    "inclusive_taxes",
    "convert_products",
    "signature_on_pdf",
    "show_product_notes",
]
_NOT_NULL_FLAGS_ON = [
    "invoice_taxes",
    "fill_products",
    "update_products",
    "share_counter",
    "auto_convert_quote",
    "enable_client_portal",
    "enable_client_portal_dashboard",
    "live_preview",
]
_NULLABLE_TEXT = [
    "name",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "invoice_terms",
    "email_footer",
    "work_phone",
    "work_email",
    "custom_value1",
    "custom_value2",
    "primary_color",
    "secondary_color",
    "vat_number",
    "invoice_number_prefix",
    "quote_number_prefix",
    "id_number",
    "invoice_footer",
    "invoice_labels",
    "custom_design1",
    "custom_design2",
    "custom_design3",
    "invoice_number_pattern",
    "quote_number_pattern",
    "quote_terms",
    "website",
    "client_view_css",
    "invoice_fields",
    "client_number_prefix",
    "client_number_pattern",
    "tax_name1",
    "tax_name2",
    "analytics_key",
    "credit_number_prefix",
    "credit_number_pattern",
]

#: The ``accounts`` columns (``database/setup.sql``), in no particular order.
COLUMNS: dict[str, Column] = {
    **{name: _c(_B, False, null=False) for name in _NOT_NULL_FLAGS_OFF},
    **{name: _c(_B, True, null=False) for name in _NOT_NULL_FLAGS_ON},
    **{name: _c(_S) for name in _NULLABLE_TEXT},
    "timezone_id": _c(_I),
    "date_format_id": _c(_I),
    "datetime_format_id": _c(_I),
    "currency_id": _c(_I),
    "country_id": _c(_I),
    "industry_id": _c(_I),
    "size_id": _c(_I),
    "invoice_design_id": _c(_I, 1, null=False),
    "quote_design_id": _c(_I, 1, null=False),
    "language_id": _c(_I, 1, null=False),
    "custom_invoice_taxes1": _c(_B, fill=False),
    "custom_invoice_taxes2": _c(_B, fill=False),
    "invoice_number_counter": _c(_I, 1),
    "quote_number_counter": _c(_I, 1),
    "token_billing_type_id": _c(_I, 4, null=False),
    "pdf_email_attachment": _c(_I, 0, null=False),
    "font_size": _c(_I, 9, null=False),
    "num_days_reminder1": _c(_I, 7, null=False),
    "num_days_reminder2": _c(_I, 14, null=False),
    "num_days_reminder3": _c(_I, 30, null=False),
    "recurring_hour": _c(_I, 8, null=False),
    "email_design_id": _c(_I, 1, null=False),
    **{f"direction_reminder{n}": _c(_I, 1, null=False) for n in (1, 2, 3)},
    **{f"field_reminder{n}": _c(_I, 1, null=False) for n in (1, 2, 3)},
    "header_font_id": _c(_I, 1, null=False),
    "body_font_id": _c(_I, 1, null=False),
    "recurring_invoice_number_prefix": _c(_S, "R", null=False),
    "logo": _c(_S, fill=False),
    "page_size": _c(_S, "A4", null=False),
    "invoice_number_padding": _c(_I, 4, null=False),
    "start_of_week": _c(_I, 0, null=False),
    "financial_year_start": _c("date"),
    "enabled_modules": _c(_I, 63, null=False),
    "enabled_dashboard_sections": _c(_I, 7, null=False),
    "client_number_counter": _c(_I, 0),
    "domain_id": _c(_I, 1),
    "payment_terms": _c(_I),
    "reset_counter_frequency_id": _c(_I),
    "payment_type_id": _c(_I),
    "reset_counter_date": _c("date"),
    "tax_rate1": _c("decimal", 0, null=False),
    "tax_rate2": _c("decimal", 0, null=False),
    "credit_number_counter": _c(_I, 0),
    "task_rate": _c("decimal", 0, null=False),
    "auto_archive_invoice": _c(_B, False),
    "auto_archive_quote": _c(_B, False),
    "auto_email_invoice": _c(_B, True),
    "send_item_details": _c(_B, False),
    "custom_fields": _c("labels"),
    "custom_messages": _c("labels"),
}

#: ``account_email_settings`` (one row per account in v4; kept on the account record here).
EMAIL_SETTINGS: dict[str, Any] = {
    "reply_to_email": None,
    "bcc_email": None,
    **{f"email_subject_{kind}": "" for kind in ("invoice", "quote", "payment")},
    **{f"email_template_{kind}": "" for kind in ("invoice", "quote", "payment")},
    **{f"email_subject_reminder{n}": "" for n in (1, 2, 3)},
    "email_subject_reminder4": None,
    **{f"email_template_reminder{n}": "" for n in (1, 2, 3)},
    "email_template_reminder4": None,
    **{f"late_fee{n}_{part}": None for n in (1, 2, 3) for part in ("amount", "percent")},
}

#: The company behind the account (plan, app-store order), kept on the account record too.
COMPANY_FIELDS: dict[str, Any] = {
    "plan": None,
    "plan_term": None,
    "plan_started": None,
    "plan_paid": None,
    "plan_expires": None,
    "plan_price": None,
    "num_users": 1,
    "trial_plan": None,
    "app_store_order_id": None,
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_LOGO_TYPES = "The logo must be a file of type: jpeg, gif, png."
MAX_LOGO_SIZE = 200  # MAX_LOGO_FILE_SIZE, in KB for files and characters for text


def setting(account: Record, name: str) -> Any:
    """A column's value, or its default when the record predates it."""
    if name in account:
        return account[name]
    if name in COLUMNS:
        return COLUMNS[name].default
    if name in EMAIL_SETTINGS:
        return EMAIL_SETTINGS[name]
    return COMPANY_FIELDS.get(name)


def labels(raw: Any) -> dict[str, Any]:
    """``custom_fields`` / ``custom_messages`` as the getter decodes them (``{}`` when empty)."""
    if isinstance(raw, str):
        try:
            raw = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError:
            return {}
    return dict(raw) if isinstance(raw, dict) else {}


def _labels_setter(value: Any) -> dict[str, Any] | None:
    """``setCustomFieldsAttribute``: drop empty values; nothing left stores NULL."""
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            value = None
    if isinstance(value, list):
        value = {str(i): item for i, item in enumerate(value)}
    if not isinstance(value, dict):
        return None
    kept = {str(key): item for key, item in value.items() if truthy(item)}
    return kept or None


def _store(name: str, column: Column, value: Any) -> Any:
    """What the column holds after ``fill($data)`` and a non-strict MySQL update."""
    if column.kind == "labels":
        return _labels_setter(value)
    if name in ("country_id", "industry_id", "size_id"):
        value = value if truthy(value) else None  # the model's ``?: null`` mutators
    if value is None:
        if column.nullable:
            return None
        return {"string": "", "int": 0, "decimal": 0.0, "bool": False, "date": None}[column.kind]
    if column.kind == "date":
        text = str(value)
        return text[:10] if _DATE.match(text) else None
    if column.kind == "int":
        return mysql_int(value)
    if column.kind == "decimal":
        return coerce("decimal", value)
    if column.kind == "bool":
        return coerce("bool", value)
    return coerce("string", value)


def _input_kinds() -> dict[str, Kind]:
    kinds: dict[str, Kind] = {}
    for name, column in COLUMNS.items():
        if column.fillable:
            kind = column.kind
            kinds[name] = "json" if kind == "labels" else "string" if kind == "date" else kind
    return kinds


def _logo_errors(data: Mapping[str, Any]) -> list[str]:
    """``logo``: ``sometimes|max:200|mimes:jpeg,gif,png``; a JSON or form body cannot carry a file."""
    if "logo" not in data:
        return []
    value = data["logo"]
    if isinstance(value, str) and value.strip() == "":
        return []  # non-implicit rules skip an empty string
    messages = []
    if isinstance(value, str) and len(value) > MAX_LOGO_SIZE:
        messages.append(f"The logo may not be greater than {MAX_LOGO_SIZE} characters.")
    messages.append(_LOGO_TYPES)
    return messages


def validate_update(data: Mapping[str, Any]) -> None:
    """``UpdateAccountRequest``: ``name`` required and the ``logo`` rules; values no column could hold."""
    errors = required_errors(data, ("name",))
    logo = _logo_errors(data)
    if logo:
        errors["logo"] = logo
    for name, messages in type_errors(_input_kinds(), data).items():
        errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def fill(account: Record, data: Mapping[str, Any]) -> dict[str, Any]:
    """``$account->fill($data)``: the fillable columns of ``data`` whose stored value would change."""
    changes: dict[str, Any] = {}
    for name, column in COLUMNS.items():
        if column.fillable and name in data:
            value = _store(name, column, data[name])
            if value != setting(account, name):
                changes[name] = value
    return changes


def new_account_fields() -> dict[str, Any]:
    """A fresh account's columns (``AccountRepository::create``): the defaults, currency 1."""
    fields = {name: column.default for name, column in COLUMNS.items()}
    fields["currency_id"] = 1
    return {**fields, **EMAIL_SETTINGS, **COMPANY_FIELDS, "devices": None}
