"""One indexed field's ``value -> doc_ids`` map, compact for the shapes the sandbox's data has.

Most values belong to one record or a few (an invoice number, an invitation key, an invoice's
items), so a bucket of one record is held as its bare id, a few as a tuple, and only a bucket of
many becomes a dict (an ordered set): a dict per value would be most of the indexes' memory.

Ids that point at other records (``invoice_id``, ``client_id``) are small integers, and the records
that share one are usually made together, so their ids follow each other (an invoice's items). Such
a bucket is held as a run, ``start`` and ``count`` in two arrays indexed by the value: 12 bytes
instead of a dict entry, a key and a tuple of ids (about 150). Any other bucket lives in the dict.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any

#: The records with one value of an indexed field: one id, or several in insertion order.
Bucket = int | tuple[int, ...] | dict[int, None]
#: A bucket of this many records becomes a dict (adding to or taking from a tuple copies it).
TUPLE_BUCKET_MAX = 16
#: How far past the end of an array indexed by value (or by public id) a new one may be and still
#: go in it; one further out goes in the dict beside it, so a stray large value never makes the
#: array huge.
SLACK = 1024
_RUN_MAX = 2**32 - 1


def extend_to(values: array[int], length: int) -> None:
    """Extend an array with zeros to ``length`` items (if it is shorter)."""
    if length > len(values):
        values.frombytes(bytes(values.itemsize * (length - len(values))))


def members(bucket: Bucket | None) -> Iterable[int]:
    """The ids in a bucket, oldest first."""
    if bucket is None:
        return ()
    return (bucket,) if isinstance(bucket, int) else bucket


def _bucket(ids: list[int]) -> Bucket:
    """Ids (in order) in the form a bucket of their number takes."""
    if len(ids) == 1:
        return ids[0]
    return dict.fromkeys(ids) if len(ids) >= TUPLE_BUCKET_MAX else tuple(ids)


def _join(buckets: dict[Any, Bucket], key: Any, doc_id: int) -> None:
    """Add a record to a bucket."""
    found = buckets.get(key)
    if found is None:
        buckets[key] = doc_id
    elif isinstance(found, int):
        if found != doc_id:
            buckets[key] = (found, doc_id)
    elif isinstance(found, tuple):
        if doc_id not in found:
            buckets[key] = _bucket([*found, doc_id])
    else:
        found[doc_id] = None


def _leave(buckets: dict[Any, Bucket], key: Any, doc_id: int) -> None:
    """Take a record out of a bucket (a bucket left empty goes)."""
    found = buckets.get(key)
    if found is None:
        return
    if isinstance(found, int):
        if found == doc_id:
            del buckets[key]
        return
    if isinstance(found, tuple):
        if doc_id in found:
            rest = tuple(each for each in found if each != doc_id)
            buckets[key] = rest[0] if len(rest) == 1 else rest
        return
    found.pop(doc_id, None)
    if not found:
        del buckets[key]


def _slot(value: Any) -> int | None:
    """The array position of a value that equals an integer (as dict keys, ``1``, ``1.0`` and ``True``
    are one key), or None."""
    kind = type(value)
    if kind is int or kind is bool:
        return int(value)
    if kind is float and value.is_integer():
        return int(value)
    return None


class FieldIndex:
    """``value -> doc_ids`` for one field of one table, answering like a dict of buckets."""

    __slots__ = ("_counts", "_other", "_starts")

    def __init__(self) -> None:
        self._starts = array("q")  # first id of the run, by value
        self._counts = array("I")  # ids in the run, by value (0: none; the value may be in _other)
        self._other: dict[Any, Bucket] = {}

    def members(self, value: Any) -> Iterable[int]:
        """The ids of the records with ``value``, oldest first."""
        slot = _slot(value)
        if slot is not None and 0 <= slot < len(self._counts):
            count = self._counts[slot]
            if count:
                start = self._starts[slot]
                return range(start, start + count)
        return members(self._other.get(value))

    def join(self, value: Any, doc_id: int) -> None:
        """Add a record with ``value``."""
        slot = _slot(value)
        counts = self._counts
        if slot is None or not 0 <= slot < len(counts) + SLACK or (self._other and value in self._other):
            _join(self._other, value, doc_id)
            return
        extend_to(counts, slot + 1)
        extend_to(self._starts, slot + 1)
        count = counts[slot]
        if not count:
            self._starts[slot] = doc_id
            counts[slot] = 1
            return
        start = self._starts[slot]
        if doc_id == start + count and count < _RUN_MAX:
            counts[slot] = count + 1
        elif not start <= doc_id < start + count:
            # Not the next id of the run: the bucket moves to the dict, in the same order.
            counts[slot] = 0
            self._other[value] = _bucket([*range(start, start + count), doc_id])

    def leave(self, value: Any, doc_id: int) -> None:
        """Take out a record with ``value``."""
        slot = _slot(value)
        counts = self._counts
        if slot is None or not 0 <= slot < len(counts) or not counts[slot]:
            _leave(self._other, value, doc_id)
            return
        start, count = self._starts[slot], counts[slot]
        if doc_id == start + count - 1:
            counts[slot] = count - 1
        elif doc_id == start:
            self._starts[slot] = start + 1
            counts[slot] = count - 1
        elif start < doc_id < start + count:
            counts[slot] = 0
            self._other[value] = _bucket([each for each in range(start, start + count) if each != doc_id])

    def copy(self) -> FieldIndex:
        """An independent copy."""
        new = FieldIndex()
        new._starts = array("q", self._starts)
        new._counts = array("I", self._counts)
        new._other = {
            value: dict(ids) if isinstance(ids, dict) else ids for value, ids in self._other.items()
        }
        return new
