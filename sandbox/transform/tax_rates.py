"""``TaxRateTransformer``."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import flag, integer, money, text, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer


def tax_rate_fields(ctx: Context, tax_rate: Record) -> dict[str, Any]:
    """The fields of one tax rate, in transformer order."""
    return {
        **ctx.defaults(tax_rate),
        "id": integer(tax_rate["public_id"]),
        "name": text(tax_rate.get("name")),
        "rate": money(tax_rate.get("rate")),
        "is_inclusive": flag(tax_rate.get("is_inclusive")),
        "updated_at": timestamp(tax_rate.get("updated_at")),
        "archived_at": timestamp(tax_rate.get("deleted_at")),
    }


TAX_RATE = Transformer("tax_rate", tax_rate_fields)
