"""``/api/v1/users`` (UserApiController).

Only the list works as such in v4.5.50. ``PUT`` ignores the id and edits the caller (``?action=archive``
archives the caller). ``GET /users/{id}``, ``POST`` and ``DELETE`` crash v4 with a 500; the sandbox does
what they document instead (FIDELITY.md). User ids are ``public_id + 1``: the owner is 1.
"""

from __future__ import annotations

import dataclasses

from aiohttp import web

from sandbox.api.call import Call, get_call
from sandbox.api.resource import Resource, list_handler, requested_id
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.errors import ForbiddenError, RecordNotFoundError
from sandbox.models import users as rules
from sandbox.models.php import route_id
from sandbox.store import Record
from sandbox.transform.users import USER

#: ``createItem($user, $transformer, 'users')``: the JSON-API type of a saved user is plural.
SAVED_USER = dataclasses.replace(USER, entity_type="users")


def _caller(call: Call) -> Record:
    assert call.actor is not None
    return call.actor.user


def _visible(call: Call, rows: list[Record]) -> list[Record]:
    """Without ``view_user`` a user sees only themself."""
    caller = _caller(call)
    if rules.has_permission(caller, "view_user"):
        return rows
    return [row for row in rows if row["doc_id"] == caller["doc_id"]]


USERS = Resource(
    segment="users",
    entity="user",
    table="users",
    transformer=USER,
    order_by="created_at",
    client_field=None,
    filters=(_visible,),
    has_deleted_flag=False,
)

list_users = list_handler(USERS, "UserApiController")


def _named_user(call: Call) -> Record | None:
    """The user the request names by its shown id (``public_id + 1``), archived ones included."""
    public_id = route_id(requested_id(call, USERS))
    if public_id is None:
        return None
    account_id = int(_caller(call)["account_id"])
    user = call.runtime.store.get_public("users", account_id, public_id - 1)
    if user is None or not _visible(call, [user]):
        raise RecordNotFoundError()
    return user


async def get_user(request: web.Request) -> web.Response:
    """``GET /api/v1/users/{id}`` (UserApiController@show); v4 crashes here (FIDELITY.md)."""
    call = get_call(request)
    return item_response(call, USER, _named_user(call))


async def create_user(request: web.Request) -> web.Response:
    """``POST /api/v1/users`` (UserApiController@store); v4 crashes here (FIDELITY.md).

    Adds a user to the caller's account as v4's settings page does (an admin-only page): first
    name, last name and a new unique email required; ``is_admin`` and ``permissions`` as given.
    """
    call = get_call(request)
    if not _caller(call).get("is_admin"):
        raise ForbiddenError()
    rules.validate_create(call.runtime.store, call.input)
    with call.write() as env:
        user = rules.create_user(env, call.input)
    return item_response(call, SAVED_USER, user)


async def update_user(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/users/{id}`` (UserApiController@update): edits (or archives) the caller."""
    call = get_call(request)
    caller = _caller(call)
    rules.validate_update(call.runtime.store, call.input, caller)
    with call.write() as env:
        if call.input.get("action") == "archive":
            user = rules.archive_user(env, caller)
        else:
            user = rules.update_user(env, caller, call.input)
    return item_response(call, SAVED_USER, user)


async def delete_user(request: web.Request) -> web.Response:
    """``DELETE /api/v1/users/{id}`` (UserApiController@destroy); v4 crashes here (FIDELITY.md).

    After the same validation as ``PUT``, the named user is deactivated (soft-deleted); only admins
    may delete another user.
    """
    call = get_call(request)
    caller = _caller(call)
    rules.validate_update(call.runtime.store, call.input, caller)
    user = _named_user(call)
    if user is not None and user["doc_id"] != caller["doc_id"] and not caller.get("is_admin"):
        raise ForbiddenError()
    if user is not None:
        with call.write() as env:
            user = rules.delete_user(env, user)
    return item_response(call, USER, user)


ROUTES: list[ApiRoute] = resource_routes(
    "users",
    {
        "index": list_users,
        "store": create_user,
        "show": get_user,
        "update": update_user,
        "destroy": delete_user,
    },
)
