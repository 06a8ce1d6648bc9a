"""Products: ``/products`` saves, and how invoices use them (key lookup, item auto-fill, silent upserts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.errors import RecordNotFoundError, ValidationError
from sandbox.models import fields as f
from sandbox.models.accounts import Env
from sandbox.models.php import parse_float, php_round, php_string, route_id, truthy
from sandbox.store import Record

#: Item fields a product fills in when the item lacks them (``InvoiceApiController::prepareItem``).
FILLED_FROM_PRODUCT = (
    "cost",
    "notes",
    "custom_value1",
    "custom_value2",
    "tax_name1",
    "tax_rate1",
    "tax_name2",
    "tax_rate2",
)

#: ``product_key``s that never become products (the translated surcharge, discount and fee lines).
RESERVED_KEYS = frozenset({"surcharge", "discount", "fee", "gateway fee"})


def find_product(env: Env, key: Any) -> Record | None:
    """``Product::findProductByKey``: the account's non-archived product, case-insensitively."""
    if not isinstance(key, str) or not key:
        return None
    for product in sorted(
        env.store.find("products", "product_key", key, env.account_id), key=lambda p: p["doc_id"]
    ):
        if product.get("deleted_at") is None:
            return product
    return None


def new_product(env: Env, fields: Mapping[str, Any]) -> Record:
    """Insert a product with v4's column defaults under the acting user."""
    return env.store.insert(
        "products",
        {
            "product_key": "",
            "notes": "",
            "cost": 0.0,
            "qty": 1.0,
            "tax_name1": "",
            "tax_rate1": 0.0,
            "tax_name2": "",
            "tax_rate2": 0.0,
            "custom_value1": None,
            "custom_value2": None,
            "is_deleted": False,
            **fields,
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "public_id": env.store.next_public_id("products", env.account_id),
            "created_at": env.now,
            "updated_at": env.now,
            "deleted_at": None,
        },
    )


def upsert_from_item(env: Env, item: Mapping[str, Any]) -> None:
    """The ``update_products`` side effect: update the item's product, or create it."""
    key = item.get("product_key")
    if not isinstance(key, str) or not key.strip() or key.strip().lower() in RESERVED_KEYS:
        return
    account = env.account
    fields: Record = {
        "product_key": key.strip(),
        "notes": item.get("notes") or "",
        "tax_name1": item.get("tax_name1") or "",
        "tax_rate1": php_round(parse_float(item.get("tax_rate1")), 3),
        "tax_name2": item.get("tax_name2") or "",
        "tax_rate2": php_round(parse_float(item.get("tax_rate2")), 3),
        "custom_value1": item.get("custom_value1"),
        "custom_value2": item.get("custom_value2"),
    }
    if not account.get("convert_products"):
        fields["cost"] = php_round(parse_float(item.get("cost")), 4)
    product = find_product(env, key.strip())
    if product is None:
        new_product(env, fields)
        return
    changed = {name: value for name, value in fields.items() if product.get(name) != value}
    if changed:
        env.store.update("products", product["doc_id"], {**changed, "updated_at": env.now})


#: ``Product::$fillable`` with the column each value lands in.
PRODUCT_FIELDS: dict[str, f.Kind] = {
    "product_key": "string",
    "notes": "string",
    "cost": "decimal",
    "qty": "decimal",
    "tax_name1": "string",
    "tax_rate1": "decimal",
    "tax_name2": "string",
    "tax_rate2": "decimal",
    "custom_value1": "string",
    "custom_value2": "string",
}


def validate_product(data: Mapping[str, Any]) -> None:
    """``Create/UpdateProductRequest``: ``product_key`` is required (on DELETE too), then the column types."""
    errors = f.required_errors(data, ("product_key",))
    for field, messages in f.type_errors(PRODUCT_FIELDS, data).items():
        errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def product_named_by(env: Env, public_id: Any) -> Record | None:
    """The product a POST's ``public_id`` names (archived included, deleted not); None when it names none."""
    if not truthy(public_id):
        return None
    product = env.store.get_public("products", env.account_id, route_id(public_id) or 0)
    if product is None or product.get("is_deleted"):
        raise RecordNotFoundError()
    return product


def save_product(env: Env, data: Mapping[str, Any], product: Record | None = None) -> Record:
    """``ProductRepository::save``: fill, then key, notes, cost and qty from the input or their defaults.

    Leaving out ``notes``, ``cost`` or ``qty`` resets them (to ``''``, 0 and 1); the tax and custom
    fields keep their values unless given.
    """
    fields = f.fill(PRODUCT_FIELDS, data)
    for name in ("tax_rate1", "tax_rate2"):
        if name in fields:
            fields[name] = php_round(fields[name] or 0.0, 3)
    fields["product_key"] = _trimmed(data.get("product_key"))
    fields["notes"] = _trimmed(data.get("notes"))
    fields["cost"] = php_round(parse_float(data["cost"]), 4) if data.get("cost") is not None else 0.0
    fields["qty"] = php_round(parse_float(data["qty"]), 4) if data.get("qty") is not None else 1.0
    if product is None:
        return new_product(env, fields)
    changed = {name: value for name, value in fields.items() if product.get(name) != value}
    if not changed:
        return product
    return env.store.update("products", product["doc_id"], {**changed, "updated_at": env.now})


def _trimmed(value: Any) -> str:
    """``isset($value) ? trim($value) : ''`` (PHP trims spaces, tabs, newlines, NUL and vertical tab)."""
    text = php_string(value)
    return "" if text is None else text.strip(" \t\n\r\0\x0b")
