"""The request journal: every ``/api/v1`` request and its answer, newest last, bounded in memory."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any


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


class Journal:
    """A bounded log of requests; the oldest entries are dropped (and counted) when it is full."""

    def __init__(self, limit: int) -> None:
        self.limit = max(0, limit)
        self._entries: deque[JournalEntry] = deque(maxlen=self.limit or None)
        self._ids = itertools.count(1)
        self.dropped = 0

    def next_id(self) -> int:
        """The id the next entry will carry."""
        return next(self._ids)

    def record(self, entry: JournalEntry) -> None:
        """Add an entry, dropping the oldest when the journal is full."""
        if self.limit == 0:
            self.dropped += 1
            return
        if len(self._entries) == self.limit:
            self.dropped += 1
        self._entries.append(entry)

    def entries(self) -> list[JournalEntry]:
        """Every kept entry, oldest first."""
        return list(self._entries)

    def find(
        self, *, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> Iterable[JournalEntry]:
        """Entries matching every given filter, oldest first."""
        for entry in self._entries:
            if method is not None and entry.method.upper() != method.upper():
                continue
            if path is not None and entry.path != path:
                continue
            if status is not None and entry.status != status:
                continue
            yield entry

    def clear(self) -> None:
        """Forget every entry and reset the dropped counter."""
        self._entries.clear()
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._entries)
