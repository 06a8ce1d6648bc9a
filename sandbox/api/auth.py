"""``ApiCheck``: the token and secret checks in front of every ``/api/v1`` route."""

from __future__ import annotations

import asyncio
import hmac

from aiohttp import web

from sandbox.api.routing import Auth
from sandbox.errors import InvalidSecretError, InvalidTokenError
from sandbox.models.accounts import Actor
from sandbox.namespaces import api_token
from sandbox.runtime import Runtime

V5_HINT = "Invoice Ninja v4 reads the API token from the X-Ninja-Token header; X-API-TOKEN is the v5 name"


def _secret_matches(runtime: Runtime, request: web.Request, input_data: dict[str, object]) -> bool:
    expected = runtime.settings.api_secret
    if not expected:
        return True  # self-hosted with no API_SECRET: every secret check passes
    given = request.headers.get("X-Ninja-Secret") or input_data.get("api_secret") or ""
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def actor_for_token(runtime: Runtime, token: str) -> Actor | None:
    """The account and user behind an API token, or None (deleted tokens are ignored)."""
    if not token:
        return None
    store = runtime.store
    key = ("token owner", token)
    owner: tuple[int, int] | None = store.memo.get(key)
    if owner is None and key not in store.memo:
        owner = store.memo[key] = _token_owner(runtime, token)
    if owner is None:
        return None
    user, account = store.shared("users", owner[0]), store.shared("accounts", owner[1])
    return None if user is None or account is None else Actor(account=account, user=user)


def _token_owner(runtime: Runtime, token: str) -> tuple[int, int] | None:
    """The ids of the user and account behind a token (looked up once per state of the data)."""
    store = runtime.store
    for record in store.find("account_tokens", "token", token):
        # MySQL's collation compares tokens case-insensitively; the index does the same.
        if record.get("deleted_at") is not None:
            continue
        if not hmac.compare_digest(str(record["token"]).lower().encode(), token.lower().encode()):
            continue
        user_id, account_id = int(record["user_id"]), int(record["account_id"])
        if store.get("users", user_id) is not None and store.get("accounts", account_id) is not None:
            return user_id, account_id
    return None


async def authenticate(
    runtime: Runtime, request: web.Request, auth: Auth, input_data: dict[str, object]
) -> Actor | None:
    """Run ``ApiCheck`` for a route; raises the 403s (after the error delay) on failure."""
    delay = runtime.settings.error_delay
    if auth is Auth.SECRET:
        if not _secret_matches(runtime, request, input_data):
            await asyncio.sleep(delay)
            raise InvalidSecretError()
        return None
    actor = actor_for_token(runtime, api_token(request))
    if actor is not None:
        return actor
    if (
        auth is Auth.TOKEN_OR_SECRET
        and runtime.settings.api_secret
        and _secret_matches(runtime, request, input_data)
    ):
        return None
    await asyncio.sleep(delay)
    hint = V5_HINT if "X-API-TOKEN" in request.headers and "X-Ninja-Token" not in request.headers else None
    raise InvalidTokenError(hint)
