"""``ProductTransformer``."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import flag, integer, money, text, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer


def product_fields(ctx: Context, product: Record) -> dict[str, Any]:
    """The fields of one product, in transformer order."""
    return {
        **ctx.defaults(product),
        "id": integer(product["public_id"]),
        "product_key": text(product.get("product_key")),
        "notes": text(product.get("notes")),
        "cost": money(product.get("cost")),
        "qty": money(product.get("qty")),
        "tax_name1": text(product.get("tax_name1")),
        "tax_rate1": money(product.get("tax_rate1")),
        "tax_name2": text(product.get("tax_name2")),
        "tax_rate2": money(product.get("tax_rate2")),
        "updated_at": timestamp(product.get("updated_at")),
        "archived_at": timestamp(product.get("deleted_at")),
        "custom_value1": text(product.get("custom_value1")),
        "custom_value2": text(product.get("custom_value2")),
        "is_deleted": flag(product.get("is_deleted")),
    }


PRODUCT = Transformer("product", product_fields)
