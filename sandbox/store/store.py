"""The store: every record of every account, in one TinyDB database.

Each entity type is a TinyDB table (``clients``, ``contacts``, ...). A record carries its account's
id (``account_id``) and its per-account ``public_id``, the id v4 shows in the API. Lookups go through
in-memory indexes kept by this class's own write path, so reading one record never scans a table:

* ``(table, account_id, public_id) -> doc_id`` for every account-scoped table;
* ``(table, account_id) -> doc_ids`` for lists;
* ``(table, field, value) -> doc_ids`` for the fields a table declares in ``INDEXED_FIELDS``.

Writes happen inside ``transaction()``. The operations of one transaction reach the write-ahead log
as a single line, so a crash never leaves half of a request applied; if the log cannot be written
the in-memory changes are undone and the request fails.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import orjson

from sandbox.store.patching import PatchFailure, apply_json_patch
from sandbox.store.tables import SandboxDB
from sandbox.store.validation import StateError, check_state
from sandbox.store.wal import StorageFailure, WriteAheadLog

Record = dict[str, Any]

#: Fields with a secondary index, per table. Values are indexed as given (strings lower-cased,
#: because v4's MySQL collation compares them case-insensitively).
INDEXED_FIELDS: dict[str, tuple[str, ...]] = {
    "account_tokens": ("token",),
    "users": ("email",),
    "contacts": ("client_id", "email"),
    "clients": ("id_number",),
    "invoices": ("client_id", "invoice_number"),
    "invoice_items": ("invoice_id",),
    "invitations": ("invoice_id", "invitation_key"),
    "payments": ("invoice_id", "client_id"),
    "credits": ("client_id",),
    "activities": ("client_id",),
    "products": ("product_key",),
    "documents": ("invoice_id", "expense_id"),
    "subscriptions": ("event_id",),
    "tasks": ("client_id", "project_id", "invoice_id"),
    "projects": ("client_id",),
    "vendor_contacts": ("vendor_id",),
    "expenses": ("client_id", "vendor_id", "invoice_id", "expense_category_id"),
    "expense_categories": ("name",),
    "tax_rates": ("name",),
    "payment_terms": ("num_days",),
}

#: Tables whose records are not scoped by ``public_id`` within an account.
UNSCOPED_TABLES = frozenset({"accounts"})


def _index_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.lower()
    return value


class Store:
    """Typed access to the sandbox's TinyDB database, with indexes and a write-ahead log."""

    def __init__(self, state: dict[str, Any], wal: WriteAheadLog | None = None) -> None:
        self.wal = wal
        self._ops: list[dict[str, Any]] | None = None
        self._undo: list[Callable[[], None]] = []
        self._depth = 0
        self.version = 0
        self._load(state)

    # -- loading and replacing --------------------------------------------------------------------

    def _load(self, state: dict[str, Any]) -> None:
        state.setdefault("_default", {})
        self.db = SandboxDB(state)
        self._by_public: dict[tuple[str, int, int], int] = {}
        self._by_account: dict[tuple[str, int], dict[int, None]] = defaultdict(dict)
        self._max_public: dict[tuple[str, int], int] = defaultdict(int)
        self._by_field: dict[tuple[str, str, Any], dict[int, None]] = defaultdict(dict)
        for table, docs in state.items():
            for key, doc in docs.items():
                self._index_add(table, int(key), doc)
        self.version += 1

    def replace_state(self, state_json: bytes) -> None:
        """Swap the whole database for the one in ``state_json`` (a reset or a restore)."""
        self._swap(orjson.loads(state_json), b'[{"op":"replace","path":"","value":%s}]' % state_json)

    def replace_checked(self, state: Any) -> None:
        """Check ``state`` (``StateError`` if it is no database), then swap it in (``PUT /__admin/state``)."""
        check_state(state, INDEXED_FIELDS)
        state.setdefault("_default", {})
        self._swap(state, b'[{"op":"replace","path":"","value":%s}]' % orjson.dumps(state))

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

    def _swap(self, state: dict[str, Any], ops_json: bytes) -> None:
        """Log the change that leads to ``state``, then load it and rebuild every index."""
        if self._depth:
            raise RuntimeError("the whole database cannot be replaced inside a transaction")
        if self.wal is not None:
            self.wal.append_encoded(ops_json)  # a failed write raises here: nothing has changed
        self._load(state)
        if self.wal is not None:
            with contextlib.suppress(RuntimeError):  # no event loop (start-up, scripts): fold later
                asyncio.get_running_loop()
                self.wal.maybe_fold(lambda: self.db.state)

    @property
    def state(self) -> dict[str, Any]:
        """The raw database document (read-only by convention)."""
        return self.db.state

    def dump(self) -> bytes:
        """The whole database as JSON text."""
        return orjson.dumps(self.db.state)

    # -- indexes ----------------------------------------------------------------------------------

    def _index_add(self, table: str, doc_id: int, doc: Record) -> None:
        account_id = doc.get("account_id")
        if table not in UNSCOPED_TABLES and account_id is not None:
            self._by_account[(table, account_id)][doc_id] = None
            public_id = doc.get("public_id")
            if public_id is not None:
                self._by_public[(table, account_id, public_id)] = doc_id
                if public_id > self._max_public[(table, account_id)]:
                    self._max_public[(table, account_id)] = public_id
        for field in INDEXED_FIELDS.get(table, ()):
            self._by_field[(table, field, _index_value(doc.get(field)))][doc_id] = None

    def _index_remove(self, table: str, doc_id: int, doc: Record) -> None:
        account_id = doc.get("account_id")
        if table not in UNSCOPED_TABLES and account_id is not None:
            self._by_account[(table, account_id)].pop(doc_id, None)
            self._by_public.pop((table, account_id, doc.get("public_id")), None)  # type: ignore[arg-type]
        for field in INDEXED_FIELDS.get(table, ()):
            bucket = self._by_field.get((table, field, _index_value(doc.get(field))))
            if bucket is not None:
                bucket.pop(doc_id, None)

    def _recount_public(self, table: str, account_id: int | None) -> None:
        """After a hard delete v4 hands the highest public id out again: recount it (rare, small)."""
        if account_id is None or table in UNSCOPED_TABLES:
            return
        docs = self.db.raw_table(table)
        ids = [int(docs[str(i)].get("public_id") or 0) for i in self._by_account.get((table, account_id), {})]
        self._max_public[(table, account_id)] = max(ids, default=0)

    # -- reading ----------------------------------------------------------------------------------

    def get(self, table: str, doc_id: int) -> Record | None:
        """One record by its internal id, or None."""
        doc = self.db.raw_table(table).get(str(doc_id))
        return None if doc is None else dict(doc, doc_id=doc_id)

    def get_public(self, table: str, account_id: int, public_id: int) -> Record | None:
        """One record of an account by its public id, or None."""
        doc_id = self._by_public.get((table, account_id, public_id))
        return None if doc_id is None else self.get(table, doc_id)

    def doc_ids(self, table: str, account_id: int) -> list[int]:
        """The internal ids of an account's records, oldest first."""
        return list(self._by_account.get((table, account_id), {}))

    def raw(self, table: str, doc_id: int) -> Record:
        """The stored document itself, for fast read-only scans (never mutate it)."""
        doc: Record = self.db.raw_table(table)[str(doc_id)]
        return doc

    def rows(self, table: str, account_id: int) -> list[Record]:
        """Every record of an account in a table, oldest first."""
        docs = self.db.raw_table(table)
        return [dict(docs[str(i)], doc_id=i) for i in self._by_account.get((table, account_id), {})]

    def find(self, table: str, field: str, value: Any, account_id: int | None = None) -> list[Record]:
        """Records whose indexed ``field`` equals ``value`` (case-insensitively for text)."""
        bucket = self._by_field.get((table, field, _index_value(value)), {})
        docs = self.db.raw_table(table)
        found = [dict(docs[str(i)], doc_id=i) for i in bucket]
        if account_id is not None:
            found = [doc for doc in found if doc.get("account_id") == account_id]
        return found

    def all(self, table: str) -> list[Record]:
        """Every record of a table (for small tables such as accounts)."""
        return [dict(doc, doc_id=int(key)) for key, doc in self.db.raw_table(table).items()]

    def next_public_id(self, table: str, account_id: int) -> int:
        """v4's next public id: one more than the largest ever used in the account, trashed included."""
        return self._max_public[(table, account_id)] + 1

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
                elif ops:
                    self._commit(ops, undo)

    def _commit(self, ops: list[dict[str, Any]], undo: list[Callable[[], None]]) -> None:
        self.version += 1
        if self.wal is None:
            return
        try:
            self.wal.append(ops)
        except StorageFailure:
            for step in reversed(undo):
                step()
            raise
        self.wal.maybe_fold(lambda: self.db.state)

    def _record(self, op: dict[str, Any], undo: Callable[[], None]) -> None:
        if self._ops is None:
            with self.transaction():
                self._record(op, undo)
            return
        self._ops.append(op)
        self._undo.append(undo)

    def _ensure_table(self, table: str) -> None:
        if table not in self.db.state:
            self.db.state[table] = {}

            def undo() -> None:
                self.db.state.pop(table, None)
                self.db.drop_table_cache(table)

            self._record({"op": "add", "path": f"/{table}", "value": {}}, undo)

    def insert(self, table: str, doc: Record) -> Record:
        """Insert a new record and return it with its ``doc_id``."""
        self._ensure_table(table)
        doc = {key: value for key, value in doc.items() if key != "doc_id"}
        tiny = self.db.table(table)
        counter = (table, int(doc.get("account_id") or 0))
        old_max = self._max_public.get(counter)
        doc_id: int = tiny.insert(doc)
        stored = self.db.state[table][str(doc_id)]
        self._index_add(table, doc_id, stored)

        def undo() -> None:
            self._index_remove(table, doc_id, stored)
            self.db.state[table].pop(str(doc_id), None)
            tiny._next_id = None
            if old_max is None:
                self._max_public.pop(counter, None)
            else:
                self._max_public[counter] = old_max

        self._record({"op": "add", "path": f"/{table}/{doc_id}", "value": stored}, undo)
        return dict(stored, doc_id=doc_id)

    def update(self, table: str, doc_id: int, fields: Record) -> Record:
        """Change some fields of a record and return the new record."""
        raw = self.db.state[table]
        old = raw[str(doc_id)]
        new = {**old, **{key: value for key, value in fields.items() if key != "doc_id"}}
        self._index_remove(table, doc_id, old)
        raw[str(doc_id)] = new
        self._index_add(table, doc_id, new)

        def undo() -> None:
            self._index_remove(table, doc_id, new)
            raw[str(doc_id)] = old
            self._index_add(table, doc_id, old)

        self._record({"op": "replace", "path": f"/{table}/{doc_id}", "value": new}, undo)
        return dict(new, doc_id=doc_id)

    def remove(self, table: str, doc_id: int) -> None:
        """Delete a record for good (v4's hard deletes, such as replaced invoice items)."""
        raw = self.db.state[table]
        old = raw.pop(str(doc_id))
        self._index_remove(table, doc_id, old)
        self._recount_public(table, old.get("account_id"))

        def undo() -> None:
            raw[str(doc_id)] = old
            self._index_add(table, doc_id, old)
            self._recount_public(table, old.get("account_id"))

        self._record({"op": "remove", "path": f"/{table}/{doc_id}"}, undo)

    # -- lifecycle --------------------------------------------------------------------------------

    async def close(self) -> None:
        """Fold the log into the data file and close it."""
        if self.wal is not None:
            await self.wal.close(self.db.state)
