"""The request journal: every ``/api/v1`` request and its answer, newest last, bounded in memory.

It keeps at most ``--journal-limit`` entries and at most ``MAX_BYTES`` of bodies and headers (an entry
can hold a 12 MiB upload); the oldest go first and are counted in ``dropped``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.bounded import BoundedLog
from sandbox.changes import Changes

#: The journal's memory budget for bodies and headers, whatever its entry limit.
MAX_BYTES = 64 * 1024 * 1024
#: What an entry costs beyond its bodies and headers (its fields and their objects), roughly.
ENTRY_OVERHEAD = 1024


class SentHeaders(Mapping[str, str]):
    """Headers as they were sent, made into a dict only when first read.

    Most entries are never read. An entry keeps the pairs it was given (a request's raw bytes, or
    a response's own pairs), and equal pairs share one ``SentHeaders`` (see :meth:`of`), so that
    recording a request allocates next to nothing for its headers.
    """

    __slots__ = ("_dict", "_pairs", "nbytes")

    def __init__(self, pairs: tuple[tuple[bytes, bytes], ...] | tuple[tuple[str, str], ...]) -> None:
        self._pairs = pairs
        self._dict: dict[str, str] | None = None
        #: Roughly what the names and values hold, for the journal's memory budget.
        self.nbytes = sum([len(name) + len(value) for name, value in pairs])

    @classmethod
    def of(cls, pairs: tuple[tuple[bytes, bytes], ...] | tuple[tuple[str, str], ...]) -> SentHeaders:
        """The ``SentHeaders`` of ``pairs``, shared with every earlier entry that had the same ones."""
        found = _SHARED.get(pairs)
        if found is None:
            found = cls(pairs)
            if found.nbytes <= SHARED_HEADERS_MAX_BYTES:
                if len(_SHARED) >= SHARED_HEADERS_KEPT:
                    _SHARED.clear()
                _SHARED[pairs] = found
        return found

    def _decoded(self) -> dict[str, str]:
        found = self._dict
        if found is None:
            # As the bodies: UTF-8, with undecodable bytes replaced (the journal is shown as JSON).
            found = self._dict = {
                name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name): (
                    value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                )
                for name, value in self._pairs
            }
        return found

    def __getitem__(self, name: str) -> str:
        return self._decoded()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def __repr__(self) -> str:
        return repr(self._decoded())


#: Distinct header sets shared at most (a client sends the same few sets again and again).
SHARED_HEADERS_KEPT = 1024
#: Larger header sets are kept by their entry alone.
SHARED_HEADERS_MAX_BYTES = 2048
_SHARED: dict[tuple[tuple[Any, Any], ...], SentHeaders] = {}


def _headers_size(headers: Mapping[str, str]) -> int:
    if isinstance(headers, SentHeaders):
        return headers.nbytes
    return sum(map(len, headers)) + sum(map(len, headers.values()))


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


@dataclass(slots=True)
class JournalEntry:
    """One recorded request and its response (never changed once recorded).

    The bodies are kept as the bytes that were sent, and decoded when read: a response body is
    often the very bytes the read cache holds, so keeping it costs nothing.
    """

    id: int
    time: float
    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    raw_body: bytes
    status: int
    response_headers: Mapping[str, str]
    raw_response_body: bytes
    duration_ms: float
    account_key: str | None
    route: str | None

    @property
    def body(self) -> str:
        """The request body as text (undecodable bytes replaced)."""
        return _text(self.raw_body)

    @property
    def response_body(self) -> str:
        """The response body as text (undecodable bytes replaced)."""
        return _text(self.raw_response_body)

    def to_json(self) -> dict[str, Any]:
        """The entry as the admin API shows it."""
        return {
            "id": self.id,
            "time": self.time,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": dict(self.headers),
            "body": self.body,
            "status": self.status,
            "response_headers": dict(self.response_headers),
            "response_body": self.response_body,
            "duration_ms": self.duration_ms,
            "account_key": self.account_key,
            "route": self.route,
        }

    def size(self) -> int:
        """Roughly what the entry holds in memory, in bytes."""
        headers = _headers_size(self.headers) + _headers_size(self.response_headers)
        return ENTRY_OVERHEAD + len(self.raw_body) + len(self.raw_response_body) + len(self.query) + headers


class Journal(BoundedLog[JournalEntry]):
    """A bounded log of requests; the oldest entries are dropped (and counted) when it is full.

    Coroutines can wait for the next change (an entry recorded, or the journal cleared) with
    :meth:`changed`, so a verification that waits wakes up exactly when there is something new to count.
    """

    def __init__(self, limit: int, max_bytes: int = MAX_BYTES) -> None:
        super().__init__(limit, max_bytes, JournalEntry.size)
        self._changes = Changes()

    def record(self, entry: JournalEntry) -> None:
        """Add an entry, dropping the oldest when the journal is full, and wake every waiter."""
        self.add(entry)
        self._changes.notify()

    def clear(self) -> None:
        """Forget every entry, reset the dropped counter and wake every waiter."""
        super().clear()
        self._changes.notify()

    def changed(self) -> asyncio.Future[None]:
        """A future that completes when the journal next changes (see :meth:`Changes.next`)."""
        return self._changes.next()
