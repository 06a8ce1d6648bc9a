"""Request bodies of the v4 API: the fields each create, update and delete accepts (reference §4, Appendix A).

Where a model module declares its accepted fields with their column kinds, the body is built from
that same table; the ``required`` lists are the FormRequest rules of Appendix A. Fields a body does
not name are accepted and ignored, as v4 ignores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.api.actions import KNOWN_ACTIONS
from sandbox.api.subscriptions import PRODUCTS
from sandbox.models import account_settings, clients, expenses, products, projects, tax_rates, users, vendors
from sandbox.models.contacts import CREATE_REQUIRED, UPDATE_REQUIRED
from sandbox.models.expense_categories import CATEGORY_FIELDS
from sandbox.models.fields import Kind
from sandbox.openapi import reference
from sandbox.openapi.schemas import DATE, Schema

STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
DAY: Schema = {
    "type": "string",
    "pattern": DATE,
    "description": "ISO date; the account's date format also works",
}
ID: Schema = {"type": "integer", "minimum": 1, "description": "a public id"}

_KINDS: dict[str, Schema] = {
    "string": STRING,
    "int": INTEGER,
    "decimal": NUMBER,
    "bool": BOOLEAN,
    "json": {"type": ["object", "array", "string"]},
    "date": DAY,
    "labels": {"type": ["object", "array", "string"]},
}


def from_kinds(kinds: Mapping[str, str]) -> dict[str, Schema]:
    """Body properties from a model's ``{field: column kind}`` table."""
    return {name: dict(_KINDS[kind]) for name, kind in kinds.items()}


def obj(properties: Mapping[str, Schema], required: tuple[str, ...] = (), **extra: Any) -> Schema:
    """A JSON object body."""
    schema: Schema = {"type": "object", "properties": dict(properties)}
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


def json_request(schema: Schema | None, *, required: bool = True) -> dict[str, Any] | None:
    """An operation's ``requestBody`` holding a JSON ``schema`` (None when there is none)."""
    if schema is None:
        return None
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def action_property(extra: tuple[str, ...] = ()) -> Schema:
    """``action`` (query or body) on updates: ``BaseAPIController::handleAction``."""
    return {"type": "string", "enum": [*KNOWN_ACTIONS, *extra]}


CONTACT = obj(
    {
        "id": INTEGER,
        "public_id": INTEGER,
        **from_kinds(clients.CONTACT_FIELDS),
        "is_primary": BOOLEAN,
        "password": STRING,
    }
)
VENDOR_CONTACT = obj(
    {"id": INTEGER, "public_id": INTEGER, **from_kinds(vendors.VENDOR_CONTACT_FIELDS), "is_primary": BOOLEAN}
)
INVOICE_ITEM = obj(
    {
        "product_key": STRING,
        "notes": STRING,
        "cost": NUMBER,
        "qty": NUMBER,
        "tax_name1": STRING,
        "tax_rate1": NUMBER,
        "tax_name2": STRING,
        "tax_rate2": NUMBER,
        "custom_value1": STRING,
        "custom_value2": STRING,
        "discount": NUMBER,
        "invoice_item_type_id": {
            "type": "integer",
            "enum": [int(k) for k in reference.enum_keys("invoice_item_type")],
        },
        "task_public_id": INTEGER,
        "expense_public_id": INTEGER,
    }
)
TIME_DETAIL = obj(
    {
        "start_datetime": STRING,
        "end_datetime": STRING,
        "duration_seconds": INTEGER,
        "duration_minutes": INTEGER,
        "duration_hours": NUMBER,
    }
)

