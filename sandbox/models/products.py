"""Products as invoices use them: key lookup, auto-fill of line items, and v4's silent upserts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.models.accounts import Env
from sandbox.models.php import parse_float, php_round
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
