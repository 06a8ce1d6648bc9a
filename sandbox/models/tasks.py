"""Tasks (``TaskRepository::save``, ``Task``): time logs, timers, and the task model events.

A task's ``time_log`` is JSON text: ``[[start, end], ...]`` in unix seconds, ``end`` being ``false``
while the segment runs. Every save decodes it, sorts it (``array_multisort``), applies the timer
``action`` and encodes it again, so the stored text is always in PHP's compact ``json_encode`` form.
``Task`` fires ``create_task`` on insert and ``update_task`` on every save that changes a column;
``UPDATE_TASK`` is logged only when a fillable field changed (``EntityModel::isChanged``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import orjson

from sandbox import phpjson
from sandbox.errors import RecordNotFoundError, ValidationError
from sandbox.models import fields as f
from sandbox.models.accounts import Env
from sandbox.models.activities import Activity, record_activity
from sandbox.models.php import floatval, php_round, php_string, route_id, truthy
from sandbox.models.strtotime import strtotime
from sandbox.store import Record

TimeLog = list[list[Any]]

TASK_FIELDS: dict[str, f.Kind] = {
    "description": "string",
    "is_running": "bool",
    "custom_value1": "string",
    "custom_value2": "string",
    "task_status_sort_order": "int",
}
#: ``Task::$fillable``: only a change to one of these logs ``UPDATE_TASK``.
FILLABLE = ("client_id", "description", "time_log", "is_running", "custom_value1", "custom_value2")
#: The API's new tasks sort last on the kanban board (``TaskRepository::save``).
NEW_TASK_SORT_ORDER = 9999

NEW_TASK: dict[str, Any] = {
    "client_id": None,
    "project_id": None,
    "invoice_id": None,
    "task_status_id": None,
    "task_status_sort_order": NEW_TASK_SORT_ORDER,
    "description": None,
    "time_log": "[]",
    "is_running": False,
    "custom_value1": None,
    "custom_value2": None,
    "is_deleted": False,
}

OVERLAP_MESSAGE = "Please correct any overlapping times"
JSON_MESSAGE = "The time log must be a valid JSON string."
_PHP_WHITESPACE = " \t\n\r\0\x0b"
_NUMERIC = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class TimeLogError(ValueError):
    """A time log that is not JSON text of ``[[start, end], ...]``."""


def number(value: Any) -> float:
    """A time-log value as PHP's arithmetic reads it (``false`` is 0, numeric text its number)."""
    return floatval(value)


def _scalar(value: Any) -> bool:
    """A value PHP's arithmetic takes without complaint: a number, a bool, null or numeric text."""
    if isinstance(value, str):
        return _NUMERIC.fullmatch(value) is not None
    return value is None or isinstance(value, bool | int | float)


def decode_time_log(raw: Any, *, pairs: bool = False) -> TimeLog:
    """``json_decode`` of a time log; ``pairs`` demands a start and an end in every entry."""
    if not isinstance(raw, str):
        raise TimeLogError("not text")
    try:
        decoded = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise TimeLogError("not JSON") from exc
    if not isinstance(decoded, list):
        raise TimeLogError("not a list")
    for entry in decoded:
        if not isinstance(entry, list) or len(entry) < (2 if pairs else 1):
            raise TimeLogError("not a list of entries")
        if not all(_scalar(value) for value in entry):
            raise TimeLogError("not numbers")
    return decoded


def sort_time_log(log: TimeLog) -> TimeLog:
    """``array_multisort``: shorter entries first, then by start, then by end."""
    return sorted(log, key=lambda entry: (len(entry), [number(value) for value in entry]))


def _encodable(value: Any) -> Any:
    return phpjson.php_float(value) if isinstance(value, float) else value


def encode_time_log(log: TimeLog) -> str:
    """``json_encode`` of a time log (compact; integral floats lose their fraction)."""
    clean = [[_encodable(value) for value in entry] for entry in log]
    return phpjson.dumps(clean, pretty=False).decode()


