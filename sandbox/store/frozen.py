"""Large tables keep their records compressed, and thaw one when it is read.

As Python dicts the records of 100,000 invoices (with their items and invitations) take about
660 MB; as JSON compressed with a zstd dictionary trained on the table's own records, about 40 MB.
A table is frozen once it holds ``FROZEN_TABLE_MIN`` records, so the demo data never is and its
reads never pay for it. Reading a frozen record costs a decompression and a parse (a few µs);
reads that repeat are answered from the store's read cache anyway.

A frozen record is a ``bytes`` subclass that knows its table's codec, so the whole database still
serializes in one ``orjson.dumps`` call with ``default=to_json``. Records written after a table
froze stay dicts until more than ``HOT_LIMIT`` of them are waiting; each commit then freezes a few
of the oldest, so the cost is spread over the writes instead of stalling one of them. A table that
grows past the limit through writes is frozen the same way, a few records per commit.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import random
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, ClassVar

import orjson
import zstandard

Record = dict[str, Any]

#: A table with at least this many records keeps them compressed.
FROZEN_TABLE_MIN = 10_000
#: Records written to frozen tables that may wait as dicts before commits start freezing them.
HOT_LIMIT = 4_096
#: At most this many waiting records are frozen per commit (a handful of µs each).
FREEZE_PER_COMMIT = 64
#: The size of a table's compression dictionary.
DICTIONARY_BYTES = 32 * 1024
#: Records a dictionary is trained on.
TRAINING_RECORDS = 2_000
_LEVEL = 3


class FrozenRecord(bytes):
    """One record's JSON text, compressed with its table's dictionary."""

    __slots__ = ()
    _decompress: ClassVar[Any]

    def text(self) -> bytes:
        """The record's JSON text."""
        data: bytes = self._decompress(self)
        return data

    def thaw(self) -> Record:
        """The record as a new dict."""
        record: Record = orjson.loads(self._decompress(self))
        return record


def to_json(value: Any) -> Any:
    """``orjson``'s ``default`` for a state that may hold frozen tables and records: their JSON."""
    if isinstance(value, FrozenRecord):
        return orjson.Fragment(value.text())
    if isinstance(value, FrozenTable):
        return value.as_dict()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def thaw(value: Record | FrozenRecord) -> Record:
    """A stored value as a record (a frozen one decoded; a dict as it is, to be left unchanged)."""
    return value if type(value) is dict else value.thaw()  # type: ignore[union-attr]


def with_id(value: Record | FrozenRecord, doc_id: int) -> Record:
    """A new dict of a stored record with its ``doc_id`` added (a frozen one is thawed, not copied)."""
    if type(value) is dict:
        return dict(value, doc_id=doc_id)
    record = value.thaw()  # type: ignore[union-attr]
    record["doc_id"] = doc_id
    return record


class Codec:
    """A table's compressor, and the ``FrozenRecord`` subclass that decompresses its records."""

    def __init__(self, dictionary: zstandard.ZstdCompressionDict) -> None:
        form = zstandard.FORMAT_ZSTD1_MAGICLESS
        params = zstandard.ZstdCompressionParameters.from_level(
            _LEVEL, format=form, write_checksum=0, write_content_size=1, write_dict_id=0
        )
        # Digested once here; otherwise every record's compression would load the dictionary anew.
        dictionary.precompute_compress(compression_params=params)
        self._compress = zstandard.ZstdCompressor(dict_data=dictionary, compression_params=params).compress
        decompress = zstandard.ZstdDecompressor(dict_data=dictionary, format=form).decompress
        self.kind: type[FrozenRecord] = type(
            "Frozen", (FrozenRecord,), {"__slots__": (), "_decompress": decompress}
        )

    def freeze(self, record: Record) -> FrozenRecord:
        """The record compressed (a copy of exactly its size: the compressor's buffer is larger)."""
        return self.kind(self._compress(orjson.dumps(record)))

    def frozen(self, value: Record | FrozenRecord) -> FrozenRecord:
        """A stored value frozen (a record already frozen as it is)."""
        return self.freeze(value) if type(value) is dict else value  # type: ignore[return-value]


