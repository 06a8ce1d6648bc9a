"""``ActivityTransformer``: one entry of a client's activity log."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import integer, money, text, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer


def _optional(value: Any) -> int | None:
    return None if value is None else int(value)


def activity_fields(ctx: Context, activity: Record) -> dict[str, Any]:
    """One activity; ``id`` joins the type, the *internal* client id and the time, as v4 does."""
    created = int(activity.get("created_at") or 0)
    return {
        "id": f"{activity.get('activity_type_id')}-{activity.get('client_doc_id') or ''}-{created}",
        "activity_type_id": integer(activity.get("activity_type_id")),
        "client_id": _optional(activity.get("client_id")),
        "user_id": ctx.user_public_id(activity.get("user_id")),
        "invoice_id": _optional(activity.get("invoice_id")),
        "payment_id": _optional(activity.get("payment_id")),
        "credit_id": _optional(activity.get("credit_id")),
        "updated_at": timestamp(activity.get("updated_at")),
        "expense_id": _optional(activity.get("expense_id")),
        "is_system": True if activity.get("is_system") else None,
        "contact_id": _optional(activity.get("contact_id")),
        "task_id": _optional(activity.get("task_id")),
        "notes": text(activity.get("notes")),
        "adjustment": money(activity.get("adjustment")),
        "balance": money(activity.get("balance")),
    }


ACTIVITY = Transformer("activity", activity_fields)
