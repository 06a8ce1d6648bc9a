"""The ``/contacts`` resource's own rules (``ContactRepository::save``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.errors import RecordNotFoundError, ValidationError
from sandbox.models import fields as f
from sandbox.models.accounts import Env
from sandbox.models.clients import CONTACT_FIELDS, NEW_CONTACT, active_contacts
from sandbox.models.php import mysql_int, truthy
from sandbox.store import Record

CREATE_REQUIRED = ("first_name", "last_name", "email", "client_id")
UPDATE_REQUIRED = ("first_name", "last_name", "email")


def validate(data: Mapping[str, Any], required: tuple[str, ...]) -> None:
    """``Create/UpdateContactRequest`` rules, then the column types."""
    errors = f.required_errors(data, required)
    for field, messages in f.type_errors(CONTACT_FIELDS, data).items():
        errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def save_contact(env: Env, data: Mapping[str, Any], contact: Record | None = None) -> Record:
    """Create a contact for ``client_id``, or update ``contact`` (or the one named by ``public_id``)."""
    store = env.store
    fields = f.fill(CONTACT_FIELDS, data)
    if contact is None:
        public_id = data.get("public_id")
        if truthy(public_id) and (mysql_int(public_id) or 0) > 0:
            contact = store.get_public("contacts", env.account_id, mysql_int(public_id) or 0)
            if contact is None or contact["deleted_at"] is not None:
                raise RecordNotFoundError()
    if contact is not None:
        changed = {k: v for k, v in fields.items() if contact.get(k) != v}
        if not changed:
            return contact
        return store.update("contacts", contact["doc_id"], {**changed, "updated_at": env.now})

    client = store.get_public("clients", env.account_id, mysql_int(data.get("client_id")) or 0)
    if client is None or client["deleted_at"] is not None:
        # v4 inserts a null client_id and fails with an SQL error (500); see FIDELITY.md.
        raise RecordNotFoundError()
    record = {
        **NEW_CONTACT,
        **fields,
        "account_id": env.account_id,
        "user_id": env.actor.user_id,
        "client_id": client["public_id"],
        "public_id": store.next_public_id("contacts", env.account_id),
        "contact_key": env.new_key(),
        "is_primary": not active_contacts(store, client),
        "created_at": env.now,
        "updated_at": env.now,
    }
    return store.insert("contacts", record)
