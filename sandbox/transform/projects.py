"""``ProjectTransformer``."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import flag, integer, money, text, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer


def project_fields(ctx: Context, project: Record) -> dict[str, Any]:
    """The fields of one project, in transformer order."""
    return {
        **ctx.defaults(project),
        "id": integer(project["public_id"]),
        "name": text(project.get("name")),
        "client_id": integer(project.get("client_id")),
        "updated_at": timestamp(project.get("updated_at")),
        "archived_at": timestamp(project.get("deleted_at")),
        "is_deleted": flag(project.get("is_deleted")),
        "task_rate": money(project.get("task_rate")),
        "due_date": text(project.get("due_date")),
        "private_notes": text(project.get("private_notes")),
        "budgeted_hours": money(project.get("budgeted_hours")),
        "custom_value1": text(project.get("custom_value1")),
        "custom_value2": text(project.get("custom_value2")),
    }


PROJECT = Transformer("project", project_fields)
