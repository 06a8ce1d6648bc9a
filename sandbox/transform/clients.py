"""``ClientTransformer``: a client with its contacts."""

from __future__ import annotations

from typing import Any

import orjson

from sandbox.models import clients as client_rules
from sandbox.store import Record
from sandbox.transform.casts import flag, integer, money, text, timestamp
from sandbox.transform.contacts import CONTACT
from sandbox.transform.context import Context
from sandbox.transform.fractal import Include, Transformer


def _contacts(ctx: Context, client: Record) -> list[Record]:
    return client_rules.active_contacts(ctx.store, client)


def _custom_messages(value: Any) -> str:
    """``json_encode($client->custom_messages)``: a JSON *string* of the stored object."""
    return orjson.dumps(value if value is not None else {}).decode()


def client_fields(ctx: Context, client: Record) -> dict[str, Any]:
    """The fields of one client, in transformer order."""
    contacts = _contacts(ctx, client)
    return {
        **ctx.defaults(client),
        "id": integer(client["public_id"]),
        "name": text(client.get("name")),
        "display_name": client_rules.display_name(client, contacts),
        "balance": money(client.get("balance")),
        "paid_to_date": money(client.get("paid_to_date")),
        "updated_at": timestamp(client.get("updated_at")),
        "archived_at": timestamp(client.get("deleted_at")),
        "address1": text(client.get("address1")),
        "address2": text(client.get("address2")),
        "city": text(client.get("city")),
        "state": text(client.get("state")),
        "postal_code": text(client.get("postal_code")),
        "country_id": integer(client.get("country_id")),
        "work_phone": text(client.get("work_phone")),
        "private_notes": text(client.get("private_notes")),
        "public_notes": text(client.get("public_notes")),
        "last_login": text(client.get("last_login")),
        "website": text(client.get("website")),
        "industry_id": integer(client.get("industry_id")),
        "size_id": integer(client.get("size_id")),
        "is_deleted": flag(client.get("is_deleted")),
        "payment_terms": integer(client.get("payment_terms")),
        "vat_number": text(client.get("vat_number")),
        "id_number": text(client.get("id_number")),
        "language_id": integer(client.get("language_id")),
        "currency_id": integer(client.get("currency_id")),
        "custom_value1": text(client.get("custom_value1")),
        "custom_value2": text(client.get("custom_value2")),
        "invoice_number_counter": integer(client.get("invoice_number_counter")),
        "quote_number_counter": integer(client.get("quote_number_counter")),
        "task_rate": money(client.get("task_rate")),
        "shipping_address1": text(client.get("shipping_address1")),
        "shipping_address2": text(client.get("shipping_address2")),
        "shipping_city": text(client.get("shipping_city")),
        "shipping_state": text(client.get("shipping_state")),
        "shipping_postal_code": text(client.get("shipping_postal_code")),
        "shipping_country_id": integer(client.get("shipping_country_id")),
        "show_tasks_in_portal": flag(client.get("show_tasks_in_portal")),
        "send_reminders": flag(client.get("send_reminders")),
        "credit_number_counter": integer(client.get("credit_number_counter")),
        "custom_messages": _custom_messages(client.get("custom_messages")),
    }


def _invoices(ctx: Context, client: Record) -> list[Record]:
    """``$client->invoices``: every non-archived invoice, quote and recurring template of the client."""
    return ctx.children("invoices", "client_id", client, live_only=True)


def _invoice_transformer() -> Transformer:
    from sandbox.transform.invoices import INVOICE

    return INVOICE


def _credits(ctx: Context, client: Record) -> list[Record]:
    """``$client->credits``: the client's non-archived credits."""
    return ctx.children("credits", "client_id", client, live_only=True)


def _activities(ctx: Context, client: Record) -> list[Record]:
    """``$client->activities``: newest first."""
    found = ctx.children("activities", "client_id", client)
    return sorted(found, key=lambda row: (-(row.get("created_at") or 0), -row["doc_id"]))


def _activity_transformer() -> Transformer:
    from sandbox.transform.activities import ACTIVITY

    return ACTIVITY


def _credit_transformer() -> Transformer:
    from sandbox.transform.payments import CREDIT

    return CREDIT


CLIENT = Transformer(
    "client",
    client_fields,
    default_includes=(Include("contacts", _contacts, lambda: CONTACT),),
    available_includes=(
        Include("invoices", _invoices, _invoice_transformer),
        Include("credits", _credits, _credit_transformer),
        Include("activities", _activities, _activity_transformer),
    ),
)
