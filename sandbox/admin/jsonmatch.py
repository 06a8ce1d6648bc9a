"""JSON comparison for the request matcher: subset diffs, exact equality, JSONPath and display."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonpath_ng import JSONPath

FOUND: Any = object()  # the expectation that an expression finds anything at all
MAX_DIFF_LINES = 5
SHOW_LIMIT = 80


def subset_diff(expected: Any, actual: Any, where: str) -> list[str]:
    """Diff lines for every place where ``actual`` does not contain ``expected`` (at most a few)."""
    lines: list[str] = []
    _subset(expected, actual, where, lines)
    if len(lines) > MAX_DIFF_LINES:
        more = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"{where}: and {more} more difference{'s' * (more != 1)}"]
    return lines


def _subset(expected: Any, actual: Any, where: str, lines: list[str]) -> None:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            lines.append(f"{where}: expected an object, was {show(actual)}")
            return
        for key, value in expected.items():
            here = _child(where, key)
            if key in actual:
                _subset(value, actual[key], here, lines)
            else:
                lines.append(f"{here}: expected {show(value)}, was absent")
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            lines.append(f"{where}: expected a list, was {show(actual)}")
        elif len(expected) != len(actual):
            lines.append(f"{where}: expected {_items(len(expected))}, was {_items(len(actual))}")
        else:
            for index, (item, other) in enumerate(zip(expected, actual, strict=True)):
                _subset(item, other, f"{where}[{index}]", lines)
    elif not equal(expected, actual):
        lines.append(f"{where}: expected {show(expected)}, was {show(actual)}")


def equal(a: Any, b: Any) -> bool:
    """JSON equality where booleans are not numbers and numbers compare by value (``1 == 1.0``)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        same_length = isinstance(b, list) and len(a) == len(b)
        return same_length and all(equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and bool(a == b)


class JsonPathQuery:
    """A compiled JSONPath expression (jsonpath-ng's extended syntax, so filters work)."""

    def __init__(self, expression: str) -> None:
        # Imported here: most sandboxes never match on JSONPath, and the parser costs memory to load.
        from jsonpath_ng.ext.parser import parse as parse_jsonpath

        self.expression = expression
        try:
            self._compiled: JSONPath = parse_jsonpath(expression)
        except Exception as exc:  # the parser raises its own errors, and warnings when they are errors
            raise ValueError(f"jsonpath expression {expression} cannot be parsed: {exc}") from exc

    def values(self, document: Any) -> list[Any]:
        """Every value the expression finds in the document."""
        return [match.value for match in self._compiled.find(document)]

    def diff(self, expected: Any, is_json: bool, body: Any) -> list[str]:
        """Diff lines unless one found value equals ``expected`` (or, for ``FOUND``, anything is found).

        ``is_json`` is False for a body that is empty or not JSON; ``body`` then says which.
        """
        where = f"jsonpath {self.expression}"
        wanted = "a value" if expected is FOUND else show(expected)
        if not is_json:
            return [f"{where}: expected {wanted}, but the body is {body}"]
        found = self.values(body)
        if any(expected is FOUND or equal(expected, value) for value in found):
            return []
        shown = show(found[0]) if len(found) == 1 else show(found) if found else "nothing"
        return [f"{where}: expected {wanted}, found {shown}"]


def compact(value: Any) -> str:
    """Compact JSON text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def show(value: Any) -> str:
    """Compact JSON, clipped for a diff line."""
    return clip(compact(value))


def clip(text: str) -> str:
    """At most ``SHOW_LIMIT`` characters."""
    return text if len(text) <= SHOW_LIMIT else text[: SHOW_LIMIT - 1] + "…"


def _child(where: str, key: str) -> str:
    return f"{where}.{key}" if key.isidentifier() else f"{where}[{compact(key)}]"


def _items(count: int) -> str:
    return f"{count} item{'s' * (count != 1)}"
