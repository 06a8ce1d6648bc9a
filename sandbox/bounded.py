"""A bounded, in-memory log: the newest entries are kept, and the evicted ones are counted.

The bound is a number of entries and, optionally, a number of bytes: a count alone does not bound
memory when one entry can hold a 12 MiB request body or a PDF attachment.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class BoundedLog(Generic[T]):
    """Entries oldest first; past ``limit`` entries (or ``max_bytes``, as ``size`` measures them) the
    oldest are dropped and ``dropped`` says how many. The newest entry is always kept."""

    def __init__(self, limit: int, max_bytes: int = 0, size: Callable[[T], int] | None = None) -> None:
        self.limit = max(0, limit)
        self.max_bytes = max(0, max_bytes)
        self._size = size
        self._entries: deque[T] = deque()
        self._sizes: deque[int] = deque()
        self._ids = itertools.count(1)
        self.dropped = 0
        self.bytes = 0

    def next_id(self) -> int:
        """The id the next entry will carry."""
        return next(self._ids)

    def add(self, entry: T) -> None:
        """Keep an entry, dropping the oldest when full (with a limit of 0, keep nothing)."""
        if self.limit == 0:
            self.dropped += 1
            return
        size = self._size(entry) if self.max_bytes and self._size is not None else 0
        self._entries.append(entry)
        self._sizes.append(size)
        self.bytes += size
        while len(self._entries) > self.limit or (self.max_bytes and self.bytes > self.max_bytes):
            if len(self._entries) == 1:
                break  # one entry larger than the whole budget is still kept, alone
            self._entries.popleft()
            self.bytes -= self._sizes.popleft()
            self.dropped += 1

    def discard(self, entry: T) -> bool:
        """Remove one entry (by identity); False when it is not kept. Not counted as dropped."""
        for index, kept in enumerate(self._entries):
            if kept is entry:
                del self._entries[index]
                self.bytes -= self._sizes[index]
                del self._sizes[index]
                return True
        return False

    def entries(self) -> list[T]:
        """Every kept entry, oldest first."""
        return list(self._entries)

    def clear(self) -> None:
        """Forget every entry and reset the dropped counter."""
        self._entries.clear()
        self._sizes.clear()
        self.bytes = 0
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._entries)
