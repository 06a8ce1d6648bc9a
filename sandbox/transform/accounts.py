"""``AccountTransformer``, ``AccountEmailSettingsTransformer`` and ``UserAccountTransformer``.

None of them has the common defaults. Many account columns are shown raw (no cast), so their JSON
type is the column's: ``enable_reminder1`` is 0/1, ``invoice_labels`` is JSON text. Both account
transformers repeat ``custom_invoice_taxes1`` as ``custom_invoice_taxes2``, as v4 does.

v4's JSON-API serializer refuses these three (they have no ``id``) with a 500; under
``serializer=json`` the sandbox gives each the account key as its id instead (FIDELITY.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import Any

from sandbox.mail.templates import default_body, default_subject, email_footer
from sandbox.models.account_settings import labels, setting
from sandbox.models.sessions import token_named
from sandbox.models.users import users_of
from sandbox.store import Record
from sandbox.transform.casts import flag, integer, money, text, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Include, Transformer
from sandbox.transform.task_statuses import TASK_STATUS, task_statuses_of
from sandbox.transform.users import USER

UNTITLED = "Untitled Company"
LABELS = (
    ("custom_invoice_label1", "invoice1"),
    ("custom_invoice_label2", "invoice2"),
    ("custom_client_label1", "client1"),
    ("custom_client_label2", "client2"),
    ("custom_contact_label1", "contact1"),
    ("custom_contact_label2", "contact2"),
    ("custom_label1", "account1"),
    ("custom_label2", "account2"),
    ("custom_invoice_text_label1", "invoice_text1"),
    ("custom_invoice_text_label2", "invoice_text2"),
    ("custom_invoice_item_label1", "product1"),
    ("custom_invoice_item_label2", "product2"),
)


def _raw_int(value: Any) -> int | None:
    """An uncast integer column: ints stay ints, NULL stays null."""
    return None if value is None else int(value)


def _id(ctx: Context, account: Record) -> dict[str, Any]:
    return {"id": account["account_key"]} if ctx.json_api else {}


def _name(account: Record) -> str:
    """``AccountPresenter::name``."""
    return str(setting(account, "name") or "") or UNTITLED


def account_fields(ctx: Context, account: Record) -> dict[str, Any]:
    """The account's settings, in transformer order."""

    def s(name: str) -> Any:
        return setting(account, name)

    def flags(*names: str) -> dict[str, bool]:
        return {name: flag(s(name)) for name in names}

    def ints(*names: str) -> dict[str, int]:
        return {name: integer(s(name)) for name in names}

    def raw(*names: str) -> dict[str, Any]:
        return {name: s(name) for name in names}

    custom = labels(s("custom_fields"))
    taxes1 = _raw_int(s("custom_invoice_taxes1"))
    return {
        **_id(ctx, account),
        "account_key": account["account_key"],
        "logo": s("logo"),
        "name": _name(account),
        "id_number": s("id_number"),
        **ints("currency_id", "timezone_id", "date_format_id", "datetime_format_id"),
        "updated_at": timestamp(account.get("updated_at")),
        "archived_at": timestamp(account.get("deleted_at")),
        **raw("address1", "address2", "city", "state", "postal_code"),
        "country_id": integer(s("country_id")),
        **raw("invoice_terms", "email_footer"),
        **ints("industry_id", "size_id"),
        **flags("invoice_taxes", "invoice_item_taxes"),
        **ints("invoice_design_id", "quote_design_id"),
        "client_view_css": str(s("client_view_css") or ""),
        **raw("work_phone", "work_email"),
        "language_id": integer(s("language_id")),
        **flags("fill_products", "update_products"),
        **raw("vat_number", "custom_value1", "custom_value2", "primary_color", "secondary_color"),
        **flags("hide_quantity", "hide_paid_to_date"),
        "invoice_number_prefix": s("invoice_number_prefix"),
        "invoice_number_counter": _raw_int(s("invoice_number_counter")),
        "quote_number_prefix": s("quote_number_prefix"),
        "quote_number_counter": _raw_int(s("quote_number_counter")),
        "share_counter": flag(s("share_counter")),
        "token_billing_type_id": integer(s("token_billing_type_id")),
        "invoice_footer": s("invoice_footer"),
        "pdf_email_attachment": flag(s("pdf_email_attachment")),
        "font_size": _raw_int(s("font_size")),
        **raw("invoice_labels", "custom_design1", "custom_design2", "custom_design3"),
        **flags("show_item_taxes", "military_time"),
        **{f"enable_reminder{n}": _raw_int(s(f"enable_reminder{n}")) for n in (1, 2, 3, 4)},
        **{f"num_days_reminder{n}": _raw_int(s(f"num_days_reminder{n}")) for n in (1, 2, 3)},
        "tax_name1": text(s("tax_name1")),
        "tax_rate1": money(s("tax_rate1")),
        "tax_name2": text(s("tax_name2")),
        "tax_rate2": money(s("tax_rate2")),
        "recurring_hour": _raw_int(s("recurring_hour")),
        **raw("invoice_number_pattern", "quote_number_pattern", "quote_terms"),
        "enable_email_markup": flag(s("enable_email_markup")),
        "website": s("website"),
        **ints(*(f"direction_reminder{n}" for n in (1, 2, 3)), *(f"field_reminder{n}" for n in (1, 2, 3))),
        **ints("header_font_id", "body_font_id"),
        **flags("auto_convert_quote", "auto_archive_quote", "auto_archive_invoice", "auto_email_invoice"),
        **flags("all_pages_footer", "all_pages_header", "show_currency_code", "enable_portal_password"),
        "send_portal_password": flag(s("send_portal_password")),
        "recurring_invoice_number_prefix": s("recurring_invoice_number_prefix"),
        "enable_client_portal": flag(s("enable_client_portal")),
        "invoice_fields": s("invoice_fields"),
        **flags("invoice_embed_documents", "document_email_attachment", "enable_client_portal_dashboard"),
        "page_size": s("page_size"),
        "live_preview": flag(s("live_preview")),
        "invoice_number_padding": integer(s("invoice_number_padding")),
        **flags("enable_second_tax_rate", "auto_bill_on_due_date"),
        "start_of_week": _raw_int(s("start_of_week")),
        **flags("enable_buy_now_buttons", "include_item_taxes_inline"),
        "financial_year_start": s("financial_year_start"),
        **ints("enabled_modules", "enabled_dashboard_sections"),
        **flags("show_accept_invoice_terms", "show_accept_quote_terms"),
        **flags("require_invoice_signature", "require_quote_signature"),
        "client_number_prefix": s("client_number_prefix"),
        "client_number_counter": integer(s("client_number_counter")),
        "client_number_pattern": s("client_number_pattern"),
        **ints("payment_terms", "reset_counter_frequency_id", "payment_type_id"),
        **flags("gateway_fee_enabled", "send_item_details"),
        "reset_counter_date": s("reset_counter_date"),
        "task_rate": money(s("task_rate")),
        **flags("inclusive_taxes", "convert_products", "signature_on_pdf"),
        "custom_invoice_taxes1": taxes1,
        "custom_invoice_taxes2": taxes1,
        "custom_fields": custom,
        "custom_messages": labels(s("custom_messages")),
        **{key: custom.get(label) or "" for key, label in LABELS},
    }


