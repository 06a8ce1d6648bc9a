"""Clients and the contacts inside them (``ClientRepository::save``, ``Client::addContact``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.errors import RecordNotFoundError, ValidationError
from sandbox.models import fields as f
from sandbox.models.accounts import Env
from sandbox.models.activities import Activity, record_activity
from sandbox.models.php import mysql_int, truthy
from sandbox.models.static_data import StaticData
from sandbox.store import Record, Store

CLIENT_FIELDS: dict[str, f.Kind] = {
    "name": "string",
    "id_number": "string",
    "vat_number": "string",
    "work_phone": "string",
    "address1": "string",
    "address2": "string",
    "city": "string",
    "state": "string",
    "postal_code": "string",
    "country_id": "int",
    "private_notes": "string",
    "public_notes": "string",
    "custom_value1": "string",
    "custom_value2": "string",
    "custom_messages": "json",
    "size_id": "int",
    "industry_id": "int",
    "currency_id": "int",
    "language_id": "int",
    "payment_terms": "int",
    "invoice_number_counter": "int",
    "quote_number_counter": "int",
    "task_rate": "decimal",
    "shipping_address1": "string",
    "shipping_address2": "string",
    "shipping_city": "string",
    "shipping_state": "string",
    "shipping_postal_code": "string",
    "shipping_country_id": "int",
    "website": "string",
    "show_tasks_in_portal": "bool",
    "send_reminders": "bool",
}

CONTACT_FIELDS: dict[str, f.Kind] = {
    "first_name": "string",
    "last_name": "string",
    "email": "string",
    "phone": "string",
    "send_invoice": "bool",
    "custom_value1": "string",
    "custom_value2": "string",
}

#: Column defaults of a new client row (``database/setup.sql``).
NEW_CLIENT: dict[str, Any] = {
    **dict.fromkeys(CLIENT_FIELDS),
    "balance": 0.0,
    "paid_to_date": 0.0,
    "task_rate": 0.0,
    "invoice_number_counter": 1,
    "quote_number_counter": 1,
    "credit_number_counter": 0,
    "show_tasks_in_portal": False,
    "send_reminders": True,
    "custom_messages": {},
    "last_login": None,
    "is_deleted": False,
    "deleted_at": None,
}

NEW_CONTACT: dict[str, Any] = {
    **dict.fromkeys(CONTACT_FIELDS),
    "send_invoice": True,
    "is_primary": False,
    "last_login": None,
    "deleted_at": None,
}


def active_contacts(store: Store, client: Record) -> list[Record]:
    """The client's contacts that are not archived, as ``$client->contacts`` loads them."""
    found = store.find("contacts", "client_id", client["public_id"], client["account_id"])
    return sorted((c for c in found if c.get("deleted_at") is None), key=lambda c: c["doc_id"])


def all_contacts(store: Store, client: Record) -> list[Record]:
    """Every contact of the client, archived ones included."""
    found = store.find("contacts", "client_id", client["public_id"], client["account_id"])
    return sorted(found, key=lambda c: c["doc_id"])


def contact_display_name(contact: Record) -> str:
    """``Contact::getDisplayName``: "first last", else the email."""
    first, last = contact.get("first_name") or "", contact.get("last_name") or ""
    if first or last:
        return f"{first} {last}".strip()
    return str(contact.get("email") or "")


def display_name(client: Record, contacts: list[Record]) -> str:
    """``Client::getDisplayName``: the name, else the primary contact's display name, else ``""``."""
    if truthy(client.get("name")):
        return str(client["name"])
    for contact in contacts:
        if contact.get("is_primary"):
            return contact_display_name(contact)
    return ""


def contact_list(data: Mapping[str, Any], one: str = "contact", many: str = "contacts") -> list[Any]:
    """``contact`` (one), else ``contacts`` (a list), else one blank contact (vendors use other keys)."""
    if one in data and data[one] is not None:
        return [data[one]]
    if many in data and data[many] is not None:
        contacts = data[many]
        if isinstance(contacts, dict):
            return list(contacts.values())
        if isinstance(contacts, list):
            return contacts
        return [contacts]
    return [{}]


def validate_client_input(data: Mapping[str, Any]) -> None:
    """Reject values no column could hold, before anything is written."""
    errors = f.type_errors(CLIENT_FIELDS, data)
    if "contact" in data and data["contact"] is not None and not isinstance(data["contact"], dict):
        errors["contact"] = ["The contact must be an array."]
    for index, contact in enumerate(contact_list(data)):
        if not isinstance(contact, dict):
            errors[f"contacts.{index}"] = [f"The contacts.{index} must be an array."]
            continue
        errors.update(f.type_errors(CONTACT_FIELDS, contact, prefix=f"contacts.{index}."))
    if errors:
        raise ValidationError(errors)


