"""A count of the answers the API gave, by route, status and error kind: the input of coverage.

It keeps only what coverage needs (a few words of an error body, not the request), as counts, so a
long session costs a few kilobytes. Unlike the journal it is not emptied by a reset.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from sandbox.journal import JournalEntry

#: How much of an error body is kept: enough to tell v4's 403s and 400s apart.
_BODY_KEPT = 80


class Answer(NamedTuple):
    """What coverage knows of one answer: method, matched route (or path when none), status, body start."""

    method: str
    route: str | None
    path: str
    status: int
    body: str


class CoverageTally:
    """Answers counted since the start (or the last clear)."""

    def __init__(self, since: float = 0.0) -> None:
        self._counts: Counter[Answer] = Counter()
        self.requests = 0
        self.since = since

    def add(self, entry: JournalEntry) -> None:
        """Count a journaled request's answer."""
        error = entry.status in (400, 403)
        answer = Answer(
            method=entry.method,
            route=entry.route,
            # Unmatched paths count by kind only; keeping each one would grow without bound.
            path=entry.path if entry.route is None and entry.status == 405 else "",
            status=entry.status,
            body=entry.response_body[:_BODY_KEPT] if error else "",
        )
        self._counts[answer] += 1
        self.requests += 1

    def items(self) -> Iterator[tuple[Answer, int]]:
        """Each distinct answer with its count."""
        return iter(self._counts.items())

    def clear(self, since: float) -> None:
        """Forget every count; ``since`` is when counting starts again."""
        self._counts.clear()
        self.requests = 0
        self.since = since
