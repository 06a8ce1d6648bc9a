"""The request journal: every ``/api/v1`` request and its answer, newest last, bounded in memory."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    """A bounded log of requests; the oldest entries are dropped (and counted) when it is full."""

    def record(self, entry: JournalEntry) -> None:
        """Add an entry, dropping the oldest when the journal is full."""
        self.add(entry)

    def find(
        self, *, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> Iterable[JournalEntry]:
        """Entries matching every given filter, oldest first."""
        for entry in self.entries():
            if method is not None and entry.method.upper() != method.upper():
                continue
            if path is not None and entry.path != path:
                continue
            if status is not None and entry.status != status:
                continue
            yield entry
