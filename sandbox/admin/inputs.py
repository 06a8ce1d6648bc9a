"""Admin inputs shared by the outbox and webhook endpoints: typed filter values, paging, waits.

A filter value comes from the query string (always text) or from a JSON body (text or number), so
each reader accepts both forms. Bad input raises :class:`AdminInputError`, answered as 400.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import orjson
from aiohttp import web

from sandbox.admin.replies import admin_error
from sandbox.admin.requests import AdminInputError

T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

MAX_WAIT_MS = 30_000
DEFAULT_WAIT_MS = 5_000


def answers_400(handler: Handler) -> Handler:
    """Answer an :class:`AdminInputError` raised by the handler as 400 ``{"error": message}``."""

    @functools.wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except AdminInputError as exc:
            return admin_error(400, str(exc))

    return guarded


async def json_object(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object; an empty body is ``{}``."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise AdminInputError("the body must be a JSON object") from exc
    if not isinstance(data, dict):
        raise AdminInputError("the body must be a JSON object")
    return data


def reject_unknown(body: Mapping[str, Any], known: Iterable[str]) -> None:
    """A key the endpoint does not know is an error (a typo would otherwise match everything)."""
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise AdminInputError(f"unknown field {unknown[0]}; known fields: {', '.join(sorted(known))}")


def text(source: Mapping[str, Any], name: str) -> str | None:
    """A text filter; absent or null is None."""
    value = source.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise AdminInputError(f"{name} must be a string")
    return value


def integer(source: Mapping[str, Any], name: str, minimum: int = 0) -> int | None:
    """An integer filter (``"5"`` in a query, ``5`` in a body); absent or null is None."""
    value = source.get(name)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise AdminInputError(f"{name} must be an integer of at least {minimum}")
    return value


def number(source: Mapping[str, Any], name: str) -> float | None:
    """A number filter such as a unix time; absent or null is None."""
    value = source.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise AdminInputError(f"{name} must be a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise AdminInputError(f"{name} must be a number")
    return float(value)


def page(request: web.Request, items: Sequence[T]) -> list[T]:
    """``?offset=&limit=`` applied to the items (no limit: all of them)."""
    offset = integer(request.query, "offset") or 0
    limit = integer(request.query, "limit")
    return list(items[offset : None if limit is None else offset + limit])


def wait_options(body: Mapping[str, Any]) -> tuple[int, int]:
    """``count`` (default 1) and ``timeout_ms`` (default 5000, at most 30000) of a wait."""
    count = integer(body, "count", minimum=1)
    timeout_ms = body.get("timeout_ms", DEFAULT_WAIT_MS)
    if (
        isinstance(timeout_ms, bool)
        or not isinstance(timeout_ms, int | float)
        or not 0 <= timeout_ms <= MAX_WAIT_MS
    ):
        raise AdminInputError(f"timeout_ms must be a number of milliseconds from 0 to {MAX_WAIT_MS}")
    return (1 if count is None else count), int(timeout_ms)


def describe(body: Mapping[str, Any], keys: Iterable[str]) -> str:
    """The filters given in a body, as compact JSON for messages."""
    return orjson.dumps({key: body[key] for key in keys if key in body}).decode()
