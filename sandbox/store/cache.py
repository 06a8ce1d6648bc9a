"""A cache of answers computed from the store, emptied by the store itself on every change.

The store clears it whenever its data changes (a committed write, a rolled-back one, a reset, a
restore, a JSON Patch or a whole new state), so an entry never outlives the data it was computed
from. Callers put in the key whatever else their answer depends on (caller, request, clock reading).
"""

from __future__ import annotations

from collections.abc import Hashable

#: Bytes of cached answers kept at most; the oldest entries go first past it.
DEFAULT_BUDGET = 8 * 1024 * 1024


class ReadCache:
    """Answer bytes by key, within a byte budget, oldest evicted first."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self._entries: dict[Hashable, bytes] = {}
        self._size = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> bytes | None:
        """The cached answer, or None."""
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, key: Hashable, value: bytes) -> None:
        """Keep an answer (answers larger than the whole budget are not kept)."""
        if len(value) > self.budget:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._size -= len(old)
        self._entries[key] = value
        self._size += len(value)
        while self._size > self.budget:
            oldest = next(iter(self._entries))
            self._size -= len(self._entries.pop(oldest))

    def clear(self) -> None:
        """Forget every answer (the store's data changed)."""
        if self._entries:
            self._entries.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._entries)
