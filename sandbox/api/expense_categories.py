"""``/api/v1/expense_categories`` (ExpenseCategoryApiController).

v4 has no action handling here (``?action=archive`` is an ordinary save), and its ``show`` and
``destroy`` crash; the sandbox serves both as documented (FIDELITY.md).
"""

from __future__ import annotations

from aiohttp import web

from sandbox.api.call import Call, get_call
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.models import expense_categories as rules
from sandbox.models import trash
from sandbox.store import Record
from sandbox.transform.expense_categories import EXPENSE_CATEGORY

EXPENSE_CATEGORIES = Resource(
    segment="expense_categories",
    entity="expense_category",
    table="expense_categories",
    transformer=EXPENSE_CATEGORY,
    order_by="created_at",
    client_field=None,
)


list_expense_categories = list_handler(EXPENSE_CATEGORIES, "ExpenseCategoryApiController")


get_expense_category = show_handler(EXPENSE_CATEGORIES, "ExpenseCategoryApiController")


def _validated(call: Call, category: Record | None) -> None:
    assert call.actor is not None
    rules.validate_category(call.runtime.store, call.actor.account_id, call.input, category)


async def create_expense_category(request: web.Request) -> web.Response:
    """``POST /api/v1/expense_categories`` (ExpenseCategoryApiController@store)."""
    call = get_call(request)
    _validated(call, None)
    with call.write() as env:
        category = rules.save_category(env, call.input)
    return item_response(call, EXPENSE_CATEGORY, category, created=True)


async def update_expense_category(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/expense_categories/{id}`` (ExpenseCategoryApiController@update)."""
    call = get_call(request)
    category = entity_or_forbidden(call, EXPENSE_CATEGORIES)
    _validated(call, category)
    with call.write() as env:
        category = rules.save_category(env, call.input, category)
    return item_response(call, EXPENSE_CATEGORY, category)


async def delete_expense_category(request: web.Request) -> web.Response:
    """``DELETE /api/v1/expense_categories/{id}`` (ExpenseCategoryApiController@destroy); needs ``name``."""
    call = get_call(request)
    category = entity_or_forbidden(call, EXPENSE_CATEGORIES)
    _validated(call, category)
    with call.write() as env:
        category = trash.delete_entity(env, "expense_categories", category)
    return item_response(call, EXPENSE_CATEGORY, category)


ROUTES: list[ApiRoute] = resource_routes(
    "expense_categories",
    {
        "index": list_expense_categories,
        "store": create_expense_category,
        "show": get_expense_category,
        "update": update_expense_category,
        "destroy": delete_expense_category,
    },
)