_CLIENT = {
    **from_kinds(clients.CLIENT_FIELDS),
    "currency_code": STRING,
    "country_code": STRING,
    "shipping_country_code": STRING,
    "contact": CONTACT,
    "contacts": {"type": "array", "items": CONTACT},
}
_INVOICE = {
    "client_id": ID,
    "email": STRING,
    "invoice_items": {"type": "array", "items": INVOICE_ITEM},
    "invoice_number": STRING,
    "po_number": STRING,
    "invoice_date": DAY,
    "due_date": DAY,
    "partial": NUMBER,
    "partial_due_date": DAY,
    "discount": {"type": "number", "minimum": 0},
    "is_amount_discount": BOOLEAN,
    "terms": STRING,
    "invoice_footer": STRING,
    "public_notes": STRING,
    "private_notes": STRING,
    "tax_name1": STRING,
    "tax_rate1": NUMBER,
    "tax_name2": STRING,
    "tax_rate2": NUMBER,
    "custom_value1": NUMBER,
    "custom_value2": NUMBER,
    "custom_taxes1": BOOLEAN,
    "custom_taxes2": BOOLEAN,
    "custom_text_value1": STRING,
    "custom_text_value2": STRING,
    "invoice_design_id": INTEGER,
    "is_quote": BOOLEAN,
    "is_recurring": BOOLEAN,
    "frequency_id": {"type": "integer", "enum": [int(k) for k in reference.enum_keys("frequency")]},
    "start_date": DAY,
    "end_date": DAY,
    "auto_bill_id": {"type": "integer", "enum": [int(k) for k in reference.enum_keys("auto_bill")]},
    "is_public": BOOLEAN,
    "document_ids": {"type": "array", "items": INTEGER},
    "client": obj({"public_id": INTEGER, **from_kinds(clients.CLIENT_FIELDS)}),
}
_INVOICE_CREATE = {
    **_INVOICE,
    "auto_bill": BOOLEAN,
    "email_invoice": BOOLEAN,
    "email_type": {"type": "string", "enum": ["reminder1", "reminder2", "reminder3"]},
    "paid": NUMBER,
    "download_invoice": BOOLEAN,
    "name": STRING,
    "first_name": STRING,
    "last_name": STRING,
    "phone": STRING,
    "currency_code": STRING,
    "country_code": STRING,
}
_PAYMENT = {
    "payment_date": DAY,
    "payment_type_id": {"type": "integer", "enum": [int(k) for k in reference.enum_keys("payment_type")]},
    "transaction_reference": STRING,
    "private_notes": STRING,
    "exchange_rate": NUMBER,
    "exchange_currency_id": INTEGER,
    "email_receipt": BOOLEAN,
}
_CREDIT = {
    "amount": {"type": "number", "minimum": 0},
    "balance": NUMBER,
    "credit_date": DAY,
    "public_notes": STRING,
    "private_notes": STRING,
}
_TASK = {
    "description": STRING,
    "client_id": INTEGER,
    "project_id": INTEGER,
    "time_log": {"type": "string", "description": "JSON text of [[start_unix, end_unix|false], ...]"},
    "is_running": BOOLEAN,
    "task_status_id": INTEGER,
    "custom_value1": STRING,
    "custom_value2": STRING,
}
_VENDOR = {
    **from_kinds(vendors.VENDOR_FIELDS),
    "vendor_contact": VENDOR_CONTACT,
    "vendor_contacts": {"type": "array", "items": VENDOR_CONTACT},
}
_EXPENSE = {
    **from_kinds(expenses.EXPENSE_FIELDS),
    "expense_date": DAY,
    "payment_date": DAY,
    "expense_category_name": STRING,
    "vendor_name": STRING,
    "document_ids": {"type": "array", "items": INTEGER},
}
_USER_KINDS: dict[str, Kind] = dict(users.FILLABLE)
_ACCOUNT = {
    **{
        name: dict(_KINDS[column.kind])
        for name, column in account_settings.COLUMNS.items()
        if column.fillable
    },
    "logo": STRING,
}


def create_body(segment: str) -> Schema | None:
    """The body of ``POST /<segment>``, None for resources without one."""
    bodies: dict[str, Schema] = {
        "clients": obj({**_CLIENT, "public_id": INTEGER}),
        "contacts": obj({**CONTACT["properties"], "client_id": ID}, CREATE_REQUIRED),
        "invoices": obj(_INVOICE_CREATE, anyOf=[{"required": ["client_id"]}, {"required": ["email"]}]),
        "payments": obj({"invoice_id": ID, "amount": NUMBER, **_PAYMENT}, ("invoice_id", "amount")),
        "credits": obj({"client_id": ID, **_CREDIT}, ("client_id", "amount")),
        "tasks": obj(
            {
                "id": INTEGER,
                **_TASK,
                "time_details": {"type": "array", "items": TIME_DETAIL},
                "action": {"type": "string", "enum": ["start", "resume", "stop", "offline"]},
            }
        ),
        "products": obj({**from_kinds(products.PRODUCT_FIELDS), "public_id": INTEGER}, ("product_key",)),
        "projects": obj({**from_kinds(projects.PROJECT_FIELDS), "client_id": ID}, ("name", "client_id")),
        "tax_rates": obj({**from_kinds(tax_rates.TAX_RATE_FIELDS), "public_id": INTEGER}, ("name", "rate")),
        "users": obj(
            {**from_kinds(_USER_KINDS), "is_admin": BOOLEAN, "permissions": {"type": ["array", "object"]}},
            ("first_name", "last_name", "email"),
        ),
        "expenses": obj(_EXPENSE),
        "vendors": obj({**_VENDOR, "public_id": INTEGER}, ("name",)),
        "expense_categories": obj(from_kinds(CATEGORY_FIELDS), ("name",)),
        "payment_terms": obj({"num_days": INTEGER}, ("num_days",)),
    }
    return bodies.get(segment)


