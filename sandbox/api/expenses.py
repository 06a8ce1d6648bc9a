"""``/api/v1/expenses`` (ExpenseApiController)."""

from __future__ import annotations

from aiohttp import web

from sandbox.api.actions import run_action
from sandbox.api.call import Call, get_call
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.documents_store import record_key
from sandbox.models import expenses as rules
from sandbox.models import trash
from sandbox.models.php import truthy
from sandbox.store import Record
from sandbox.transform.expenses import EXPENSE

EXPENSES = Resource(segment="expenses", entity="expense", table="expenses", transformer=EXPENSE)


list_expenses = list_handler(EXPENSES, "ExpenseApiController")


get_expense = show_handler(EXPENSES, "ExpenseApiController")


def _release_files(call: Call, documents: list[Record]) -> None:
    """Remove the files of deleted documents that no other document names (after the commit)."""
    assert call.actor is not None
    for document in documents:
        call.runtime.documents.release(call.runtime.store, call.actor.account_id, record_key(document))


async def create_expense(request: web.Request) -> web.Response:
    """``POST /api/v1/expenses`` (ExpenseApiController@store); ``public_id`` updates that expense."""
    call = get_call(request)
    rules.validate_expense(call.input)
    with call.write() as env:
        saved = rules.save_expense(env, rules.sanitize(env, call.input))
    _release_files(call, saved.removed_documents)
    # v4 loads the expense again before answering, so ``user_id`` is not shown.
    return item_response(call, EXPENSE, env.store.get("expenses", saved.expense["doc_id"]))


async def update_expense(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/expenses/{id}`` (ExpenseApiController@update), including ``?action=``."""
    call = get_call(request)
    expense = entity_or_forbidden(call, EXPENSES)
    rules.validate_expense(call.input)
    with call.write() as env:
        # The request's sanitize step runs before the controller, actions included.
        data = rules.sanitize(env, call.input)
    if truthy(call.input.get("action")):
        return run_action(call, EXPENSES, expense)
    with call.write() as env:
        saved = rules.save_expense(env, {**data, "public_id": request.match_info["expenses"]}, expense)
    _release_files(call, saved.removed_documents)
    return item_response(call, EXPENSE, env.store.get("expenses", saved.expense["doc_id"]))


async def delete_expense(request: web.Request) -> web.Response:
    """``DELETE /api/v1/expenses/{id}`` (ExpenseApiController@destroy)."""
    call = get_call(request)
    expense = entity_or_forbidden(call, EXPENSES)
    rules.validate_expense(call.input)
    with call.write() as env:
        rules.sanitize(env, call.input)
        expense = trash.delete_entity(env, "expenses", expense)
    return item_response(call, EXPENSE, expense)


ROUTES: list[ApiRoute] = resource_routes(
    "expenses",
    {
        "index": list_expenses,
        "store": create_expense,
        "show": get_expense,
        "update": update_expense,
        "destroy": delete_expense,
    },
)
