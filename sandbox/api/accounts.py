"""``GET /api/v1/accounts`` and ``PUT /api/v1/accounts`` (AccountApiController@show, @update)."""

from __future__ import annotations

from aiohttp import web

from sandbox.api.call import get_call
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute
from sandbox.models import account_settings
from sandbox.models.accounts import Actor
from sandbox.transform.accounts import ACCOUNT


async def get_account(request: web.Request) -> web.Response:
    """``GET /api/v1/accounts`` (AccountApiController@show): the caller's account and its lists."""
    call = get_call(request)
    assert call.actor is not None
    return item_response(call, ACCOUNT, call.actor.account)


async def update_account(request: web.Request) -> web.Response:
    """``PUT /api/v1/accounts`` (AccountApiController@update): fillable settings; ``name`` required."""
    call = get_call(request)
    assert call.actor is not None
    account_settings.validate_update(call.input)
    with call.write() as env:
        account = env.account
        changes = account_settings.fill(account, call.input)
        if changes:
            # Eloquent writes (and touches ``updated_at``) only when something changed.
            account = env.store.update("accounts", account["doc_id"], {**changes, "updated_at": env.now})
    call.actor = Actor(account=account, user=call.actor.user)
    return item_response(call, ACCOUNT, account)


ROUTES = [
    ApiRoute("GET", "/accounts", get_account, "accounts.show"),
    ApiRoute("PUT", "/accounts", update_account, "accounts.update"),
]
