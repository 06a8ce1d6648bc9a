"""``BaseAPIController::handleAction``: ``?action=`` (or ``action`` in the body) on PUT/PATCH.

v4 accepts ``archive``, ``delete``, ``restore``, ``mark_sent``/``markSent``, ``emailInvoice`` and
``markPaid`` and refuses anything else with 400 ``{"error": "Action [x] is not supported"}``. The
invoice-only actions on other entities crash v4 with a 500; the sandbox refuses them with the same
400 instead (FIDELITY.md).
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from sandbox.api.call import Call
from sandbox.api.resource import Resource
from sandbox.api.respond import item_response
from sandbox.errors import UnsupportedActionError
from sandbox.models import trash
from sandbox.models.accounts import Env
from sandbox.store import Record

KNOWN_ACTIONS = ("archive", "delete", "restore", "mark_sent", "markSent", "emailInvoice", "markPaid")
ActionFn = Callable[[Env, Resource, Record], Record]


def _archive(env: Env, resource: Resource, record: Record) -> Record:
    return trash.archive_entity(env, resource.table, record)


def _delete(env: Env, resource: Resource, record: Record) -> Record:
    return trash.delete_entity(env, resource.table, record, has_flag=resource.has_deleted_flag)


def _restore(env: Env, resource: Resource, record: Record) -> Record:
    return trash.restore_entity(env, resource.table, record)


COMMON_ACTIONS: dict[str, ActionFn] = {"archive": _archive, "delete": _delete, "restore": _restore}


def run_action(
    call: Call, resource: Resource, record: Record, extra: dict[str, ActionFn] | None = None
) -> web.Response:
    """Run the requested action on ``record`` and answer with the record as it now stands."""
    action = call.input.get("action")
    name = str(action)
    if name not in KNOWN_ACTIONS:
        raise UnsupportedActionError(name)
    if name == "mark_sent":
        name = "markSent"
    actions = {**COMMON_ACTIONS, **(extra or {})}
    if name not in actions:
        raise UnsupportedActionError(str(action))
    with call.write() as env:
        record = actions[name](env, resource, record)
    return item_response(call, resource.transformer, record)
