"""The journal's admin endpoints: list, find, count, verify, unmatched, HAR export and clear.

Find, count and verify take a matcher (see :mod:`sandbox.admin.matching`) as the JSON body. The
list, unmatched and HAR endpoints take ``?method=&path=&status=`` filters and ``?limit=&offset=``
paging; ``total`` is the number of entries before paging.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

from sandbox.admin.har import har_document
from sandbox.admin.matching import Matcher, MatcherError, closest, parse_matcher
from sandbox.admin.replies import admin_error, json_response
from sandbox.admin.table import AdminRoute
from sandbox.journal import JournalEntry
from sandbox.models.php import filter_int
from sandbox.namespaces import runtime_of

MAX_WAIT_MS = 30_000
CLOSEST = 3
_EXPECTATION_KEYS = ("count", "at_least", "at_most", "wait_ms")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class AdminInputError(ValueError):
    """A bad admin query or body; answered as 400 ``{"error": message}``."""


def _answers_400(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (AdminInputError, MatcherError) as exc:
            return admin_error(400, str(exc))

    return guarded


# --- inputs -----------------------------------------------------------------------------------------------


def _filters(request: web.Request) -> Matcher:
    """The list filters ``method``, ``path`` and ``status`` as a matcher."""
    query = request.query
    spec: dict[str, Any] = {key: query[key] for key in ("method", "path") if key in query}
    if "status" in query:
        status = filter_int(query["status"])
        if status is None:
            raise AdminInputError("status must be an integer")
        spec["status"] = status
    return parse_matcher(spec)


def _page(request: web.Request, entries: Sequence[JournalEntry]) -> list[JournalEntry]:
    """``?offset=&limit=`` applied to the entries (no limit: all of them)."""
    offset = _natural(request, "offset") or 0
    limit = _natural(request, "limit")
    return list(entries[offset : None if limit is None else offset + limit])


def _natural(request: web.Request, name: str) -> int | None:
    if name not in request.query:
        return None
    text = request.query[name].strip()
    if not text.isdigit():
        raise AdminInputError(f"{name} must be a non-negative integer")
    return int(text)


async def _json_object(request: web.Request) -> dict[str, Any]:
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


def _entries(request: web.Request) -> list[JournalEntry]:
    return runtime_of(request).journal.entries()


def _listing(request: web.Request, entries: Sequence[JournalEntry]) -> dict[str, Any]:
    return {"requests": [entry.to_json() for entry in _page(request, entries)], "total": len(entries)}


# --- handlers ---------------------------------------------------------------------------------------------


@_answers_400
async def list_requests(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/requests``: journaled requests, oldest first; filters and paging in the query."""
    journal = runtime_of(request).journal
    matching = _filters(request).select(journal.entries())
    return json_response({**_listing(request, matching), "dropped": journal.dropped})


@_answers_400
async def find_requests(request: web.Request) -> web.StreamResponse:
    """``POST /__admin/requests/find``: the requests a matcher selects, oldest first (paging in the query)."""
    matcher = parse_matcher(await _json_object(request))
    return json_response(_listing(request, matcher.select(_entries(request))))


@_answers_400
async def count_requests(request: web.Request) -> web.StreamResponse:
    """``POST /__admin/requests/count``: how many requests a matcher selects."""
    matcher = parse_matcher(await _json_object(request))
    return json_response({"count": len(matcher.select(_entries(request)))})


