"""Projects (``ProjectService::save``, ``ProjectRepository::save``): a client's work with its own rate.

The client is set once, when the project is created, from the public ``client_id`` (an unknown id
leaves the project without a client, as v4's nullable column does); ``client_id`` is not fillable, so
an update cannot move the project. Projects have no activities and no webhook events.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.errors import ValidationError
from sandbox.models import fields as f
from sandbox.models.accounts import Env
from sandbox.models.dates import account_date_format, to_sql_date
from sandbox.models.php import php_round, route_id, truthy
from sandbox.store import Record

#: ``Project::$fillable``.
PROJECT_FIELDS: dict[str, f.Kind] = {
    "name": "string",
    "task_rate": "decimal",
    "private_notes": "string",
    "due_date": "string",
    "budgeted_hours": "decimal",
    "custom_value1": "string",
    "custom_value2": "string",
}
#: Column precision: ``task_rate`` DECIMAL(12,4), ``budgeted_hours`` DOUBLE(8,2).
_PLACES = {"task_rate": 4, "budgeted_hours": 2}

NEW_PROJECT: dict[str, Any] = {
    "name": None,
    "client_id": None,
    "task_rate": 0.0,
    "due_date": None,
    "private_notes": None,
    "budgeted_hours": 0.0,
    "custom_value1": None,
    "custom_value2": None,
    "is_deleted": False,
}


def validate_project_input(data: Mapping[str, Any], *, creating: bool, saving: bool = True) -> None:
    """``CreateProjectRequest`` (name, client_id) or ``UpdateProjectRequest`` (name), then, for a save,
    values no column could hold (v4's 500)."""
    errors = f.required_errors(data, ("name", "client_id") if creating else ("name",))
    if saving:
        for name, messages in f.type_errors(PROJECT_FIELDS, data).items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def _client_public_id(env: Env, value: Any) -> int | None:
    """``Client::getPrivateId``: the account's client (trashed included), else null."""
    if not truthy(value):
        return None
    public_id = route_id(value)
    client = None if not public_id else env.store.get_public("clients", env.account_id, public_id)
    return None if client is None else int(client["public_id"])


def _fields(env: Env, data: Mapping[str, Any]) -> Record:
    fields = f.fill(PROJECT_FIELDS, data)
    for name, places in _PLACES.items():
        if name in fields:
            fields[name] = php_round(float(fields[name] or 0.0), places)
    if data.get("due_date") is not None:
        # ``Utils::toSqlDate``: empty means null; a date it cannot read is kept as given.
        due = data["due_date"]
        fields["due_date"] = (
            to_sql_date(fields["due_date"], account_date_format(env.static, env.account))
            if truthy(due)
            else None
        )
    return fields


def new_project(env: Env, data: Mapping[str, Any]) -> Record:
    """``Project::createNew`` filled from the request, for the client ``data['client_id']`` names."""
    fields = _fields(env, data)
    return env.store.insert(
        "projects",
        {
            **NEW_PROJECT,
            **fields,
            "client_id": _client_public_id(env, data.get("client_id")),
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "public_id": env.store.next_public_id("projects", env.account_id),
            "created_at": env.now,
            "updated_at": env.now,
            "deleted_at": None,
        },
    )


def update_project(env: Env, project: Record, data: Mapping[str, Any]) -> Record:
    """The fillable fields of an existing project (deleted ones too: v4 does not guard them)."""
    fields = _fields(env, data)
    changed = {name: value for name, value in fields.items() if project.get(name) != value}
    if not changed:
        return project
    return env.store.update("projects", project["doc_id"], {**changed, "updated_at": env.now})
