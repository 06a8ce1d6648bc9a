"""The store's in-memory indexes, kept by its write path so that no lookup scans a table.

* ``(table, account_id) -> {public_id: doc_id}`` for every account-scoped table;
* ``(table, account_id) -> doc_ids`` in ascending order (the order records were made) for lists;
* ``(table, field) -> {value: doc_ids}`` for the fields a table declares in ``INDEXED_FIELDS``
  (:mod:`sandbox.store.buckets`);
* sorted ``(value, doc_id)`` pairs for lists (:mod:`sandbox.store.ordering`), built on first use.

Public ids are dense within an account, so they map to records through an array.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from sandbox.store.buckets import SLACK, FieldIndex, extend_to
from sandbox.store.frozen import thaw
from sandbox.store.ordering import SortedKeys, SortKey, sort_value

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

#: A sorted index: (table, account_id, field it sorts by, field it is scoped to or None, scope value).
OrderKey = tuple[str, int, str, str | None, Any]


class IdSet:
    """An account's doc ids in one table, ascending, at 8 bytes each."""

    __slots__ = ("_ids",)

    def __init__(self) -> None:
        self._ids = array("q")

    def add(self, doc_id: int) -> None:
        """Add an id (new records have the highest, so this is usually an append)."""
        ids = self._ids
        if not ids or doc_id > ids[-1]:
            ids.append(doc_id)
            return
        index = bisect_left(ids, doc_id)
        if index == len(ids) or ids[index] != doc_id:
            ids.insert(index, doc_id)

    def discard(self, doc_id: int) -> None:
        """Remove an id if it is there."""
        ids = self._ids
        index = bisect_left(ids, doc_id)
        if index < len(ids) and ids[index] == doc_id:
            del ids[index]

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def copy(self) -> IdSet:
        """An independent copy."""
        new = IdSet()
        new._ids = array("q", self._ids)
        return new


_NO_IDS = IdSet()


class PublicIds:
    """An account's ``public_id -> doc_id`` map: an array by public id while the ids are dense
    (as v4 hands them out), a dict for any others."""

    __slots__ = ("_dense", "_sparse")

    def __init__(self) -> None:
        self._dense = array("q")  # doc ids, 0 where there is none (doc ids start at 1)
        self._sparse: dict[Any, int] = {}

    def get(self, public_id: Any) -> int | None:
        """The doc id of ``public_id``, or None."""
        if type(public_id) is int and 0 < public_id < len(self._dense):
            found = self._dense[public_id]
            if found:
                return found
        return self._sparse.get(public_id)

    def __setitem__(self, public_id: Any, doc_id: int) -> None:
        dense = self._dense
        if type(public_id) is int and 0 < public_id < len(dense) + SLACK:
            extend_to(dense, public_id + 1)
            dense[public_id] = doc_id
            if self._sparse:
                self._sparse.pop(public_id, None)
        else:
            self._sparse[public_id] = doc_id

    def __delitem__(self, public_id: Any) -> None:
        if type(public_id) is int and 0 < public_id < len(self._dense):
            self._dense[public_id] = 0
        self._sparse.pop(public_id, None)

    def highest(self) -> int:
        """The highest public id in use (0 if none)."""
        dense = self._dense
        top = len(dense) - 1
        while top > 0 and not dense[top]:
            top -= 1
        ids = [key for key in self._sparse if isinstance(key, int)]
        if top > 0:
            ids.append(top)
        return max(ids, default=0)

    def copy(self) -> PublicIds:
        """An independent copy."""
        new = PublicIds()
        new._dense = array("q", self._dense)
        new._sparse = dict(self._sparse)
        return new


def index_value(value: Any) -> Any:
    """A value as the indexes hold it: text lower-cased (v4's MySQL collation ignores case)."""
    if isinstance(value, str):
        lowered = value.lower()
        return value if lowered == value else lowered  # keep one copy of text that is lower-case already
    return value