def _decimal_text(value: Any, places: int) -> str | None:
    """A DECIMAL column as PDO returns it: text with the column's scale."""
    if value is None or isinstance(value, str):
        return value
    return f"{Decimal(repr(float(value))):.{places}f}"


def email_settings_fields(ctx: Context, account: Record) -> dict[str, Any]:
    """The account's ``account_email_settings`` row, raw."""
    names = ["reply_to_email", "bcc_email"]
    names += [
        f"email_{part}_{kind}" for part in ("subject", "template") for kind in ("invoice", "quote", "payment")
    ]
    names += [f"email_subject_reminder{n}" for n in (1, 2, 3, 4)]
    names += [f"email_template_reminder{n}" for n in (1, 2, 3, 4)]
    data: dict[str, Any] = {**_id(ctx, account), **{name: setting(account, name) for name in names}}
    for n in (1, 2, 3):
        data[f"late_fee{n}_amount"] = _decimal_text(setting(account, f"late_fee{n}_amount"), 2)
        data[f"late_fee{n}_percent"] = _decimal_text(setting(account, f"late_fee{n}_percent"), 3)
    return data


ACCOUNT_EMAIL_SETTINGS = Transformer("account_email_settings", email_settings_fields)


def _live(ctx: Context, table: str, account: Record) -> list[Record]:
    return [row for row in ctx.store.rows(table, int(account["doc_id"])) if row.get("deleted_at") is None]


