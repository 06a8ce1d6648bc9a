"""A bounded, in-memory log: the newest entries are kept, and the evicted ones are counted."""

from __future__ import annotations

import itertools
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class BoundedLog(Generic[T]):
    """Entries oldest first; past ``limit`` the oldest are dropped and ``dropped`` says how many."""

    def __init__(self, limit: int) -> None:
        self.limit = max(0, limit)
        self._entries: deque[T] = deque(maxlen=self.limit or None)
        self._ids = itertools.count(1)
        self.dropped = 0

    def next_id(self) -> int:
        """The id the next entry will carry."""
        return next(self._ids)

    def add(self, entry: T) -> None:
        """Keep an entry, dropping the oldest when full (with a limit of 0, keep nothing)."""
        if self.limit == 0:
            self.dropped += 1
            return
        if len(self._entries) == self.limit:
            self.dropped += 1
        self._entries.append(entry)

    def entries(self) -> list[T]:
        """Every kept entry, oldest first."""
        return list(self._entries)

    def clear(self) -> None:
        """Forget every entry and reset the dropped counter."""
        self._entries.clear()
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._entries)