def _dictionary(docs: Mapping[str, Any], trained: bool) -> zstandard.ZstdCompressionDict:
    """A table's compression dictionary, from records picked across it.

    A dictionary trained on them makes records about a fifth smaller than one that is their text
    as it is, but training takes tens of milliseconds: fine while a data file loads, too long for the
    commit in which a table grows large, which takes the text as it is.
    """
    keys = list(docs)
    random.Random(len(keys)).shuffle(keys)
    if trained:
        texts: list[bytes | bytearray | memoryview[int]] = [
            orjson.dumps(thaw(docs[key])) for key in keys[:TRAINING_RECORDS]
        ]
        try:
            return zstandard.train_dictionary(DICTIONARY_BYTES, texts, level=_LEVEL)
        except zstandard.ZstdError:  # too little text to learn from
            pass
    parts: list[bytes] = []
    size = 0
    for key in keys:
        text = orjson.dumps(thaw(docs[key]))
        if size + len(text) > DICTIONARY_BYTES:
            break
        parts.append(text)
        size += len(text)
    return zstandard.ZstdCompressionDict(b"".join(parts), dict_type=zstandard.DICT_TYPE_RAWCONTENT)


class FrozenTable(MutableMapping[str, Any]):
    """A large table's records in a list indexed by document id, mostly frozen.

    It reads and writes like the ``{str(doc_id): record}`` dict it replaces, but holds no key
    strings (a dict's would take about as much memory as the frozen records themselves). Its ids
    run in ascending order, which for the store's own inserts is also the order they were made.
    """

    __slots__ = ("_count", "_slots")

    def __init__(
        self, docs: Mapping[str, Any], highest_id: int, convert: Callable[[Any], Any] = lambda value: value
    ) -> None:
        slots: list[Any] = [None] * (highest_id + 1)
        for key, value in docs.items():
            slots[int(key)] = convert(value)
        self._slots = slots
        self._count = len(docs)

    def _index(self, key: str) -> int:
        # Only the canonical spelling of an id names a record, as in the dict this replaces.
        canonical = type(key) is str and key.isascii() and key.isdigit() and key[:1] != "0"
        index = int(key) if canonical else -1
        if not 0 < index < len(self._slots) or self._slots[index] is None:
            raise KeyError(key)
        return index

    def __getitem__(self, key: str) -> Any:
        return self._slots[self._index(key)]

    def get(self, key: str, default: Any = None) -> Any:
        """The stored value of ``key`` (a frozen record or a dict), or ``default``."""
        try:
            return self._slots[self._index(key)]
        except KeyError:
            return default

    def __setitem__(self, key: str, value: Any) -> None:
        index = int(key)
        slots = self._slots
        if index >= len(slots):
            slots.extend([None] * (index + 1 - len(slots)))
        if slots[index] is None:
            self._count += 1
        slots[index] = value

    def freeze_waiting(self, key: str, freeze: Callable[[Record], FrozenRecord]) -> None:
        """Freeze the record of ``key`` (one the store wrote) if it is still a dict."""
        index = int(key)
        slots = self._slots
        if index < len(slots):
            value = slots[index]
            if type(value) is dict:
                slots[index] = freeze(value)

    def __delitem__(self, key: str) -> None:
        self._slots[self._index(key)] = None
        self._count -= 1

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (str(index) for index, value in enumerate(self._slots) if value is not None)

    def __len__(self) -> int:
        return self._count

    def copy(self) -> FrozenTable:
        """A copy sharing the records (which are never changed in place), made in one step."""
        new = FrozenTable({}, -1)
        new._slots = self._slots[:]
        new._count = self._count
        return new

    def as_dict(self, start: int = 0, stop: int | None = None) -> dict[str, Any]:
        """The records (of ids from ``start`` up to ``stop``) as the ``{key: value}`` dict this replaces."""
        slots = self._slots[start:stop]
        return {str(start + offset): value for offset, value in enumerate(slots) if value is not None}

    def slices(self, size: int) -> Iterator[dict[str, Any]]:
        """The records as ``{key: value}`` dicts of ``size`` ids at most, in order (some may be empty)."""
        for start in range(0, len(self._slots), size):
            yield self.as_dict(start, start + size)


def table_copy(docs: Mapping[str, Any]) -> Mapping[str, Any]:
    """A shallow copy of a table, taken in one quick step (a point-in-time view for a fold)."""
    return docs.copy() if isinstance(docs, (dict, FrozenTable)) else dict(docs)