def _all(ctx: Context, table: str, account: Record) -> list[Record]:
    return ctx.store.rows(table, int(account["doc_id"]))


def _lazy(module: str, name: str) -> Callable[[], Transformer]:
    """A transformer imported when first used (the entity modules import this one's neighbours)."""

    def load() -> Transformer:
        transformer: Transformer = getattr(import_module(f"sandbox.transform.{module}"), name)
        return transformer

    return load


ACCOUNT = Transformer(
    "account",
    account_fields,
    default_includes=(
        Include("users", lambda ctx, a: users_of(ctx.store, int(a["doc_id"])), lambda: USER),
        Include("products", lambda ctx, a: _live(ctx, "products", a), _lazy("products", "PRODUCT")),
        Include("tax_rates", lambda ctx, a: _live(ctx, "tax_rates", a), _lazy("tax_rates", "TAX_RATE")),
        Include(
            "expense_categories",
            lambda ctx, a: _all(ctx, "expense_categories", a),
            _lazy("expense_categories", "EXPENSE_CATEGORY"),
        ),
        Include("projects", lambda ctx, a: _all(ctx, "projects", a), _lazy("projects", "PROJECT")),
        Include("account_email_settings", lambda ctx, a: a, lambda: ACCOUNT_EMAIL_SETTINGS, many=False),
    ),
    available_includes=(
        Include("clients", lambda ctx, a: _live(ctx, "clients", a), _lazy("clients", "CLIENT")),
        Include("invoices", lambda ctx, a: _live(ctx, "invoices", a), _lazy("invoices", "INVOICE")),
        Include("payments", lambda ctx, a: _all(ctx, "payments", a), _lazy("payments", "PAYMENT")),
    ),
)


# -- user_account ---------------------------------------------------------------------------------


def _subject(account: Record, kind: str) -> str:
    """``Account::getEmailSubject``: the custom subject on one line, else the default."""
    custom = setting(account, f"email_subject_{kind}")
    if custom:
        return " ".join(str(custom).splitlines())
    return default_subject(kind)


def _template(account: Record, kind: str) -> str:
    """``Account::getEmailTemplate``: the custom body on one line, else the default for the design."""
    custom = setting(account, f"email_template_{kind}")
    if custom:
        return " ".join(str(custom).splitlines())
    return default_body(kind, buttons=integer(setting(account, "email_design_id")) != 1)


def _plan(account: Record, today: date) -> str:
    """``$company->hasActivePlan() && $company->plan``: a plan whose expiry is today or later."""
    plan, expires = setting(account, "plan"), setting(account, "plan_expires")
    return str(plan) if plan and expires and str(expires)[:10] >= today.isoformat() else ""


def _financial_year_month(account: Record) -> int:
    start = setting(account, "financial_year_start")
    return int(str(start)[5:7]) if start and str(start)[5:7].isdigit() else 1


