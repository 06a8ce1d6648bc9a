"""What ``InvoiceApiController`` does to a request before the repository sees it.

Validation (``CreateInvoiceAPIRequest``/``UpdateInvoiceAPIRequest``), the client resolution by
``email`` or ``client_id``, ``prepareData``'s defaults and a nested ``client`` object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.errors import ControllerError, ValidationError
from sandbox.models import clients as client_rules
from sandbox.models import invoices as inv
from sandbox.models.accounts import Env
from sandbox.models.invoice_items import prepare_items
from sandbox.models.php import (
    filter_bool,
    floatval,
    mysql_int,
    parse_float,
    php_round,
    route_id,
    truthy,
    valid_email,
)
from sandbox.store import Record

INVALID_EMAIL = "The email format is invalid."


class InvalidEmailAnswer(Exception):
    """v4 answers a bad ``email`` on invoice create with the bare message, HTTP 200 ``text/html``."""


def _present(value: Any) -> bool:
    """Laravel's ``validateRequired``: not null, not a blank string, not an empty array."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | dict):
        return len(value) > 0
    return True


def _items_too_large(items: Any) -> bool:
    """``valid_invoice_items``: qty x cost over 10,000,000,000 (empty values count as 1)."""
    if not isinstance(items, list):
        return False
    total = 0.0
    for item in items:
        if not isinstance(item, dict):
            continue
        qty = parse_float(item["qty"]) if truthy(item.get("qty")) else 1.0
        cost = parse_float(item["cost"]) if truthy(item.get("cost")) else 1.0
        total += qty * cost
    return total > inv.MAX_INVOICE_AMOUNT


def validate(env: Env, data: Mapping[str, Any], invoice: Record | None) -> None:
    """The invoice FormRequest rules; ``invoice`` is the record being updated (None on create)."""
    errors: dict[str, list[str]] = {}
    if invoice is None and not _present(data.get("client_id")) and not _present(data.get("email")):
        errors["email"] = ["The email field is required when client id is not present."]
        errors["client_id"] = ["The client id field is required when email is not present."]
    if _present(data.get("invoice_items")) and _items_too_large(data["invoice_items"]):
        errors["invoice_items"] = ["The invoice exceeds the maximum amount"]
    number = data.get("invoice_number")
    own = None if invoice is None else invoice["doc_id"]
    if (
        isinstance(number, str | int | float)
        and str(number) != ""
        and inv.number_taken(env, str(number), own)
    ):
        errors["invoice_number"] = ["The invoice number has already been taken."]
    discount = data.get("discount")
    if discount is not None and discount != "" and parse_float(discount) < 0:
        errors["discount"] = ["The discount must be greater than zero."]
    if errors:
        raise ValidationError(errors)


def _client_by_email(env: Env, email: str) -> Record | None:
    owners = {
        contact["client_id"]
        for contact in env.store.find("contacts", "email", email, env.account_id)
        if contact.get("deleted_at") is None
    }
    clients = [env.store.get_public("clients", env.account_id, public_id) for public_id in owners]
    live = [c for c in clients if c is not None and c.get("deleted_at") is None]
    return min(live, key=lambda c: c["doc_id"]) if live else None


def resolve_client(env: Env, data: Mapping[str, Any]) -> Record:
    """``email`` (find a live client by a contact's email, or create one) wins over ``client_id``."""
    email = data.get("email")
    if email is not None:
        text = str(email)
        client = _client_by_email(env, text)
        if client is not None:
            return client
        if text != "" and not valid_email(text):
            raise InvalidEmailAnswer(INVALID_EMAIL)
        client_data: dict[str, Any] = {"contact": {"email": text}}
        for name in (
            "name", "address1", "address2", "city", "state", "postal_code",
            "country_id", "private_notes", "currency_code", "country_code",
        ):  # fmt: skip
            if data.get(name) is not None:
                client_data[name] = data[name]
        for name in ("first_name", "last_name", "phone"):
            if data.get(name) is not None:
                client_data["contact"][name] = data[name]
        client, _ = client_rules.save_client(env, client_data)
        return client
    public_id = route_id(data.get("client_id"))
    client = None if public_id is None else env.store.get_public("clients", env.account_id, public_id)
    if client is None or client.get("deleted_at") is not None:
        raise ControllerError("Client not found", 404)
    return client


def nested_client(env: Env, data: Mapping[str, Any], client: Record | None) -> Record | None:
    """``InvoiceService::save``: a nested ``client`` object is saved (v4 reads only its ``public_id``)."""
    nested = data.get("client")
    if not isinstance(nested, dict):
        return client
    raw_id = nested.get("public_id") or nested.get("id")
    if not truthy(raw_id) or (mysql_int(raw_id) or 0) < 0:
        saved, _ = client_rules.save_client(env, nested)
        return saved
    existing = env.store.get_public("clients", env.account_id, mysql_int(raw_id) or 0)
    if existing is None or existing.get("deleted_at") is not None:
        return client
    saved, _ = client_rules.save_client(env, nested)
    return saved


def prepare_data(env: Env, data: Mapping[str, Any]) -> dict[str, Any]:
    """``prepareData``: defaults for what the request left out, and every line item prepared."""
    account = env.account
    prepared = dict(data)
    defaults: dict[str, Any] = {
        "discount": 0,
        "is_amount_discount": False,
        "terms": "",
        "invoice_footer": "",
        "public_notes": "",
        "po_number": "",
        "invoice_design_id": account.get("invoice_design_id"),
        "invoice_items": [],
        "custom_taxes1": False,
        "custom_taxes2": False,
        "tax_name1": "",
        "tax_rate1": 0,
        "tax_name2": "",
        "tax_rate2": 0,
        "partial": 0,
    }
    if prepared.get("invoice_date") is None:
        defaults["invoice_date_sql"] = env.today.isoformat()
    if prepared.get("is_quote") is not None and filter_bool(prepared["is_quote"]):
        defaults["invoice_design_id"] = account.get("quote_design_id")
    for key, value in defaults.items():
        if prepared.get(key) is None:
            prepared[key] = value
    prepared["invoice_items"] = prepare_items(env, prepared["invoice_items"])
    return prepared


def public_flags(data: Mapping[str, Any]) -> tuple[bool, bool, bool]:
    """``auto_bill``, ``paid`` and ``email_invoice`` as the controller reads them."""
    auto_bill = data.get("auto_bill") is not None and filter_bool(data["auto_bill"])
    email = data.get("email_invoice") is not None and filter_bool(data["email_invoice"])
    paid = data.get("paid") is not None and floatval(data["paid"]) != 0
    return auto_bill, paid, email


def paid_amount(value: Any) -> float:
    """``round($data['paid'], 2)``."""
    return php_round(floatval(value), 2)
