"""``/api/v1/login``, ``refresh``, ``register``, ``oauth_login`` and ``user_accounts`` (AccountApiController).

The login-type routes need the API secret, not a token, and are the only ones a self-hosted v4
throttles. A successful login answers the user's accounts (``user_account`` objects), each with the
token named by ``token_name``; from then on the request runs as the user who logged in.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import Any

import orjson
from aiohttp import web

from sandbox.api.call import Call, get_call
from sandbox.api.respond import envelope
from sandbox.api.routing import ApiRoute, Auth
from sandbox.api.static import localized_static
from sandbox.errors import VERSION, ControllerError, ThrottledError
from sandbox.models import sessions
from sandbox.models.accounts import Actor
from sandbox.models.php import truthy
from sandbox.store import Record
from sandbox.transform.accounts import user_account_transformer
from sandbox.transform.fractal import to_array, to_jsonapi

GOOGLE = 1  # OAuth::SOCIAL_GOOGLE


async def throttle(call: Call) -> None:
    """``ApiCheck``'s throttle, keyed by the client address (these routes have no user yet)."""
    runtime = call.runtime
    key = call.request.remote or ""
    wait = runtime.login_throttle.wait(key, runtime.clock.timestamp())
    if wait is not None:
        await asyncio.sleep(min(1.0, runtime.settings.error_delay))
        raise ThrottledError(wait)


def _invalid_credentials() -> ControllerError:
    return ControllerError({"message": sessions.INVALID_CREDENTIALS}, 401)


def user_accounts_response(
    call: Call, user: Record, *, create_tokens: bool, with_static: bool
) -> web.Response:
    """``processLogin``: optionally a token per linked account, then their ``user_account`` list."""
    runtime = call.runtime
    store = runtime.store
    account = store.get("accounts", int(user["account_id"]))
    assert account is not None
    call.actor = Actor(account=account, user=user)  # ``Auth::login``: the request now runs as this user
    token_name = call.input.get("token_name")
    if create_tokens:
        with store.transaction():
            sessions.create_tokens(store, runtime.rng, user, token_name, runtime.clock.timestamp())
    transformer = user_account_transformer(token_name, runtime.clock.today())
    ctx = call.context()
    users = sessions.linked_users(store, user)
    payload: Any
    if ctx.json_api:
        payload = to_jsonapi(ctx, transformer, users)
    else:
        payload = [to_array(ctx, transformer, linked) for linked in users]
    if with_static and truthy(call.input.get("include_static")):
        payload = {"accounts": payload, "static": localized_static(runtime.static), "version": VERSION}
    return envelope(call, payload)


async def login(request: web.Request) -> web.Response:
    """``POST /api/v1/login`` (AccountApiController@login)."""
    call = get_call(request)
    await throttle(call)
    runtime = call.runtime
    store, now, delay = runtime.store, runtime.clock.timestamp(), runtime.settings.error_delay
    data = call.input
    user = sessions.user_by_email(store, data.get("email"))
    if user is not None and sessions.is_locked(user):
        await asyncio.sleep(delay)
        raise _invalid_credentials()
    if user is None or not sessions.password_matches(user, data.get("password")):
        if user is not None:
            with store.transaction():
                sessions.count_failed_login(store, user, now)
        await asyncio.sleep(delay)
        raise _invalid_credentials()
    otp_error = sessions.otp_error(user, data.get("token_name"), data.get("one_time_password"), now)
    if otp_error is not None:
        raise ControllerError({"message": otp_error}, 401)
    with store.transaction():
        user = sessions.clear_failed_logins(store, user, now)
    return user_accounts_response(call, user, create_tokens=True, with_static=True)


async def refresh(request: web.Request) -> web.Response:
    """``POST /api/v1/refresh`` (AccountApiController@refresh): no new token."""
    call = get_call(request)
    assert call.actor is not None
    return user_accounts_response(call, call.actor.user, create_tokens=False, with_static=True)


async def user_accounts(request: web.Request) -> web.Response:
    """``GET /api/v1/user_accounts`` (AccountApiController@getUserAccounts)."""
    call = get_call(request)
    assert call.actor is not None
    return user_accounts_response(call, call.actor.user, create_tokens=False, with_static=False)


async def register(request: web.Request) -> web.Response:
    """``POST /api/v1/register`` (AccountApiController@register): a new account, then as ``login``."""
    call = get_call(request)
    await throttle(call)
    runtime = call.runtime
    sessions.validate_registration(runtime.store, call.input)
    with runtime.store.transaction():
        user = sessions.register(
            runtime.store, runtime.rng, call.input, runtime.clock.timestamp(), request.remote or ""
        )
    return user_accounts_response(call, user, create_tokens=True, with_static=True)


def _google_subject(token: Any) -> str | None:
    """The ``sub`` claim of a Google ID token (the sandbox cannot check Google's signature offline)."""
    if not isinstance(token, str) or token.count(".") != 2:
        return None
    part = token.split(".")[1]
    try:
        claims = orjson.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError):
        return None
    subject = claims.get("sub") if isinstance(claims, dict) else None
    return str(subject) if isinstance(subject, str | int) and subject != "" else None


async def oauth_login(request: web.Request) -> web.Response:
    """``POST /api/v1/oauth_login`` (AccountApiController@oauthLogin): Google sign-in.

    The user is the one whose ``oauth_user_id`` is the token's ``sub`` (provider Google); any other
    provider or token answers 401 ``Invalid credentials`` where v4 fails with a 500 (FIDELITY.md).
    """
    call = get_call(request)
    await throttle(call)
    if call.input.get("provider") != "google":
        raise _invalid_credentials()
    subject = _google_subject(call.input.get("token"))
    users = [
        row
        for row in call.runtime.store.all("users")
        if subject is not None
        and str(row.get("oauth_user_id")) == subject
        and row.get("oauth_provider_id") == GOOGLE
        and row.get("deleted_at") is None
    ]
    if not users:
        raise _invalid_credentials()
    user = min(users, key=lambda row: row["doc_id"])
    return user_accounts_response(call, user, create_tokens=True, with_static=True)


ROUTES = [
    ApiRoute("POST", "/login", login, "login", Auth.SECRET),
    ApiRoute("POST", "/oauth_login", oauth_login, "oauth_login", Auth.SECRET),
    ApiRoute("POST", "/register", register, "register", Auth.SECRET),
    ApiRoute("POST", "/refresh", refresh, "refresh"),
    ApiRoute("GET", "/user_accounts", user_accounts, "user_accounts"),
]