def user_account_transformer(token_name: Any, today: date) -> Transformer:
    """The ``user_account`` transformer for one request (``token`` depends on its ``token_name``)."""

    def fields(ctx: Context, user: Record) -> dict[str, Any]:
        account = ctx.store.get("accounts", int(user["account_id"])) or ctx.account

        def s(name: str) -> Any:
            return setting(account, name)

        logo = s("logo")
        return {
            **_id(ctx, account),
            "account_key": account["account_key"],
            "user_id": int(user.get("public_id") or 0) + 1,
            "name": _name(account),
            "token": token_named(ctx.store, user, token_name),
            "default_url": ctx.base_url,
            "plan": _plan(account, today),
            "logo": logo or "",
            "logo_url": f"{ctx.base_url}/logo/{logo}" if logo else "",
            **{
                n: integer(s(n))
                for n in ("currency_id", "timezone_id", "date_format_id", "datetime_format_id")
            },
            "invoice_terms": text(s("invoice_terms")),
            **{n: flag(s(n)) for n in ("invoice_taxes", "invoice_item_taxes")},
            **{
                n: integer(s(n))
                for n in ("invoice_design_id", "quote_design_id", "language_id", "country_id")
            },
            "invoice_footer": text(s("invoice_footer")),
            "invoice_labels": text(s("invoice_labels")),
            **{n: flag(s(n)) for n in ("show_item_taxes", "military_time", "fill_products")},
            "tax_name1": text(s("tax_name1")),
            "tax_rate1": money(s("tax_rate1")),
            "tax_name2": text(s("tax_name2")),
            "tax_rate2": money(s("tax_rate2")),
            "quote_terms": text(s("quote_terms")),
            **{n: flag(s(n)) for n in ("show_currency_code", "enable_second_tax_rate")},
            "start_of_week": integer(s("start_of_week")),
            "financial_year_start": _financial_year_month(account),
            **{n: integer(s(n)) for n in ("enabled_modules", "payment_terms", "payment_type_id")},
            "task_rate": money(s("task_rate")),
            **{n: flag(s(n)) for n in ("inclusive_taxes", "convert_products")},
            "custom_invoice_taxes1": flag(s("custom_invoice_taxes1")),
            "custom_invoice_taxes2": flag(s("custom_invoice_taxes1")),
            "custom_fields": labels(s("custom_fields")),
            "invoice_fields": text(s("invoice_fields")),
            "custom_messages": labels(s("custom_messages")),
            "email_footer": email_footer(s("email_footer")),
            **{f"email_subject_{k}": _subject(account, k) for k in ("invoice", "quote", "payment")},
            **{f"email_template_{k}": _template(account, k) for k in ("invoice", "quote", "payment")},
            **{f"email_subject_reminder{n}": _subject(account, f"reminder{n}") for n in (1, 2, 3)},
            **{f"email_template_reminder{n}": _template(account, f"reminder{n}") for n in (1, 2, 3)},
            **{f"has_custom_design{n}": flag(s(f"custom_design{n}")) for n in (1, 2, 3)},
            "enable_portal_password": flag(s("enable_portal_password")),
        }

    # The includes show the caller's account (``$this->account``), whichever linked account a row is.
    return Transformer(
        "user_account",
        fields,
        default_includes=(Include("user", lambda ctx, u: u, lambda: USER, many=False),),
        available_includes=(
            Include("users", lambda ctx, u: users_of(ctx.store, int(ctx.account["doc_id"])), lambda: USER),
            Include(
                "tax_rates",
                lambda ctx, u: _live(ctx, "tax_rates", ctx.account),
                _lazy("tax_rates", "TAX_RATE"),
            ),
            Include(
                "expense_categories",
                lambda ctx, u: _all(ctx, "expense_categories", ctx.account),
                _lazy("expense_categories", "EXPENSE_CATEGORY"),
            ),
            Include(
                "account_email_settings",
                lambda ctx, u: ctx.account,
                lambda: ACCOUNT_EMAIL_SETTINGS,
                many=False,
            ),
            Include(
                "custom_payment_terms",
                lambda ctx, u: _all(ctx, "payment_terms", ctx.account),
                _lazy("payment_terms", "PAYMENT_TERM"),
            ),
            Include("task_statuses", lambda ctx, u: task_statuses_of(ctx, ctx.account), lambda: TASK_STATUS),
        ),
    )


USER_ACCOUNT = user_account_transformer(None, date.today())
