"""``TaskStatusTransformer``: a kanban column of the account (reached only as a ``user_account`` include)."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import integer, text
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer


def task_status_fields(ctx: Context, status: Record) -> dict[str, Any]:
    """One task status; ``sort_order`` is shown one higher than stored."""
    return {
        **ctx.defaults(status),
        "id": integer(status.get("public_id")),
        "name": text(status.get("name")),
        "sort_order": integer(status.get("sort_order")) + 1,
    }


def task_statuses_of(ctx: Context, account: Record) -> list[Record]:
    """``$account->task_statuses``: the live ones, by ``sort_order``."""
    rows = [
        row
        for row in ctx.store.rows("task_statuses", int(account["doc_id"]))
        if row.get("deleted_at") is None
    ]
    return sorted(rows, key=lambda row: (integer(row.get("sort_order")), row["doc_id"]))


TASK_STATUS = Transformer("task_status", task_status_fields)
