"""The request journal: every ``/api/v1`` request and its answer, newest last, bounded in memory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sandbox.bounded import BoundedLog
from sandbox.changes import Changes


@dataclass(frozen=True)
class JournalEntry:
    """One recorded request and its response."""

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
        data = asdict(self)
        data["headers"] = dict(self.headers)
        data["response_headers"] = dict(self.response_headers)
        return data


class Journal(BoundedLog[JournalEntry]):
    """A bounded log of requests; the oldest entries are dropped (and counted) when it is full.

    Coroutines can wait for the next change (an entry recorded, or the journal cleared) with
    :meth:`changed`, so a verification that waits wakes up exactly when there is something new to count.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
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
