"""The request journal: every ``/api/v1`` request and its answer, newest last, bounded in memory.

It keeps at most ``--journal-limit`` entries and at most ``MAX_BYTES`` of bodies and headers (an entry
can hold a 12 MiB upload); the oldest go first and are counted in ``dropped``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from sandbox.bounded import BoundedLog
from sandbox.changes import Changes

#: The journal's memory budget for bodies and headers, whatever its entry limit.
MAX_BYTES = 64 * 1024 * 1024
#: What an entry costs beyond its bodies and headers (its fields and their objects), roughly.
ENTRY_OVERHEAD = 1024


@dataclass(slots=True)
class JournalEntry:
    """One recorded request and its response (never changed once recorded)."""

    id: int
    time: float
    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: str
    status: int
    response_headers: Mapping[str, str]
    response_body: str
    duration_ms: float
    account_key: str | None
    route: str | None

    def to_json(self) -> dict[str, Any]:
        """The entry as the admin API shows it."""
        data = {field.name: getattr(self, field.name) for field in fields(self)}
        data["headers"] = dict(self.headers)
        data["response_headers"] = dict(self.response_headers)
        return data

    def size(self) -> int:
        """Roughly what the entry holds in memory, in bytes."""
        headers = sum(map(len, self.headers)) + sum(map(len, self.headers.values()))
        headers += sum(map(len, self.response_headers)) + sum(map(len, self.response_headers.values()))
        return ENTRY_OVERHEAD + len(self.body) + len(self.response_body) + len(self.query) + headers


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

    async def changed(self) -> None:
        """Return once the journal changes (callers bound the wait with ``asyncio.timeout``)."""
        await self._changes.next()