class Indexes:
    """Every index of one database."""

    def __init__(self, state: Mapping[str, Mapping[str, Record]] | None = None) -> None:
        self.by_public: dict[tuple[str, int], PublicIds] = defaultdict(PublicIds)
        self.by_account: dict[tuple[str, int], IdSet] = defaultdict(IdSet)
        self.max_public: dict[tuple[str, int], int] = defaultdict(int)
        self.by_field: dict[tuple[str, str], FieldIndex] = defaultdict(FieldIndex)
        self.sorted: dict[OrderKey, SortedKeys] = {}
        #: table -> the (sort field, scope field) pairs it has sorted indexes for.
        self.sorted_specs: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
        for table, docs in (state or {}).items():
            self._add_table(table, docs)

    def copy(self) -> Indexes:
        """Independent indexes of the same records (the sorted ones are left to be built on use)."""
        new = Indexes()
        new.by_public.update((key, ids.copy()) for key, ids in self.by_public.items())
        new.by_account.update((key, ids.copy()) for key, ids in self.by_account.items())
        new.max_public.update(self.max_public)
        new.by_field.update((key, index.copy()) for key, index in self.by_field.items())
        return new

    def _add_table(self, table: str, docs: Mapping[str, Any]) -> None:
        """``add`` for a whole table at load time, with the lookups hoisted out of the loop."""
        fields = INDEXED_FIELDS.get(table, ())
        scoped = table not in UNSCOPED_TABLES
        by_account, by_public, max_public = self.by_account, self.by_public, self.max_public
        field_indexes = [(field, self.by_field[(table, field)]) for field in fields]
        for key, value in docs.items():
            doc_id = int(key)
            doc = thaw(value)
            account_id = doc.get("account_id")
            if scoped and account_id is not None:
                by_account[(table, account_id)].add(doc_id)
                public_id = doc.get("public_id")
                if public_id is not None:
                    by_public[(table, account_id)][public_id] = doc_id
                    if public_id > max_public[(table, account_id)]:
                        max_public[(table, account_id)] = public_id
            for field, index in field_indexes:
                index.join(index_value(doc.get(field)), doc_id)

    def add(self, table: str, doc_id: int, doc: Record) -> None:
        """Index a record that was just stored."""
        account_id = doc.get("account_id")
        if table not in UNSCOPED_TABLES and account_id is not None:
            self.by_account[(table, account_id)].add(doc_id)
            public_id = doc.get("public_id")
            if public_id is not None:
                self.by_public[(table, account_id)][public_id] = doc_id
                if public_id > self.max_public[(table, account_id)]:
                    self.max_public[(table, account_id)] = public_id
        for field in INDEXED_FIELDS.get(table, ()):
            self.by_field[(table, field)].join(index_value(doc.get(field)), doc_id)
        if table in self.sorted_specs:
            for index, pair in self._sorted_of(table, doc_id, doc):
                index.add(pair)

    def remove(self, table: str, doc_id: int, doc: Record) -> None:
        """Forget a record that is being replaced or deleted."""
        account_id = doc.get("account_id")
        if table not in UNSCOPED_TABLES and account_id is not None:
            self.by_account[(table, account_id)].discard(doc_id)
            public_ids = self.by_public.get((table, account_id))
            if public_ids is not None and public_ids.get(doc.get("public_id")) == doc_id:
                del public_ids[doc["public_id"]]
        for field in INDEXED_FIELDS.get(table, ()):
            self.by_field[(table, field)].leave(index_value(doc.get(field)), doc_id)
        if table in self.sorted_specs:
            for index, pair in self._sorted_of(table, doc_id, doc):
                index.discard(pair)

    def _sorted_of(self, table: str, doc_id: int, doc: Record) -> Iterator[tuple[SortedKeys, SortKey]]:
        """The built sorted indexes a record belongs in, with its pair in each."""
        account_id = doc.get("account_id")
        if not isinstance(account_id, int):
            return
        for field, scope in self.sorted_specs[table]:
            scope_value = None if scope is None else index_value(doc.get(scope))
            found = self.sorted.get((table, account_id, field, scope, scope_value))
            if found is not None:
                yield found, (sort_value(doc.get(field)), doc_id)

    def recount_public(self, table: str, account_id: int | None, removed: Any) -> None:
        """After a hard delete v4 hands the highest public id out again: if the removed record's
        public id was the highest, recount it from the ids still in use."""
        if account_id is None or table in UNSCOPED_TABLES:
            return
        if removed != self.max_public.get((table, account_id)):
            return
        public_ids = self.by_public.get((table, account_id))
        self.max_public[(table, account_id)] = 0 if public_ids is None else public_ids.highest()

    def sorted_keys(self, key: OrderKey, docs: Mapping[str, Record]) -> SortedKeys:
        """The sorted index ``key`` names, built from ``docs`` (the table) on first use."""
        found = self.sorted.get(key)
        if found is not None:
            return found
        table, account_id, field, scope_field, scope_value = key
        if scope_field is not None and scope_field in INDEXED_FIELDS.get(table, ()):
            bucket = self.by_field[(table, scope_field)].members(scope_value)
            ids = [i for i in bucket if docs[str(i)].get("account_id") == account_id]
        else:
            ids = list(self.by_account.get((table, account_id), _NO_IDS))
            if scope_field is not None:
                ids = [i for i in ids if index_value(docs[str(i)].get(scope_field)) == scope_value]
        index = SortedKeys([(sort_value(docs[str(i)].get(field)), i) for i in ids])
        self.sorted[key] = index
        self.sorted_specs[table].add((field, scope_field))
        return index
