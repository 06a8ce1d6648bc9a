"""The request matcher: one JSON language to find, count and verify journaled requests.

A matcher is a JSON object. Every key is optional, every key given must hold, and ``{}`` matches
every request. Unknown keys are an error.

``method``
    ``"POST"`` or a list such as ``["PUT", "POST"]``; case-insensitive.
``path``, ``path_template``, ``path_regex`` (at most one of them)
    ``path`` is the exact path (``"/api/v1/invoices/5"``). In ``path_template`` each ``{name}``
    stands for one non-empty path segment (``"/api/v1/invoices/{id}"``). ``path_regex`` is a Python
    regular expression that must match the whole path.
``query``
    ``{"name": value}``; only the names given are looked at. A string or number must be one of the
    values the name has in the query string; a list must equal all of its values, in order
    (``?ids=1&ids=2`` matches ``{"ids": ["1", "2"]}``). Values are compared as text.
``headers``
    ``{"Name": "value"}``; names are case-insensitive, values exact; other headers are ignored.
``body``
    A JSON value compared with the JSON request body as a subset. An object matches an object that
    has at least its keys, each value matching in turn (extra keys are ignored). A list matches a
    list of the same length, element by element and in order, each element again a subset match.
    Any other value must be equal: ``1`` equals ``1.0``, but ``true`` is not ``1`` and ``"1"`` is
    not ``1``. A request whose body is empty or not JSON never matches ``body``.
``jsonpath``
    A list of expressions, each of which must find at least one value in the JSON body; or an
    object ``{"expression": expected}``, where one of the values the expression finds must equal
    ``expected`` exactly (deep equality with the rules above, no subset). jsonpath-ng's extended
    syntax is used, so filters work: ``$.invoice_items[?(@.qty > 1)].product_key``.
``account``
    The ``account_key`` the request authenticated as (``null``: it did not authenticate).
``token``
    The value of the ``X-Ninja-Token`` header.
``status``
    The response status: ``200`` or ``[200, 422]``.
``since``, ``until``
    Unix times: the entry's ``time`` (the sandbox clock when it was recorded) must be ``>= since``
    and ``<= until``.

Each key is one criterion, except ``query``, ``headers`` and ``jsonpath``, where each name or
expression is one. :meth:`Matcher.explain` gives readable diff lines for the failing criteria
(``path: expected /api/v1/invoices/{id}, was /api/v1/invoice/5``), :meth:`Matcher.distance` counts
them, and :func:`closest` ranks near misses: fewest failing criteria first, then the most recent.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl

import orjson

from sandbox.admin.jsonmatch import FOUND, JsonPathQuery, clip, compact, show, subset_diff
from sandbox.journal import JournalEntry

_PATH_KEYS = ("path", "path_template", "path_regex")
_TEMPLATE_PART = re.compile(r"(\{[^{}/]+\})")


class MatcherError(ValueError):
    """A matcher that cannot be used; the message names the bad key."""


class _Facts:
    """What the criteria look at in one entry, each worked out at most once."""

    def __init__(self, entry: JournalEntry) -> None:
        self.entry = entry

    @cached_property
    def query(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for name, value in parse_qsl(self.entry.query, keep_blank_values=True):
            values.setdefault(name, []).append(value)
        return values

    @cached_property
    def headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.entry.headers.items()}

    @cached_property
    def body(self) -> tuple[bool, Any]:
        """``(True, value)`` for a JSON body, else ``(False, why)``."""
        text = self.entry.body
        if not text.strip():
            return False, "empty"
        try:
            return True, orjson.loads(text)
        except orjson.JSONDecodeError:
            return False, f"not JSON: {clip(text)}"


Check = Callable[[_Facts], list[str]]


@dataclass(frozen=True)
class Criterion:
    """One thing a request must satisfy; ``check`` returns diff lines, none when it holds."""

    key: str
    check: Check


@dataclass(frozen=True)
class Matcher:
    """A parsed matcher: the JSON it came from and its criteria."""

    spec: dict[str, Any]
    criteria: tuple[Criterion, ...]

    def matches(self, entry: JournalEntry) -> bool:
        """True when every criterion holds for the entry."""
        facts = _Facts(entry)
        return all(not criterion.check(facts) for criterion in self.criteria)

    def failures(self, entry: JournalEntry) -> list[list[str]]:
        """The diff lines of each failing criterion."""
        facts = _Facts(entry)
        return [lines for criterion in self.criteria if (lines := criterion.check(facts))]

    def explain(self, entry: JournalEntry) -> list[str]:
        """Readable diff lines for every failing criterion (empty when the entry matches)."""
        return [line for lines in self.failures(entry) for line in lines]

    def distance(self, entry: JournalEntry) -> int:
        """How many criteria the entry fails."""
        return len(self.failures(entry))

    def select(self, entries: Iterable[JournalEntry]) -> list[JournalEntry]:
        """The matching entries, in the given order."""
        return [entry for entry in entries if self.matches(entry)]

    def describe(self) -> str:
        """The matcher as compact JSON, for messages."""
        return compact(self.spec)


def closest(
    matcher: Matcher, entries: Iterable[JournalEntry], limit: int = 3
) -> list[tuple[JournalEntry, list[str]]]:
    """The entries that do not match, nearest first (fewest failing criteria, then most recent)."""
    scored = []
    for entry in entries:
        failures = matcher.failures(entry)
        if failures:
            scored.append((len(failures), -entry.id, entry, [line for lines in failures for line in lines]))
    best = heapq.nsmallest(limit, scored, key=lambda item: (item[0], item[1]))
    return [(entry, diff) for _, _, entry, diff in best]


def parse_matcher(data: object) -> Matcher:
    """Check and compile a matcher; :class:`MatcherError` names the first bad key."""
    if not isinstance(data, dict):
        raise MatcherError("the matcher must be a JSON object")
    unknown = sorted(str(key) for key in data if key not in KEYS)
    if unknown:
        raise MatcherError(f"unknown matcher key: {unknown[0]} (known keys: {', '.join(KEYS)})")
    given_paths = [key for key in _PATH_KEYS if key in data]
    if len(given_paths) > 1:
        raise MatcherError(
            f"give only one of path, path_template and path_regex, not {' and '.join(given_paths)}"
        )
    criteria: list[Criterion] = []
    for key in KEYS:
        if key in data:
            criteria.extend(_BUILDERS[key](key, data[key]))
    return Matcher(spec=dict(data), criteria=tuple(criteria))


# --- builders, one per key --------------------------------------------------------------------------------


def _method(key: str, value: Any) -> list[Criterion]:
    wanted = [method.upper() for method in _string_or_strings(key, value)]

    def check(facts: _Facts) -> list[str]:
        method = facts.entry.method
        return [] if method.upper() in wanted else [f"method: expected {_either(wanted)}, was {method}"]

    return [Criterion(key, check)]


def _path(key: str, value: Any) -> list[Criterion]:
    if not isinstance(value, str):
        raise MatcherError(f"{key} must be a string")
    test: Callable[[str], object]
    shown = value
    if key == "path":
        test = value.__eq__
    elif key == "path_template":
        test = _template(value).fullmatch
    else:
        try:
            test = re.compile(value).fullmatch
        except re.error as exc:
            raise MatcherError(f"path_regex is not a valid regular expression: {exc}") from exc
        shown = f"a match for {value}"

    def check(facts: _Facts) -> list[str]:
        path = facts.entry.path
        return [] if test(path) else [f"path: expected {shown}, was {path}"]

    return [Criterion(key, check)]


def _template(template: str) -> re.Pattern[str]:
    parts = []
    for part in _TEMPLATE_PART.split(template):
        if _TEMPLATE_PART.fullmatch(part):
            parts.append("[^/]+")
        elif "{" in part or "}" in part:
            raise MatcherError(f"path_template has an unbalanced or empty {{}} in {template}")
        else:
            parts.append(re.escape(part))
    return re.compile("".join(parts))


def _query(key: str, value: Any) -> list[Criterion]:
    if not isinstance(value, dict):
        raise MatcherError("query must be an object of parameter names to values")
    return [_query_param(name, expected) for name, expected in value.items()]


def _query_param(name: str, expected: Any) -> Criterion:
    where = f"query.{name}"
    if isinstance(expected, list):
        wanted = [_query_text(where, item) for item in expected]

        def check_all(facts: _Facts) -> list[str]:
            values = facts.query.get(name, [])
            return [] if values == wanted else [f"{where}: expected {compact(wanted)}, was {_values(values)}"]

        return Criterion("query", check_all)
    one = _query_text(where, expected)

    def check_one(facts: _Facts) -> list[str]:
        values = facts.query.get(name, [])
        return [] if one in values else [f"{where}: expected {one}, was {_values(values)}"]

    return Criterion("query", check_one)


def _query_text(where: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise MatcherError(f"{where} must be a string, a number or a list of them")


def _headers(key: str, value: Any) -> list[Criterion]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise MatcherError("headers must be an object of header names to string values")
    return [_header(name, expected) for name, expected in value.items()]


def _header(name: str, expected: str) -> Criterion:
    def check(facts: _Facts) -> list[str]:
        actual = facts.headers.get(name.lower())
        if actual == expected:
            return []
        return [f"headers.{name}: expected {expected}, was {'absent' if actual is None else actual}"]

    return Criterion("headers", check)


def _body(key: str, expected: Any) -> list[Criterion]:
    def check(facts: _Facts) -> list[str]:
        ok, actual = facts.body
        if not ok:
            return [f"body: expected {show(expected)}, was {actual}"]
        return subset_diff(expected, actual, "body")

    return [Criterion(key, check)]


def _jsonpath(key: str, value: Any) -> list[Criterion]:
    if isinstance(value, list) and all(isinstance(expr, str) for expr in value):
        pairs: list[tuple[str, Any]] = [(expr, FOUND) for expr in value]
    elif isinstance(value, dict):
        pairs = list(value.items())
    else:
        raise MatcherError("jsonpath must be a list of expressions or an object of expressions to values")
    return [_jsonpath_criterion(expr, expected) for expr, expected in pairs]


def _jsonpath_criterion(expression: str, expected: Any) -> Criterion:
    try:
        query = JsonPathQuery(expression)
    except ValueError as exc:
        raise MatcherError(str(exc)) from exc
    return Criterion("jsonpath", lambda facts: query.diff(expected, *facts.body))


def _account(key: str, value: Any) -> list[Criterion]:
    if value is not None and not isinstance(value, str):
        raise MatcherError("account must be an account_key string or null")

    def check(facts: _Facts) -> list[str]:
        actual = facts.entry.account_key
        if actual == value:
            return []
        return [f"account: expected {value or 'none'}, was {actual or 'none'}"]

    return [Criterion(key, check)]


def _token(key: str, value: Any) -> list[Criterion]:
    if not isinstance(value, str):
        raise MatcherError("token must be a string")

    def check(facts: _Facts) -> list[str]:
        actual = facts.headers.get("x-ninja-token")
        return [] if actual == value else [f"token: expected {value}, was {actual or 'absent'}"]

    return [Criterion(key, check)]


def _status(key: str, value: Any) -> list[Criterion]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise MatcherError("status must be an integer or a list of integers")

    def check(facts: _Facts) -> list[str]:
        status = facts.entry.status
        return [] if status in values else [f"status: expected {_either(values)}, was {status}"]

    return [Criterion(key, check)]


def _time_bound(key: str, value: Any) -> list[Criterion]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MatcherError(f"{key} must be a unix time (a number)")
    after = key == "since"

    def check(facts: _Facts) -> list[str]:
        time = facts.entry.time
        if (time >= value) if after else (time <= value):
            return []
        return [f"{key}: expected a time at or {'after' if after else 'before'} {value}, was {time}"]

    return [Criterion(key, check)]


_BUILDERS: dict[str, Callable[[str, Any], list[Criterion]]] = {
    "method": _method,
    "path": _path,
    "path_template": _path,
    "path_regex": _path,
    "query": _query,
    "headers": _headers,
    "body": _body,
    "jsonpath": _jsonpath,
    "account": _account,
    "token": _token,
    "status": _status,
    "since": _time_bound,
    "until": _time_bound,
}
KEYS = tuple(_BUILDERS)  # also the order in which criteria are checked and diff lines are shown


def _string_or_strings(key: str, value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) for v in values):
        raise MatcherError(f"{key} must be a string or a list of strings")
    return values


def _either(values: list[Any]) -> str:
    return " or ".join(str(value) for value in values)


def _values(values: list[str]) -> str:
    if not values:
        return "absent"
    return values[0] if len(values) == 1 else compact(values)
