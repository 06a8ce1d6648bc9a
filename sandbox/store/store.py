"""The store: every record of every account, in one TinyDB database.

Each entity type is a TinyDB table (``clients``, ``contacts``, ...). A record carries its account's
id (``account_id``) and its per-account ``public_id``, the id v4 shows in the API. Lookups go through
in-memory indexes (:mod:`sandbox.store.indexes`) kept by this class's own write path, so reading one
record or one page of a list never scans a table.

Every change to the data, and only a change, bumps ``version`` and empties ``read_cache``; ``memo``
is emptied by every single write as well, so that it is current even inside a transaction.

Writes happen inside ``transaction()``. The operations of one transaction reach the write-ahead log
as a single line, so a crash never leaves half of a request applied; if the log cannot be written
the in-memory changes are undone and the request fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable, Hashable, Iterator
from typing import Any, NamedTuple

import orjson

from sandbox.store.cache import ReadCache
from sandbox.store.frozen import Freezer, Thawed, release_free_memory, thaw, to_json, with_id
from sandbox.store.indexes import INDEXED_FIELDS, UNSCOPED_TABLES, Indexes, OrderKey, index_value
from sandbox.store.ordering import NewestFirst, SortedKeys
from sandbox.store.patching import PatchFailure, apply_json_patch
from sandbox.store.tables import SandboxDB
from sandbox.store.validation import StateError, check_state
from sandbox.store.wal import StorageFailure, WriteAheadLog

Record = dict[str, Any]

__all__ = ["INDEXED_FIELDS", "UNSCOPED_TABLES", "Record", "Store"]

#: Databases with at least this many documents are frozen out of the cyclic collector after loading.
FREEZE_DOCUMENTS = 50_000
_NO_DOCS: dict[str, Record] = {}
#: ``replace_state`` keeps this many states, parsed and indexed, each of at most this many bytes of JSON.
TEMPLATES_KEPT = 4
TEMPLATE_MAX_BYTES = 4 * 1024 * 1024


class _Template(NamedTuple):
    """A state as ``replace_state`` keeps it: its records (never changed) and their indexes."""

    state: dict[str, dict[str, Record]]
    indexes: Indexes


def _replace_all(state_json: bytes) -> bytes:
    """The logged operation that replaces the whole database with ``state_json``."""
    return b'[{"op":"replace","path":"","value":%s}]' % state_json


class Store:
    """Typed access to the sandbox's TinyDB database, with indexes and a write-ahead log."""

    def __init__(self, state: dict[str, Any], wal: WriteAheadLog | None = None) -> None:
        self.wal = wal
        self._ops: list[dict[str, Any]] | None = None
        self._undo: list[Callable[[], None]] = []
        self._depth = 0
        self.version = 0
        self.read_cache = ReadCache()
        #: Small facts derived from the data (such as which user a token belongs to), by key.
        self.memo: dict[Hashable, Any] = {}
        #: States loaded by ``replace_state``, by their JSON text (oldest dropped first).
        self._templates: dict[bytes, _Template] = {}
        self._freezer = Freezer()
        self._load(state)

    # -- loading and replacing --------------------------------------------------------------------

    def _load(self, state: dict[str, Any], indexes: Indexes | None = None) -> None:
        state.setdefault("_default", {})
        self.db = SandboxDB(state)
        self._state: dict[str, dict[str, Record]] = state
        self._next_doc: dict[str, int] = {}
        # Frozen first, then indexed from the frozen records: the parsed dicts are all gone by the
        # time the indexes allocate, so no long-lived object keeps their memory from the system.
        frozen = self._freezer.freeze_large(state)
        self.indexes = Indexes(state) if indexes is None else indexes
        if frozen:
            release_free_memory()
        if sum(len(docs) for docs in state.values()) >= FREEZE_DOCUMENTS:
            # A large database is long-lived: take it out of the cyclic collector's full passes,
            # which would otherwise walk every table at each one (a pause of a tenth of a second
            # per 100,000 rows). It is still freed as usual once nothing refers to it.
            gc.freeze()
        self._changed()

    def _changed(self) -> None:
        """The data changed (or may have, for a rolled-back write): forget every cached answer."""
        self.version += 1
        self.read_cache.clear()
        self.memo.clear()

    def replace_state(self, state_json: bytes) -> None:
        """Swap the whole database for the one in ``state_json`` (a reset or a restore).

        The same text always gives the same records: those of recent small states are kept, parsed
        and indexed, and the new state starts as copies of their tables that share the record
        dicts. That is safe because the write path never changes a stored record in place (an
        update stores a new dict), and it makes a reset to the seeded data cost little more than
        copying the indexes.
        """
        template = self._templates.get(state_json)
        if template is None:
            parsed = orjson.loads(state_json)
            if len(state_json) > TEMPLATE_MAX_BYTES:
                self._swap(parsed, _replace_all(state_json))
                return
            template = _Template(parsed, Indexes(parsed))
            if len(self._templates) >= TEMPLATES_KEPT:
                self._templates.pop(next(iter(self._templates)))
            self._templates[state_json] = template
        state = {table: dict(docs) for table, docs in template.state.items()}
        self._swap(state, _replace_all(state_json), template.indexes.copy())

    def replace_checked(self, state: Any) -> None:
        """Check ``state`` (``StateError`` if it is no database), then swap it in (``PUT /__admin/state``)."""
        check_state(state, INDEXED_FIELDS)
        state.setdefault("_default", {})
        self._swap(state, _replace_all(orjson.dumps(state)))

    def apply_patch(self, ops: Any) -> int:
        """Apply an RFC 6902 patch to the whole database, all or nothing (``PatchFailure`` if not)."""
        patched = apply_json_patch(orjson.loads(self.dump()), ops)
        try:
            check_state(patched, INDEXED_FIELDS)
        except StateError as exc:
            raise PatchFailure(422, f"the patched state is not a valid database: {exc}") from exc
        logged = list(ops)
        if "_default" not in patched:
            # The store always has this table; log its return so a replay holds what memory holds.
            patched["_default"] = {}
            logged.append({"op": "add", "path": "/_default", "value": {}})
        self._swap(patched, orjson.dumps(logged))
        return len(ops)

    def _swap(self, state: dict[str, Any], ops_json: bytes, indexes: Indexes | None = None) -> None:
        """Log the change that leads to ``state``, then load it with its indexes (built if not given)."""
        if self._depth:
            raise RuntimeError("the whole database cannot be replaced inside a transaction")
        if self.wal is not None:
            self.wal.append_encoded(ops_json)  # a failed write raises here: nothing has changed
        self._load(state, indexes)
        if self.wal is not None:
            with contextlib.suppress(RuntimeError):  # no event loop (start-up, scripts): fold later
                asyncio.get_running_loop()
                self.wal.maybe_fold(lambda: self._state)

    @property
    def state(self) -> dict[str, Any]:
        """The raw database document (read-only by convention; large tables hold frozen records)."""
        return self._state

    def dump(self) -> bytes:
        """The whole database as JSON text."""
        return orjson.dumps(self._state, default=to_json)

    # -- reading ----------------------------------------------------------------------------------

    def get(self, table: str, doc_id: int) -> Record | None:
        """One record by its internal id, or None."""
        doc = self._state.get(table, _NO_DOCS).get(str(doc_id))
        return None if doc is None else with_id(doc, doc_id)

    def shared(self, table: str, doc_id: int) -> Record | None:
        """``get``, but one copy shared by every reader until the next write (never mutate it).

        For the records nearly every request reads, several times (its account and user).
        """
        key = ("record", table, doc_id)
        found: Record | None = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.get(table, doc_id)
        return found

    def get_public(self, table: str, account_id: int, public_id: int) -> Record | None:
        """One record of an account by its public id, or None."""
        public_ids = self.indexes.by_public.get((table, account_id))
        doc_id = None if public_ids is None else public_ids.get(public_id)
        return None if doc_id is None else self.get(table, doc_id)

    def doc_ids(self, table: str, account_id: int) -> list[int]:
        """The internal ids of an account's records, in the order they were made."""
        return list(self.indexes.by_account.get((table, account_id), ()))

    def raw(self, table: str, doc_id: int) -> Record:
        """The stored document itself, for fast read-only scans (never mutate it)."""
        return thaw(self._state.get(table, _NO_DOCS)[str(doc_id)])

    def rows(self, table: str, account_id: int) -> list[Record]:
        """Every record of an account in a table, in the order they were made."""
        docs = self._state.get(table, _NO_DOCS)
        return [with_id(docs[str(i)], i) for i in self.indexes.by_account.get((table, account_id), ())]

    def find(self, table: str, field: str, value: Any, account_id: int | None = None) -> list[Record]:
        """Records whose indexed ``field`` equals ``value`` (case-insensitively for text)."""
        index = self.indexes.by_field.get((table, field))
        bucket = () if index is None else index.members(index_value(value))
        docs = self._state.get(table, _NO_DOCS)
        found = [with_id(docs[str(i)], i) for i in bucket]
        if account_id is not None:
            found = [doc for doc in found if doc.get("account_id") == account_id]
        return found

    def newest_first(
        self, table: str, account_id: int, field: str, scope: tuple[str, Any] | None = None
    ) -> tuple[SortedKeys, NewestFirst]:
        """An account's records (those with ``scope[0] == scope[1]`` if given) by ``field``, newest first.

        Records compare by ``field`` (numbers; anything else counts as 0), then by internal id. The
        sorted index is returned too, for range lookups (``first_at_least``) on ``field``.
        """
        scope_field, scope_value = (None, None) if scope is None else (scope[0], index_value(scope[1]))
        key: OrderKey = (table, account_id, field, scope_field, scope_value)
        index = self.indexes.sorted_keys(key, Thawed(self._state.get(table, _NO_DOCS)))
        return index, NewestFirst(index.keys, 0, lambda doc_id: self.get(table, doc_id) or {})

    def all(self, table: str) -> list[Record]:
        """Every record of a table (for small tables such as accounts)."""
        return [with_id(doc, int(key)) for key, doc in self._state.get(table, _NO_DOCS).items()]

    def next_public_id(self, table: str, account_id: int) -> int:
        """v4's next public id: one more than the largest ever used in the account, trashed included."""
        return self.indexes.max_public[(table, account_id)] + 1

    # -- writing ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: they reach the log as one line, or are all undone if the block raises."""
        outermost = self._depth == 0
        if outermost:
            self._ops = []
            self._undo = []
        self._depth += 1
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            self._depth -= 1
            if outermost:
                ops, self._ops = self._ops or [], None
                undo, self._undo = self._undo, []
                if failed:
                    # A request that fails half-way leaves nothing behind, in memory or on disk.
                    for step in reversed(undo):
                        step()
                    if undo:
                        self._changed()
                elif ops:
                    self._commit(ops, undo)

    def _commit(self, ops: list[dict[str, Any]], undo: list[Callable[[], None]]) -> None:
        self._changed()
        if self.wal is None:
            self._freezer.settle(self._state)
            return
        try:
            self.wal.append(ops)
        except StorageFailure:
            for step in reversed(undo):
                step()
            self._changed()
            raise
        self._freezer.settle(self._state)
        self.wal.maybe_fold(lambda: self._state)

    def _record(self, op: dict[str, Any], undo: Callable[[], None]) -> None:
        if self.memo:
            self.memo.clear()
        if self._ops is None:
            with self.transaction():
                self._record(op, undo)
            return
        self._ops.append(op)
        self._undo.append(undo)

    def _ensure_table(self, table: str) -> None:
        if table not in self._state:
            self._state[table] = {}

            def undo() -> None:
                self._state.pop(table, None)
                self.db.drop_table_cache(table)

            self._record({"op": "add", "path": f"/{table}", "value": {}}, undo)

    def insert(self, table: str, doc: Record) -> Record:
        """Insert a new record and return it with its ``doc_id``."""
        self._ensure_table(table)
        doc = dict(doc)
        doc.pop("doc_id", None)
        counter = (table, int(doc.get("account_id") or 0))
        old_max = self.indexes.max_public.get(counter)
        docs = self._state[table]
        # TinyDB's rule for new ids: one more than the largest id in the table (found once, then counted).
        doc_id = self._next_doc.get(table) or max(map(int, docs), default=0) + 1
        self._next_doc[table] = doc_id + 1
        stored = docs[str(doc_id)] = doc
        self.indexes.add(table, doc_id, stored)
        self._freezer.written(table, str(doc_id), docs)

        def undo() -> None:
            self.indexes.remove(table, doc_id, stored)
            docs.pop(str(doc_id), None)
            self._next_doc.pop(table, None)
            if old_max is None:
                self.indexes.max_public.pop(counter, None)
            else:
                self.indexes.max_public[counter] = old_max

        self._record({"op": "add", "path": f"/{table}/{doc_id}", "value": stored}, undo)
        return dict(stored, doc_id=doc_id)

    def update(self, table: str, doc_id: int, fields: Record) -> Record:
        """Change some fields of a record and return the new record."""
        raw = self._state[table]
        stored = raw[str(doc_id)]
        old = thaw(stored)
        new = {**old, **{key: value for key, value in fields.items() if key != "doc_id"}}
        self.indexes.remove(table, doc_id, old)
        raw[str(doc_id)] = new
        self.indexes.add(table, doc_id, new)
        self._freezer.written(table, str(doc_id), raw)

        def undo() -> None:
            self.indexes.remove(table, doc_id, new)
            raw[str(doc_id)] = stored
            self.indexes.add(table, doc_id, old)

        self._record({"op": "replace", "path": f"/{table}/{doc_id}", "value": new}, undo)
        return dict(new, doc_id=doc_id)

    def remove(self, table: str, doc_id: int) -> None:
        """Delete a record for good (v4's hard deletes, such as replaced invoice items)."""
        raw = self._state[table]
        stored = raw.pop(str(doc_id))
        old = thaw(stored)
        self.indexes.remove(table, doc_id, old)
        self.indexes.recount_public(table, old.get("account_id"), old.get("public_id"))

        def undo() -> None:
            raw[str(doc_id)] = stored
            self.indexes.add(table, doc_id, old)  # which raises the highest public id back if need be

        self._record({"op": "remove", "path": f"/{table}/{doc_id}"}, undo)

    # -- lifecycle --------------------------------------------------------------------------------

    async def close(self) -> None:
        """Fold the log into the data file and close it."""
        if self.wal is not None:
            await self.wal.close(self._state)
