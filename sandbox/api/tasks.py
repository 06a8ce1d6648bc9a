"""``/api/v1/tasks`` (TaskApiController).

``POST`` has no FormRequest: nothing is validated, and an ``id`` in the body updates that task
instead of creating one. Timers start and stop only there (``action`` inside the save); ``PUT``
sends every ``action`` to the generic handler, which refuses ``start``, ``stop`` and ``resume``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox.api.actions import run_action
from sandbox.api.call import Call, get_call
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.errors import RecordNotFoundError, ValidationError
from sandbox.models import tasks as rules
from sandbox.models.php import route_id, truthy
from sandbox.models.trash import delete_entity
from sandbox.store import Record
from sandbox.transform.tasks import TASK

TASKS = Resource(segment="tasks", entity="task", table="tasks", transformer=TASK)

list_tasks = list_handler(TASKS, "TaskApiController")
get_task = show_handler(TASKS, "TaskApiController")


def _store_input(call: Call) -> dict[str, Any]:
    """``store()``'s own preparation: ``client`` from ``client_id``, ``time_details`` into ``time_log``."""
    data = dict(call.input)
    if truthy(data.get("client_id")):
        data["client"] = data["client_id"]
    if truthy(data.get("time_details")):
        time_log, running = rules.time_details_log(data["time_details"], call.runtime.clock.timestamp())
        data["time_log"] = time_log
        if running:
            data["is_running"] = True
    return data


def _named_task(call: Call, data: dict[str, Any]) -> Record | None:
    """The task an ``id`` in the body names (archived and deleted included), or None to create one."""
    if not truthy(data.get("id")):
        return None
    assert call.actor is not None
    public_id = route_id(data["id"])
    task = None if not public_id else call.runtime.store.get_public("tasks", call.actor.account_id, public_id)
    if task is None:
        raise RecordNotFoundError()
    return task


def _validate(call: Call) -> None:
    errors = rules.time_log_errors(call.input)
    if errors:
        raise ValidationError(errors)


async def create_task(request: web.Request) -> web.Response:
    """``POST /api/v1/tasks`` (TaskApiController@store): create, or update the task ``id`` names."""
    call = get_call(request)
    data = _store_input(call)
    existing = _named_task(call, data)
    with call.write() as env:
        task = rules.save_task(env, data, existing)
    # v4 re-reads the task, so the answer carries no ``user_id``; it re-reads it without trashed
    # rows and fails (500) for an archived or deleted one, which the sandbox answers with the task.
    return item_response(call, TASK, env.store.get("tasks", task["doc_id"]))


async def update_task(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/tasks/{id}`` (TaskApiController@update), including ``?action=``."""
    call = get_call(request)
    task = entity_or_forbidden(call, TASKS)
    _validate(call)
    if truthy(call.input.get("action")):
        return run_action(call, TASKS, task)
    with call.write() as env:
        saved = rules.save_task(env, call.input, task)
    return item_response(call, TASK, env.store.get("tasks", saved["doc_id"]))


async def delete_task(request: web.Request) -> web.Response:
    """``DELETE /api/v1/tasks/{id}`` (TaskApiController@destroy)."""
    call = get_call(request)
    task = entity_or_forbidden(call, TASKS)
    _validate(call)
    with call.write() as env:
        task = delete_entity(env, "tasks", task)
    return item_response(call, TASK, task)


ROUTES: list[ApiRoute] = resource_routes(
    "tasks",
    {
        "index": list_tasks,
        "store": create_task,
        "show": get_task,
        "update": update_task,
        "destroy": delete_task,
    },
)