def update_body(segment: str) -> Schema | None:
    """The body of ``PUT|PATCH /<segment>/{id}``, None for resources without an update."""
    bodies: dict[str, Schema] = {
        "clients": obj({**_CLIENT, "action": action_property()}),
        "contacts": obj({**CONTACT["properties"], "action": action_property()}, UPDATE_REQUIRED),
        "invoices": obj({**_INVOICE, "action": action_property(("convert",))}),
        "payments": obj({**_PAYMENT, "action": action_property()}),
        "credits": obj({**_CREDIT, "action": action_property()}),
        "tasks": obj({**_TASK, "action": action_property()}),
        "products": obj(
            {**from_kinds(products.PRODUCT_FIELDS), "action": action_property()}, ("product_key",)
        ),
        "projects": obj({**from_kinds(projects.PROJECT_FIELDS), "action": action_property()}, ("name",)),
        "tax_rates": obj(
            {**from_kinds(tax_rates.TAX_RATE_FIELDS), "action": action_property()}, ("name", "rate")
        ),
        "users": obj(
            {**from_kinds(_USER_KINDS), "action": {"type": "string", "enum": ["archive"]}},
            ("first_name", "last_name", "email"),
        ),
        "expenses": obj({**_EXPENSE, "action": action_property()}),
        "vendors": obj({**_VENDOR, "action": action_property()}, ("name",)),
        "expense_categories": obj(from_kinds(CATEGORY_FIELDS), ("name",)),
    }
    return bodies.get(segment)


def destroy_body(segment: str) -> Schema | None:
    """The body ``DELETE /<segment>/{id}`` needs: its FormRequest is the update's (reference §5)."""
    required: dict[str, tuple[str, ...]] = {
        "contacts": UPDATE_REQUIRED,
        "products": ("product_key",),
        "projects": ("name",),
        "tax_rates": ("name", "rate"),
        "users": ("first_name", "last_name", "email"),
        "expense_categories": ("name",),
    }
    if segment in required:
        update = update_body(segment)
        assert update is not None
        properties = {name: update["properties"][name] for name in required[segment]}
        return obj(properties, required[segment])
    if segment in ("invoices", "credits", "tasks", "expenses"):
        update = update_body(segment)
        assert update is not None
        rules = {"invoices": ("invoice_items", "invoice_number", "discount"), "credits": ("amount",)}
        names = rules.get(segment, ("time_log",) if segment == "tasks" else ("document_ids",))
        return obj({name: update["properties"][name] for name in names})
    return None


ACCOUNT_UPDATE = obj(_ACCOUNT, ("name",))
LOGIN = obj(
    {
        "email": STRING,
        "password": STRING,
        "token_name": STRING,
        "one_time_password": STRING,
        "include_static": BOOLEAN,
    },
    ("email", "password"),
)
REGISTER = obj(
    {"email": STRING, "first_name": STRING, "last_name": STRING, "password": STRING, "token_name": STRING},
    ("email", "first_name", "last_name", "password"),
)
OAUTH_LOGIN = obj({"provider": STRING, "token": STRING, "token_name": STRING})
REFRESH = obj({"token_name": STRING, "include_static": BOOLEAN})
HOOK = obj(
    {
        "event": {"type": "string", "enum": reference.enum_values("webhook_event")},
        "target_url": STRING,
        "format": {"type": "string", "enum": ["JSON", "UBL"]},
    },
    ("event", "target_url"),
)
EMAIL_INVOICE = obj(
    {
        "id": ID,
        "invoice_id": ID,
        "invoice_number": STRING,
        "reminder": {"type": "string", "enum": ["reminder1", "reminder2", "reminder3"]},
        "template": obj({"subject": STRING, "body": STRING}),
    }
)
ADD_TOKEN = obj({"token": STRING, "email": STRING, "device": STRING})
REMOVE_TOKEN = obj({"token": STRING})
NOTIFICATIONS = obj(
    {"notify_sent": BOOLEAN, "notify_viewed": BOOLEAN, "notify_approved": BOOLEAN, "notify_paid": BOOLEAN}
)
UPGRADE = obj(
    {
        "product_id": {"type": "string", "enum": list(PRODUCTS)},
        "order_id": STRING,
    }
)
DOCUMENT_UPLOAD = obj(
    {
        "file": {"type": "string", "contentMediaType": "application/octet-stream"},
        "invoice_id": INTEGER,
        "expense_id": INTEGER,
        "is_default": BOOLEAN,
    },
    ("file",),
)