@_answers_400
async def unmatched_requests(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/requests/unmatched``: requests that hit no v4 route (answered 404 or 405)."""
    unmatched = [entry for entry in _entries(request) if entry.route is None]
    return json_response(_listing(request, _filters(request).select(unmatched)))


@_answers_400
async def har_export(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/requests/har``: the journal as a HAR 1.2 document (same filters as the list)."""
    entries = _page(request, _filters(request).select(_entries(request)))
    return json_response(har_document(entries, f"{request.scheme}://{request.host}"))


async def clear_requests(request: web.Request) -> web.StreamResponse:
    """``DELETE /__admin/requests``: forget every journaled request."""
    runtime_of(request).journal.clear()
    return json_response({"cleared": True})


# --- verify -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    """How many matching requests a verification wants, and how long it may wait for them."""

    matcher: Matcher
    at_least: int | None
    at_most: int | None
    wait_ms: float

    def holds(self, count: int) -> bool:
        """True when ``count`` is within the bounds."""
        return (self.at_least is None or count >= self.at_least) and (
            self.at_most is None or count <= self.at_most
        )

    def describe(self) -> str:
        """``exactly 2``, ``at least 1``, ``at most 0`` or ``between 1 and 3``."""
        if self.at_least is not None and self.at_least == self.at_most:
            return f"exactly {self.at_least}"
        if self.at_least is not None and self.at_most is not None:
            return f"between {self.at_least} and {self.at_most}"
        if self.at_most is not None:
            return f"at most {self.at_most}"
        return f"at least {self.at_least}"


def parse_expectation(options: dict[str, Any]) -> Expectation:
    """``{"matcher": {...}}`` or matcher fields at the top level, plus ``count``/``at_least``/``at_most``
    (default ``at_least`` 1) and ``wait_ms``."""
    fields = {key: value for key, value in options.items() if key not in _EXPECTATION_KEYS}
    if "matcher" in fields:
        del fields["matcher"]
        if fields:
            raise AdminInputError(
                f"give the matcher under matcher or as top-level fields, not both (found {sorted(fields)[0]})"
            )
        matcher = parse_matcher(options["matcher"])
    else:
        matcher = parse_matcher(fields)
    count, at_least, at_most = (_count(options, key) for key in ("count", "at_least", "at_most"))
    if count is not None:
        if at_least is not None or at_most is not None:
            raise AdminInputError("count cannot be combined with at_least or at_most")
        at_least = at_most = count
    elif at_least is None and at_most is None:
        at_least = 1
    if at_least is not None and at_most is not None and at_least > at_most:
        raise AdminInputError("at_least cannot be more than at_most")
    wait_ms = options.get("wait_ms", 0)
    if isinstance(wait_ms, bool) or not isinstance(wait_ms, int | float) or not 0 <= wait_ms <= MAX_WAIT_MS:
        raise AdminInputError(f"wait_ms must be a number of milliseconds from 0 to {MAX_WAIT_MS}")
    return Expectation(matcher, at_least, at_most, float(wait_ms))


def _count(options: dict[str, Any], key: str) -> int | None:
    value = options.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AdminInputError(f"{key} must be a non-negative integer")
    return value


@_answers_400
async def verify_requests(request: web.Request) -> web.StreamResponse:
    """``POST /__admin/requests/verify``: did the expected number of matching requests arrive?

    With ``wait_ms`` it waits, woken by each new journal entry, until the expectation holds or the
    time is up. The answer is 200 either way; ``pass`` says which.
    """
    expectation = parse_expectation(await _json_object(request))
    journal = runtime_of(request).journal
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + expectation.wait_ms / 1000
    while True:
        entries = journal.entries()
        matched = expectation.matcher.select(entries)
        passed = expectation.holds(len(matched))
        remaining = deadline - loop.time()
        if passed or remaining <= 0:
            break
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(remaining):
                await journal.changed()
    waited_ms = round((loop.time() - started) * 1000, 3)
    near: list[tuple[JournalEntry, list[str]]] = []
    if not passed:
        if expectation.at_least is not None and len(matched) < expectation.at_least:
            near = closest(expectation.matcher, entries, CLOSEST)
        else:
            near = [(entry, []) for entry in reversed(matched[-CLOSEST:])]
    return json_response(
        {
            "pass": passed,
            "count": len(matched),
            "expected": expectation.describe(),
            "closest": [{"request": entry.to_json(), "diff": diff} for entry, diff in near],
            "message": _message(expectation, len(matched), passed, near, len(entries)),
            "waited_ms": waited_ms,
        }
    )


def _message(
    expectation: Expectation,
    count: int,
    passed: bool,
    near: list[tuple[JournalEntry, list[str]]],
    journaled: int,
) -> str:
    requests = f"request{'s' * (count != 1)}"
    matcher = expectation.matcher.describe()
    if passed:
        return f"Verified: {count} {requests} matched {matcher} (expected {expectation.describe()})."
    within = f" within {expectation.wait_ms:g} ms" if expectation.wait_ms else ""
    head = f"Expected {expectation.describe()} request(s) matching {matcher}{within}, but {count} matched."
    if not near:
        return head + (" The journal is empty." if journaled == 0 else "")
    too_few = any(diff for _, diff in near)
    lines = [head, "Closest requests:" if too_few else "Matching requests (most recent first):"]
    for entry, diff in near:
        query = f"?{entry.query}" if entry.query else ""
        lines.append(f"  #{entry.id} {entry.method} {entry.path}{query} -> {entry.status}")
        lines.extend(f"    {line}" for line in diff)
    return "\n".join(lines)


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/requests", list_requests, "list_requests", "journaled API requests, oldest first"),
    AdminRoute("DELETE", "/requests", clear_requests, "clear_requests", "empty the journal"),
    AdminRoute(
        "POST", "/requests/find", find_requests, "find_requests", "journaled requests a matcher selects"
    ),
    AdminRoute(
        "POST", "/requests/count", count_requests, "count_requests", "how many requests a matcher selects"
    ),
    AdminRoute(
        "POST",
        "/requests/verify",
        verify_requests,
        "verify_requests",
        "check a request count, optionally waiting; closest requests and a diff on failure",
    ),
    AdminRoute(
        "GET",
        "/requests/unmatched",
        unmatched_requests,
        "unmatched_requests",
        "requests that hit no v4 route",
    ),
    AdminRoute("GET", "/requests/har", har_export, "har_export", "the journal as a HAR 1.2 document"),
)