def duration(time_log: Any, now: int) -> int | float:
    """``Task::calcDuration``: the seconds of every segment, a running one counted up to ``now``.

    PHP's ``round()`` gives a float, printed without a fraction when integral; beyond the 64-bit
    integer range it stays a float here too (as an int it could not be written as JSON at all).
    """
    try:
        parts = decode_time_log(time_log) if truthy(time_log) else []
    except TimeLogError:
        parts = []
    total = 0.0
    for part in parts:
        start = number(part[0])
        end = float(now) if len(part) == 1 or not truthy(part[1]) else number(part[1])
        total += max(end - start, 0.0)
    rounded = php_round(total)
    return int(rounded) if abs(rounded) < 2**63 else rounded


def overlaps(log: TimeLog) -> bool:
    """The ``time_log`` rule's failure: once sorted, a closed segment starts before the last one ended."""
    last = 0.0
    for entry in sort_time_log(log):
        if not truthy(entry[1]):
            continue
        start, end = number(entry[0]), number(entry[1])
        if start < last or start > end:
            return True
        last = max(last, end)
    return False


def time_log_errors(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """``UpdateTaskRequest``: ``time_log`` must pass the ``time_log`` rule when it is given."""
    raw = data.get("time_log")
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return {}
    try:
        log = decode_time_log(raw, pairs=True)
    except TimeLogError:
        # v4's rule crashes on text it cannot decode (500); the sandbox says what is wrong.
        return {"time_log": [JSON_MESSAGE]}
    return {"time_log": [OVERLAP_MESSAGE]} if overlaps(log) else {}


def _detail_seconds(detail: Mapping[str, Any]) -> float:
    seconds = 0.0
    for name, factor in (("duration_seconds", 1), ("duration_minutes", 60), ("duration_hours", 3600)):
        value = detail.get(name)
        if truthy(value):
            seconds += number(value) * factor
    return seconds


def time_details_log(details: Any, now: int) -> tuple[str, bool]:
    """``TaskApiController::store``'s ``time_details``: the time log text, and whether a segment runs."""
    items = list(details.values()) if isinstance(details, dict) else details
    if not isinstance(items, list):
        raise ValidationError({"time_details": ["The time details must be an array."]})
    log: TimeLog = []
    running = False
    for index, detail in enumerate(items):
        if not isinstance(detail, dict) or "start_datetime" not in detail:
            name = f"time_details.{index}.start_datetime"
            raise ValidationError({name: [f"The {f.attribute_name(name)} field is required."]})
        start = strtotime(detail["start_datetime"], now)
        end: Any = False
        if truthy(detail.get("end_datetime")):
            end = strtotime(detail["end_datetime"], now)
            end = False if end is None else end
        else:
            seconds = _detail_seconds(detail)
            if seconds:
                end = (start or 0) + seconds
        # strtotime's ``false`` for a start it cannot read is kept, as v4 keeps it.
        log.append([False if start is None else start, end])
        if not truthy(end):
            running = True
    return encode_time_log(log), running


def _input_log(data: Mapping[str, Any], task: Record | None) -> TimeLog:
    raw = data.get("time_log")
    if raw is not None:
        if isinstance(raw, str) and raw.strip() == "":
            # v4 fails on ``json_decode('')`` (500); the sandbox reads it as an empty log.
            return []
        try:
            return decode_time_log(raw)
        except TimeLogError:
            raise ValidationError({"time_log": [JSON_MESSAGE]}) from None
    if task is not None and truthy(task.get("time_log")):
        try:
            return decode_time_log(task["time_log"])
        except TimeLogError:
            return []
    return []


def _public_of(env: Env, table: str, value: Any) -> int | None:
    """``getPrivateId``: the public id of the account's record (trashed included), else null."""
    if not truthy(value):
        return None
    public_id = route_id(value)
    record = None if not public_id else env.store.get_public(table, env.account_id, public_id)
    return None if record is None else int(record["public_id"])


def _project(env: Env, data: Mapping[str, Any]) -> Record | None:
    """``Project::scope($id)->firstOrFail()``: a live project of the account, or 404."""
    value = data.get("project_id")
    if not truthy(value):
        return None
    public_id = route_id(value)
    project = None if not public_id else env.store.get_public("projects", env.account_id, public_id)
    if project is None or project.get("deleted_at") is not None:
        raise RecordNotFoundError()
    return project


def client_of(env: Env, task: Record) -> Record | None:
    """The task's client (archived and deleted included), as ``$task->client`` loads it."""
    client_id = task.get("client_id")
    return None if not client_id else env.store.get_public("clients", env.account_id, int(client_id))


def _loosely_equal(old: Any, new: Any) -> bool:
    """PHP 7's ``==`` as ``isChanged`` uses it: null, false, 0 and "" are all equal."""
    empty = (None, False, 0, "")
    if old in empty and new in empty:
        return True
    return bool(old == new)


def _timer(env: Env, data: Mapping[str, Any], log: TimeLog, running: bool) -> bool:
    """The ``action`` inside a save (start, resume, stop, offline), else ``is_running``; returns running."""
    action = data.get("action")
    if action is None:
        return truthy(data["is_running"]) if data.get("is_running") is not None else running
    if action in ("start", "resume"):
        log.append([env.now, False])
        return True
    if action == "stop" and running:
        if log:
            last = list(log[-1])
            if len(last) == 1:
                last.append(env.now)
            else:
                last[1] = env.now
            log[-1] = last
        return False
    if action == "offline":
        return truthy(data.get("is_running"))
    return running


def save_task(env: Env, data: Mapping[str, Any], task: Record | None = None) -> Record:
    """``TaskRepository::save``: a new task, or the given one updated; a deleted task stays as it is."""
    if task is not None and task.get("is_deleted"):
        return task
    errors = f.type_errors(TASK_FIELDS, data)
    if errors:
        raise ValidationError(errors)
    project = _project(env, data)
    log = sort_time_log(_input_log(data, task))
    fields = f.fill(TASK_FIELDS, data)
    if "description" in data and data["description"] is not None:
        fields["description"] = (php_string(data["description"]) or "").strip(_PHP_WHITESPACE)
    if project is not None:
        fields["project_id"] = project["public_id"]
        fields["client_id"] = project.get("client_id")
    elif data.get("client") is not None:
        fields["client_id"] = _public_of(env, "clients", data["client"])
    elif "client_id" in data:
        fields["client_id"] = _public_of(env, "clients", data["client_id"])
    if data.get("task_status_id") is not None:
        fields["task_status_id"] = _public_of(env, "task_statuses", data["task_status_id"])
    running = bool(fields.get("is_running", (task or {}).get("is_running", False)))
    fields["is_running"] = _timer(env, data, log, running)
    fields["time_log"] = encode_time_log(log)

    store = env.store
    if task is None:
        task = store.insert(
            "tasks",
            {
                **NEW_TASK,
                **fields,
                "account_id": env.account_id,
                "user_id": env.actor.user_id,
                "public_id": store.next_public_id("tasks", env.account_id),
                "created_at": env.now,
                "updated_at": env.now,
                "deleted_at": None,
            },
        )
        record_activity(env, Activity.CREATE_TASK, client_of(env, task), task=task)
        env.fire("create_task", "tasks", task)
        return task
    changed = {name: value for name, value in fields.items() if task.get(name) != value}
    if not changed:
        return task
    fillable_changed = any(
        name in FILLABLE and not _loosely_equal(task.get(name), value) for name, value in changed.items()
    )
    task = store.update("tasks", task["doc_id"], {**changed, "updated_at": env.now})
    env.fire("update_task", "tasks", task)
    if fillable_changed:
        record_activity(env, Activity.UPDATE_TASK, client_of(env, task), task=task)
    return task
