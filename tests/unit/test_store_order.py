"""The store's sorted list indexes and read cache follow every write, undo and swap."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.store import Store

Op = tuple[str, int, int, int]


def _store() -> Store:
    return Store({"invoices": {}})


def _expected(store: Store, client_id: int | None) -> list[int]:
    rows = [row for row in store.rows("invoices", 1) if client_id is None or row["client_id"] == client_id]
    rows.sort(key=lambda row: (row.get("updated_at") or 0, row["doc_id"]), reverse=True)
    return [row["doc_id"] for row in rows]


def _shown(store: Store, client_id: int | None) -> list[int]:
    scope = None if client_id is None else ("client_id", client_id)
    return [row["doc_id"] for row in store.newest_first("invoices", 1, "updated_at", scope)[1]]


def _failing_write(store: Store, doc_id: int, client_id: int, stamp: int) -> None:
    """A transaction that writes twice, then fails: both writes are undone."""
    try:
        with store.transaction():
            store.update("invoices", doc_id, {"updated_at": stamp + 100})
            store.insert("invoices", {"account_id": 1, "client_id": client_id, "updated_at": stamp})
            raise RuntimeError("undo")
    except RuntimeError:
        pass


def _half_done_write(store: Store) -> None:
    with store.transaction():
        store.update("invoices", 1, {"updated_at": 2})
        _cached(store)  # an answer computed from the half-done write
        raise RuntimeError("undo")


ops = st.lists(
    st.tuples(
        st.sampled_from(["insert", "update", "remove", "fail"]),
        st.integers(0, 30),
        st.integers(1, 3),
        st.integers(0, 5),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_sorted_indexes_match_a_fresh_sort_after_any_writes(steps: list[Op]) -> None:
    store = _store()
    for client_id in (None, 1, 2):
        _shown(store, client_id)  # built before the writes: kept up to date by them
    for kind, pick, client_id, stamp in steps:
        ids = store.doc_ids("invoices", 1)
        if kind == "insert" or not ids:
            store.insert("invoices", {"account_id": 1, "client_id": client_id, "updated_at": stamp})
        elif kind == "update":
            store.update("invoices", ids[pick % len(ids)], {"updated_at": stamp, "client_id": client_id})
        elif kind == "remove":
            store.remove("invoices", ids[pick % len(ids)])
        else:
            _failing_write(store, ids[pick % len(ids)], client_id, stamp)
    for client_id in (None, 1, 2, 3):
        assert _shown(store, client_id) == _expected(store, client_id)


def test_a_page_reads_only_its_records_and_ranges_cut_by_value() -> None:
    store = _store()
    for stamp in (5, 1, 9, 3, 9):
        store.insert("invoices", {"account_id": 1, "client_id": 1, "updated_at": stamp})
    index, rows = store.newest_first("invoices", 1, "updated_at")
    assert [row["updated_at"] for row in rows] == [9, 9, 5, 3, 1]
    assert [row["doc_id"] for row in rows[:2]] == [5, 3]
    assert rows[-1]["updated_at"] == 1
    recent = rows.from_position(index.first_at_least(4))
    assert len(recent) == 3
    assert [row["updated_at"] for row in recent] == [9, 9, 5]


def _cached(store: Store) -> None:
    store.read_cache.put(("key",), b"answer")
    assert store.read_cache.get(("key",)) == b"answer"


@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.insert("invoices", {"account_id": 1, "updated_at": 1}),
        lambda s: s.update("invoices", 1, {"updated_at": 2}),
        lambda s: s.remove("invoices", 1),
        lambda s: s.replace_state(b'{"invoices": {}}'),
        lambda s: s.replace_checked({"invoices": {}}),
        lambda s: s.apply_patch([{"op": "add", "path": "/clients", "value": {}}]),
    ],
    ids=["insert", "update", "remove", "replace_state", "replace_checked", "apply_patch"],
)
def test_every_write_empties_the_read_cache(write: Any) -> None:
    store = Store({"invoices": {"1": {"account_id": 1, "public_id": 1, "updated_at": 1}}})
    _cached(store)
    version = store.version
    write(store)
    assert store.read_cache.get(("key",)) is None
    assert store.version > version


def test_a_rolled_back_write_empties_the_read_cache_too() -> None:
    store = Store({"invoices": {"1": {"account_id": 1, "public_id": 1, "updated_at": 1}}})
    with pytest.raises(RuntimeError, match="undo"):
        _half_done_write(store)
    assert store.read_cache.get(("key",)) is None
    assert store.get("invoices", 1) == {"account_id": 1, "public_id": 1, "updated_at": 1, "doc_id": 1}


def test_the_read_cache_keeps_to_its_budget() -> None:
    store = _store()
    store.read_cache.budget = 10
    store.read_cache.put("a", b"12345")
    store.read_cache.put("b", b"12345")
    store.read_cache.put("c", b"12345")
    assert store.read_cache.get("a") is None
    assert store.read_cache.get("c") == b"12345"
    store.read_cache.put("big", b"x" * 11)
    assert store.read_cache.get("big") is None


def test_replacing_with_the_same_text_twice_gives_independent_indexes() -> None:
    seeded = b'{"invoices": {"1": {"account_id": 1, "public_id": 1, "client_id": 1, "updated_at": 1}}}'
    store = _store()
    store.replace_state(seeded)
    store.insert("invoices", {"account_id": 1, "public_id": 2, "client_id": 1, "updated_at": 2})
    assert store.get_public("invoices", 1, 2) is not None
    store.replace_state(seeded)
    assert store.get_public("invoices", 1, 2) is None
    assert [row["public_id"] for row in store.find("invoices", "client_id", 1)] == [1]
    assert store.next_public_id("invoices", 1) == 2
