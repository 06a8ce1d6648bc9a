"""Vendors and their contacts (``VendorRepository::save``, ``Vendor::addVendorContact``).

Contacts follow the client rules (``vendor_contact`` or ``vendor_contacts``, the first one primary,
unlisted ones archived on update, one blank contact when neither key is sent). The webhooks are
Eloquent model events: ``create_vendor`` fires on the insert and ``update_vendor`` on a save that
changed something, both before the contacts are written, so their payloads show the contacts as
they were at that moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.errors import RecordNotFoundError, ValidationError
from sandbox.models import fields as f
from sandbox.models.accounts import Env
from sandbox.models.clients import contact_list, primary_first
from sandbox.models.php import mysql_int, truthy
from sandbox.store import Record, Store

VENDOR_FIELDS: dict[str, f.Kind] = {
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
    "currency_id": "int",
    "website": "string",
    "transaction_name": "string",
    "custom_value1": "string",
    "custom_value2": "string",
}

VENDOR_CONTACT_FIELDS: dict[str, f.Kind] = {
    "first_name": "string",
    "last_name": "string",
    "email": "string",
    "phone": "string",
    "send_invoice": "bool",
}

#: ``setNullValues``: ``*_id`` fillables that are falsy are stored as NULL.
_NULLED = ("country_id", "currency_id")

NEW_VENDOR: dict[str, Any] = {**dict.fromkeys(VENDOR_FIELDS), "is_deleted": False, "deleted_at": None}

NEW_VENDOR_CONTACT: dict[str, Any] = {
    **dict.fromkeys(VENDOR_CONTACT_FIELDS),
    "send_invoice": True,
    "is_primary": False,
    "deleted_at": None,
}

ONE, MANY = "vendor_contact", "vendor_contacts"


def vendor_contacts(store: Store, vendor: Record) -> list[Record]:
    """``$vendor->vendor_contacts``: the vendor's contacts that are not archived, oldest first."""
    found = store.find("vendor_contacts", "vendor_id", vendor["public_id"], vendor["account_id"])
    return sorted((c for c in found if c.get("deleted_at") is None), key=lambda c: c["doc_id"])


def validate_vendor(data: Mapping[str, Any]) -> None:
    """``Create/UpdateVendorRequest`` (``name`` required), then the column types of every field."""
    errors = f.required_errors(data, ("name",))
    for field, messages in f.type_errors(VENDOR_FIELDS, data).items():
        errors.setdefault(field, messages)
    if data.get(ONE) is not None and not isinstance(data[ONE], dict):
        errors[ONE] = ["The vendor contact must be an array."]
    for index, contact in enumerate(contact_list(data, ONE, MANY)):
        if not isinstance(contact, dict):
            errors[f"{MANY}.{index}"] = [f"The {MANY}.{index} must be an array."]
            continue
        errors.update(f.type_errors(VENDOR_CONTACT_FIELDS, contact, prefix=f"{MANY}.{index}."))
    if errors:
        raise ValidationError(errors)


def _fill(data: Mapping[str, Any]) -> dict[str, Any]:
    fields = f.fill(VENDOR_FIELDS, data)
    for key in _NULLED:
        if key in fields and not fields[key]:
            fields[key] = None
    return fields


def save_vendor(env: Env, data: Mapping[str, Any], vendor: Record | None = None) -> tuple[Record, bool]:
    """Create or update a vendor and its contacts; returns the vendor and whether it is new."""
    store = env.store
    creating = False
    if vendor is None:
        public_id = data.get("public_id")
        if not truthy(public_id) or (mysql_int(public_id) or 0) < 0:
            creating = True
        else:
            # ``Vendor::scope($id)`` leaves out archived vendors.
            vendor = store.get_public("vendors", env.account_id, mysql_int(public_id) or 0)
            if vendor is None or vendor.get("deleted_at") is not None:
                raise RecordNotFoundError()
    if vendor is not None and vendor.get("is_deleted"):
        return vendor, False

    fields = _fill(data)
    if creating:
        vendor = store.insert(
            "vendors",
            {
                **NEW_VENDOR,
                **fields,
                "account_id": env.account_id,
                "user_id": env.actor.user_id,
                "public_id": store.next_public_id("vendors", env.account_id),
                "created_at": env.now,
                "updated_at": env.now,
            },
        )
        env.fire("create_vendor", "vendors", vendor, includes={MANY: []})
    else:
        assert vendor is not None
        changed = {k: v for k, v in fields.items() if vendor.get(k) != v}
        if changed:
            before = vendor_contacts(store, vendor)
            vendor = store.update("vendors", vendor["doc_id"], {**changed, "updated_at": env.now})
            env.fire("update_vendor", "vendors", vendor, includes={MANY: before})

    _save_contacts(env, vendor, contact_list(data, ONE, MANY), creating)
    return vendor, creating


def _save_contacts(env: Env, vendor: Record, contacts: list[Any], creating: bool) -> None:
    existing = [] if creating else vendor_contacts(env.store, vendor)
    kept: list[int] = []
    for index, contact_data in enumerate(primary_first(contacts)):
        contact = add_vendor_contact(env, vendor, contact_data, index == 0, creating)
        kept.append(contact["public_id"])
    for contact in existing:
        if contact["public_id"] not in kept:
            env.store.update(
                "vendor_contacts", contact["doc_id"], {"deleted_at": env.now, "updated_at": env.now}
            )


def add_vendor_contact(
    env: Env, vendor: Record, data: Mapping[str, Any], is_primary: bool, vendor_is_new: bool
) -> Record:
    """``Vendor::addVendorContact``: update the named contact of this vendor, or create one."""
    store = env.store
    raw_id = data.get("public_id", data.get("id"))
    public_id = mysql_int(raw_id) if truthy(raw_id) else None
    fields = f.fill(VENDOR_CONTACT_FIELDS, data)
    fields["is_primary"] = is_primary
    if not vendor_is_new and public_id is not None and public_id > 0:
        contact = store.get_public("vendor_contacts", env.account_id, public_id)
        # ``VendorContact::scope()`` leaves out archived contacts, so naming one is "not found" too.
        if contact is None or contact.get("vendor_id") != vendor["public_id"] or contact["deleted_at"]:
            raise RecordNotFoundError()
        changed = {k: v for k, v in fields.items() if contact.get(k) != v}
        if changed:
            contact = store.update("vendor_contacts", contact["doc_id"], {**changed, "updated_at": env.now})
        return contact
    return store.insert(
        "vendor_contacts",
        {
            **NEW_VENDOR_CONTACT,
            **fields,
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "vendor_id": vendor["public_id"],
            "public_id": store.next_public_id("vendor_contacts", env.account_id),
            "created_at": env.now,
            "updated_at": env.now,
        },
    )
