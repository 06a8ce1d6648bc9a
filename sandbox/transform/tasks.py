"""``TaskTransformer``: a task with its duration; ``client`` and ``project`` on request."""

from __future__ import annotations

import time
from typing import Any

from sandbox.models.tasks import duration
from sandbox.store import Record
from sandbox.transform.casts import flag, integer, text
from sandbox.transform.context import Context
from sandbox.transform.fractal import Include, Transformer
from sandbox.transform.projects import PROJECT


def task_fields(ctx: Context, task: Record) -> dict[str, Any]:
    """The fields of one task, in transformer order (both timestamps cast to int: 0, not null)."""
    now = ctx.now if ctx.now is not None else int(time.time())
    return {
        **ctx.defaults(task),
        "id": integer(task["public_id"]),
        "description": text(task.get("description")),
        "duration": duration(task.get("time_log"), now),
        "updated_at": integer(task.get("updated_at")),
        "archived_at": integer(task.get("deleted_at")),
        "invoice_id": integer(task.get("invoice_id")),
        "client_id": integer(task.get("client_id")),
        "project_id": integer(task.get("project_id")),
        "is_deleted": flag(task.get("is_deleted")),
        "time_log": text(task.get("time_log")),
        "is_running": flag(task.get("is_running")),
        "custom_value1": text(task.get("custom_value1")),
        "custom_value2": text(task.get("custom_value2")),
        "task_status_id": integer(task.get("task_status_id")),
        "task_status_sort_order": integer(task.get("task_status_sort_order")),
    }


def _client(ctx: Context, task: Record) -> Record | None:
    client_id = task.get("client_id")
    return ctx.store.get_public("clients", task["account_id"], int(client_id)) if client_id else None


def _project(ctx: Context, task: Record) -> Record | None:
    project_id = task.get("project_id")
    return ctx.store.get_public("projects", task["account_id"], int(project_id)) if project_id else None


def _client_transformer() -> Transformer:
    from sandbox.transform.clients import CLIENT

    return CLIENT


TASK = Transformer(
    "task",
    task_fields,
    available_includes=(
        Include("client", _client, _client_transformer, many=False),
        Include("project", _project, lambda: PROJECT, many=False),
    ),
)