def _lookup_code(static: StaticData, data: Mapping[str, Any], fields: dict[str, Any]) -> None:
    code = data.get("currency_code")
    if truthy(code) and isinstance(code, str):
        currency = static.currency_by_code(code)
        if currency is not None:
            fields["currency_id"] = currency["id"]
    for source, target in (("country_code", "country_id"), ("shipping_country_code", "shipping_country_id")):
        value = data.get(source)
        if isinstance(value, str):
            country = static.country_by_code(value)
            if country is not None:
                fields[target] = country["id"]


def next_client_number(env: Env) -> str:
    """The next client ``id_number`` from the account's client counter, skipping taken numbers."""
    account = env.actor.account
    counter = int(account.get("client_number_counter") or 0)
    padding = int(account.get("invoice_number_padding") or 4)
    prefix = str(account.get("client_number_prefix") or "")
    while True:
        number = f"{prefix}{str(counter).zfill(padding)}"
        if not env.store.find("clients", "id_number", number, env.account_id):
            return number
        counter += 1


def save_client(env: Env, data: Mapping[str, Any], client: Record | None = None) -> tuple[Record, bool]:
    """Create or update a client and its contacts; returns the client and whether it is new."""
    store, actor, now = env.store, env.actor, env.now
    validate_client_input(data)
    public_id = data.get("public_id")
    creating = False
    if client is None:
        if not truthy(public_id) or (mysql_int(public_id) or 0) < 0:
            creating = True
        else:
            client = store.get_public("clients", actor.account_id, mysql_int(public_id) or 0)
            if client is None:
                raise RecordNotFoundError()

    fields = f.fill(CLIENT_FIELDS, data)
    account = actor.account
    uses_numbers = int(account.get("client_number_counter") or 0) > 0
    if uses_numbers and not (client or {}).get("id_number") and not truthy(data.get("id_number")):
        fields["id_number"] = next_client_number(env)
    if client is not None and client.get("is_deleted"):
        return client, False
    _lookup_code(env.static, data, fields)
    if "payment_terms" not in data:
        fields["payment_terms"] = account.get("payment_terms")

    if creating:
        record = {
            **NEW_CLIENT,
            **fields,
            "account_id": actor.account_id,
            "user_id": actor.user_id,
            "public_id": store.next_public_id("clients", actor.account_id),
            "created_at": now,
            "updated_at": now,
        }
        client = store.insert("clients", record)
        record_activity(env, Activity.CREATE_CLIENT, client)
        if uses_numbers:
            counter = int(account["client_number_counter"]) + 1
            store.update("accounts", actor.account_id, {"client_number_counter": counter})
    else:
        assert client is not None
        changed = {k: v for k, v in fields.items() if client.get(k) != v}
        if changed:
            client = store.update("clients", client["doc_id"], {**changed, "updated_at": now})

    _save_contacts(env, client, contact_list(data), creating)
    env.fire("create_client" if creating else "update_client", "clients", client)
    return client, creating


def primary_first(contacts: list[Any]) -> list[Any]:
    """When every contact carries ``is_primary``, the primary ones move to the front."""
    if all(isinstance(c, dict) and "is_primary" in c for c in contacts):
        return sorted(contacts, key=lambda c: -int(truthy(c["is_primary"])))
    return contacts


def _save_contacts(env: Env, client: Record, contacts: list[Any], creating: bool) -> None:
    kept: list[int] = []
    for index, contact_data in enumerate(primary_first(contacts)):
        contact = add_contact(env, client, contact_data, index == 0, creating)
        kept.append(contact["public_id"])
    if not creating:
        for contact in active_contacts(env.store, client):
            if contact["public_id"] not in kept:
                env.store.update(
                    "contacts", contact["doc_id"], {"deleted_at": env.now, "updated_at": env.now}
                )


def add_contact(
    env: Env, client: Record, data: Mapping[str, Any], is_primary: bool, client_is_new: bool
) -> Record:
    """``Client::addContact``: update the named contact of this client, or create one."""
    store, actor, now = env.store, env.actor, env.now
    raw_id = data.get("public_id", data.get("id"))
    public_id = mysql_int(raw_id) if truthy(raw_id) else None
    fields = f.fill(CONTACT_FIELDS, data)
    fields["is_primary"] = is_primary
    if isinstance(fields.get("email"), str):
        fields["email"] = fields["email"].strip()
    if not client_is_new and public_id is not None and public_id > 0:
        contact = store.get_public("contacts", actor.account_id, public_id)
        # Contact::scope() leaves out archived contacts, so naming one is "not found" too.
        if contact is None or contact.get("client_id") != client["public_id"] or contact["deleted_at"]:
            raise RecordNotFoundError()
        changed = {k: v for k, v in fields.items() if contact.get(k) != v}
        if changed:
            contact = store.update("contacts", contact["doc_id"], {**changed, "updated_at": now})
        return contact
    record = {
        **NEW_CONTACT,
        **fields,
        "account_id": actor.account_id,
        "user_id": actor.user_id,
        "client_id": client["public_id"],
        "public_id": store.next_public_id("contacts", actor.account_id),
        "contact_key": env.new_key(),
        "created_at": now,
        "updated_at": now,
    }
    return store.insert("contacts", record)
