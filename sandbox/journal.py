"""The request journal: every ``/api/v1`` request and its answer, newest last, bounded in memory."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sandbox.bounded import BoundedLog


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
        self._waiters: list[asyncio.Future[None]] = []

    def record(self, entry: JournalEntry) -> None:
        """Add an entry, dropping the oldest when the journal is full, and wake every waiter."""
        self.add(entry)
        self._wake()

    def clear(self) -> None:
        """Forget every entry, reset the dropped counter and wake every waiter."""
        super().clear()
        self._wake()

    async def changed(self) -> None:
        """Return once the journal changes (callers bound the wait with ``asyncio.timeout``)."""
        # Awaited directly by the task that just read the journal, the future is registered before
        # that task yields, so no entry recorded after its read can be missed.
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            loop = waiter.get_loop()
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                _release(waiter)
            elif not loop.is_closed():
                loop.call_soon_threadsafe(_release, waiter)


def _release(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
