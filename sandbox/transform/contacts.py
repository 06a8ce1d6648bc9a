"""``ContactTransformer``: a client's contact."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import flag, integer, text, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer


def contact_fields(ctx: Context, contact: Record) -> dict[str, Any]:
    """The fields of one contact, in transformer order."""
    return {
        **ctx.defaults(contact),
        "id": integer(contact["public_id"]),
        "first_name": text(contact.get("first_name")),
        "last_name": text(contact.get("last_name")),
        "email": text(contact.get("email")),
        "contact_key": text(contact.get("contact_key")),
        "updated_at": timestamp(contact.get("updated_at")),
        "archived_at": timestamp(contact.get("deleted_at")),
        "is_primary": flag(contact.get("is_primary")),
        "phone": text(contact.get("phone")),
        "last_login": text(contact.get("last_login")),
        "send_invoice": flag(contact.get("send_invoice")),
        "custom_value1": text(contact.get("custom_value1")),
        "custom_value2": text(contact.get("custom_value2")),
    }


CONTACT = Transformer("contact", contact_fields)
