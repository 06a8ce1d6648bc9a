"""Sorted indexes for lists: an account's records (or one client's) ordered by a field such as ``updated_at``.

v4 lists are ``ORDER BY updated_at DESC`` with a page cut out of the result. Sorting a table on every
request costs a scan; these indexes keep ``(value, doc_id)`` pairs sorted as writes happen, so a page
is a slice and the total is a length, whatever the table's size. They are built on first use and kept
by the store's write path from then on.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

Record = dict[str, Any]
SortKey = tuple[float, int]


def sort_value(value: Any) -> float:
    """The value a record sorts by: numbers as they are, anything else (null, text) as 0."""
    if isinstance(value, int | float) and value == value:  # NaN cannot be ordered
        return value
    return 0


class SortedKeys:
    """``(value, doc_id)`` pairs in ascending order."""

    def __init__(self, keys: list[SortKey]) -> None:
        keys.sort()
        self.keys = keys

    def add(self, key: SortKey) -> None:
        """Insert a pair in its place (new records usually go at the end, which is cheap)."""
        insort(self.keys, key)

    def discard(self, key: SortKey) -> None:
        """Remove a pair if it is there."""
        index = bisect_left(self.keys, key)
        if index < len(self.keys) and self.keys[index] == key:
            del self.keys[index]

    def first_at_least(self, value: float) -> int:
        """The position of the first pair whose value is ``value`` or more."""
        return bisect_left(self.keys, (value, -1))


class NewestFirst(Sequence[Record]):
    """Records of a ``SortedKeys`` from ``start`` on, highest value (then highest id) first.

    Records are copied out of the store only when they are read, so slicing a page of a large table
    costs the page. The view is meant to be read at once, before the store is written again.
    """

    def __init__(self, keys: list[SortKey], start: int, load: Callable[[int], Record]) -> None:
        self._keys = keys
        self._start = start
        self._load = load

    def __len__(self) -> int:
        return len(self._keys) - self._start

    def from_position(self, start: int) -> NewestFirst:
        """The same records, leaving out those before ``start`` in ascending order."""
        return NewestFirst(self._keys, max(start, self._start), self._load)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        return self._load(self._keys[len(self._keys) - 1 - index][1])

    def __iter__(self) -> Iterator[Record]:
        keys = self._keys
        for position in range(len(keys) - 1, self._start - 1, -1):
            yield self._load(keys[position][1])
