"""Expense categories (``ExpenseCategoryRepository::save``, ``Create/UpdateExpenseCategoryRequest``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.errors import ValidationError
from sandbox.models import fields as f
from sandbox.models.accounts import Env
from sandbox.store import Record, Store

CATEGORY_FIELDS: dict[str, f.Kind] = {"name": "string"}


def name_errors(
    store: Store, account_id: int, data: Mapping[str, Any], category: Record | None
) -> dict[str, list[str]]:
    """``name: required|unique:expense_categories,name,<id>,id,account_id,<acct>``.

    The unique rule counts archived and deleted categories too, and compares case-insensitively
    (MySQL's collation).
    """
    errors = f.required_errors(data, ("name",)) or f.type_errors(CATEGORY_FIELDS, data)
    if errors:
        return errors
    name = f.coerce("string", data["name"])
    taken = store.find("expense_categories", "name", name, account_id)
    if any(category is None or row["doc_id"] != category["doc_id"] for row in taken):
        return {"name": ["The name has already been taken."]}
    return {}


def validate_category(
    store: Store, account_id: int, data: Mapping[str, Any], category: Record | None
) -> None:
    """Raise v4's validation error when the name is missing or taken."""
    errors = name_errors(store, account_id, data, category)
    if errors:
        raise ValidationError(errors)


def save_category(env: Env, data: Mapping[str, Any], category: Record | None = None) -> Record:
    """Create a category, or change ``category``'s name (a save without changes writes nothing)."""
    fields = f.fill(CATEGORY_FIELDS, data)
    if category is None:
        return env.store.insert(
            "expense_categories",
            {
                "name": None,
                **fields,
                "account_id": env.account_id,
                "user_id": env.actor.user_id,
                "public_id": env.store.next_public_id("expense_categories", env.account_id),
                "is_deleted": False,
                "created_at": env.now,
                "updated_at": env.now,
                "deleted_at": None,
            },
        )
    changed = {k: v for k, v in fields.items() if category.get(k) != v}
    if not changed:
        return category
    return env.store.update("expense_categories", category["doc_id"], {**changed, "updated_at": env.now})
