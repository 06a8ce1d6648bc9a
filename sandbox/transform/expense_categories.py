"""``ExpenseCategoryTransformer``."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import integer, text, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer


def expense_category_fields(ctx: Context, category: Record) -> dict[str, Any]:
    """The fields of one expense category, in transformer order."""
    return {
        **ctx.defaults(category),
        "id": integer(category["public_id"]),
        "name": text(category.get("name")),
        "updated_at": timestamp(category.get("updated_at")),
        "archived_at": timestamp(category.get("deleted_at")),
    }


EXPENSE_CATEGORY = Transformer("expense_category", expense_category_fields)