def in_slices(docs: Mapping[str, Any], size: int) -> Iterator[dict[str, Any]]:
    """A table's records as ``{key: value}`` dicts of at most ``size`` records, in order."""
    if isinstance(docs, FrozenTable):
        yield from docs.slices(size)
        return
    items = list(docs.items())
    for start in range(0, len(items), size):
        yield dict(items[start : start + size])


class Thawed(Mapping[str, Record]):
    """A table seen with its records thawed (read-only)."""

    def __init__(self, docs: Mapping[str, Any]) -> None:
        self._docs = docs

    def __getitem__(self, key: str) -> Record:
        return thaw(self._docs[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)


class Freezer:
    """Which tables are frozen (their codecs, kept for the store's lifetime) and the records waiting."""

    def __init__(self) -> None:
        self._codecs: dict[str, Codec] = {}
        #: ``(table, key)`` of records stored as dicts in frozen tables, oldest first. An ordered dict:
        #: a plain one taken from the front slows down as it skips the slots of the keys it lost.
        self._waiting: OrderedDict[tuple[str, str], None] = OrderedDict()
        #: Tables that have grown large through writes, to be frozen after the commit.
        self._grown: set[str] = set()

    def freeze_large(self, state: dict[str, Any]) -> bool:
        """Freeze every record of every table large enough (at load). True if anything was frozen."""
        self._waiting.clear()
        self._grown.clear()
        frozen = False
        for table, docs in list(state.items()):
            if len(docs) >= FROZEN_TABLE_MIN and not isinstance(docs, FrozenTable):
                self._make_frozen(state, table, self._codec(table, docs, trained=True).frozen)
                frozen = True
        return frozen

    def _make_frozen(self, state: dict[str, Any], table: str, convert: Callable[[Any], Any]) -> None:
        """Turn a table into a ``FrozenTable`` (or, for sparse ids, a dict) of its converted values."""
        docs = state[table]
        # A new table: none of the parsed text's objects (its key strings) stays behind in it, so the
        # memory they took can go back to the system as a whole.
        highest_id = max(map(int, docs), default=0)
        if highest_id <= 2 * len(docs) + 1024:  # dense enough for a list (ids in the billions are not)
            state[table] = FrozenTable(docs, highest_id, convert)
        else:
            state[table] = {str(int(key)): convert(value) for key, value in docs.items()}
        docs.clear()

    def _adopt(self, state: dict[str, Any], table: str) -> None:
        """A table that has grown large through writes becomes a ``FrozenTable`` of the same dicts,
        each waiting to be frozen: freezing them all in one commit would stall it (tens of ms)."""
        docs = state[table]
        self._codec(table, docs, trained=False)
        keys = [str(int(key)) for key, value in docs.items() if type(value) is dict]
        self._make_frozen(state, table, lambda value: value)
        self._waiting.update(dict.fromkeys((table, key) for key in keys))

    def _codec(self, table: str, docs: Mapping[str, Any], trained: bool = False) -> Codec:
        codec = self._codecs.get(table)
        if codec is None:
            codec = self._codecs[table] = Codec(_dictionary(docs, trained))
        return codec

    def written(self, table: str, key: str, docs: Mapping[str, Any]) -> None:
        """A record was stored as a dict: note it if its table is (or has grown) large enough to freeze."""
        if table in self._codecs:
            self._waiting[(table, key)] = None
        elif len(docs) >= FROZEN_TABLE_MIN:
            self._grown.add(table)

    def settle(self, state: dict[str, Any]) -> None:
        """After a commit: freeze the tables that have grown large, and a few of the oldest waiting
        records once too many wait."""
        while self._grown:
            table = self._grown.pop()
            if table in state:
                self._adopt(state, table)
        excess = len(self._waiting) - HOT_LIMIT
        if excess <= 0:
            return
        waiting, codecs = self._waiting, self._codecs
        for _ in range(min(excess, FREEZE_PER_COMMIT)):
            (table, key), _ = waiting.popitem(last=False)
            docs = state.get(table)
            if isinstance(docs, FrozenTable):
                docs.freeze_waiting(key, codecs[table].freeze)
            elif docs is not None and type(docs.get(key)) is dict:  # a table of sparse ids
                docs[key] = codecs[table].freeze(docs[key])


def release_free_memory() -> None:
    """Hand the heap's free pages back to the system (glibc only; elsewhere nothing happens).

    Loading a large data file parses every record into dicts before they are frozen; without
    this, the process would keep that peak resident although most of it is free.
    """
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
