"""Frozen tables: a large table kept compressed reads, writes, logs and dumps like a plain one.

Each test runs the same operations on a store whose tables are small enough to stay dicts and on
one whose threshold is lowered so that they freeze, and compares every answer and the dump.
"""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any

import orjson
import pytest

from sandbox.store import Store, WriteAheadLog, frozen
from sandbox.store import wal as wal_module
from sandbox.store.frozen import FrozenRecord, FrozenTable

INVOICES = 120


def _state(invoices: int = INVOICES, first_id: int = 1) -> dict[str, Any]:
    clients = {str(i): {"account_id": 1, "public_id": i, "name": f"Client {i}"} for i in (1, 2, 3)}
    rows = {
        str(first_id + n): {
            "account_id": 1,
            "public_id": n + 1,
            "client_id": n % 3 + 1,
            "invoice_number": f"INV-{n + 1:04d}",
            "amount": round(n * 1.25, 2),
            "updated_at": 1_700_000_000 + n,
            "notes": "Ünïcode ✓" if n % 7 == 0 else None,
        }
        for n in range(invoices)
    }
    return {"clients": clients, "invoices": rows}


@pytest.fixture
def low_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeze tables of 50 records or more; let 8 written records wait, freezing 4 per commit."""
    monkeypatch.setattr(frozen, "FROZEN_TABLE_MIN", 50)
    monkeypatch.setattr(frozen, "HOT_LIMIT", 8)
    monkeypatch.setattr(frozen, "FREEZE_PER_COMMIT", 4)


def _pair(state: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[Store, Store]:
    """A plain store and a frozen one over copies of ``state``."""
    monkeypatch.setattr(frozen, "FROZEN_TABLE_MIN", 10**9)
    plain = Store(copy.deepcopy(state))
    monkeypatch.setattr(frozen, "FROZEN_TABLE_MIN", 50)
    cold = Store(copy.deepcopy(state))
    return plain, cold


def _answers(store: Store) -> list[Any]:
    _, order = store.newest_first("invoices", 1, "updated_at", ("client_id", 2))
    return [
        store.get("invoices", 5),
        store.get("invoices", 10_000),
        store.get_public("invoices", 1, 17),
        store.find("invoices", "invoice_number", "inv-0042"),
        store.find("invoices", "client_id", 3, account_id=1)[:5],
        store.rows("invoices", 1)[-3:],
        [doc["public_id"] for doc in order[:10]],
        store.doc_ids("invoices", 1)[-5:],
        store.next_public_id("invoices", 1),
        orjson.loads(store.dump()),
    ]


def _fail_half_way(store: Store) -> None:
    with store.transaction():
        store.update("invoices", 3, {"amount": -1})
        store.remove("invoices", 4)
        raise RuntimeError("rolled back")


def test_a_frozen_table_answers_exactly_like_a_plain_one(
    low_threshold: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, cold = _pair(_state(), monkeypatch)
    invoices = cold.state["invoices"]
    assert isinstance(invoices, FrozenTable)
    assert all(isinstance(invoices[key], FrozenRecord) for key in invoices)
    assert isinstance(cold.state["clients"], dict)  # three clients: too few to freeze
    assert _answers(cold) == _answers(plain)
    assert orjson.loads(cold.dump()) == {**_state(), "_default": {}}


def test_writes_to_a_frozen_table_match_a_plain_one_and_old_writes_freeze_again(
    low_threshold: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, cold = _pair(_state(), monkeypatch)
    for store in (plain, cold):
        for doc_id in range(1, 31):
            store.update("invoices", doc_id, {"amount": doc_id * 2.5, "updated_at": 1_800_000_000 + doc_id})
        with store.transaction():
            store.insert(
                "invoices", {**_state(1)["invoices"]["1"], "public_id": 500, "invoice_number": "NEW"}
            )
            store.remove("invoices", INVOICES)  # the highest public id: the next one is counted again
        with pytest.raises(RuntimeError, match="rolled back"):
            _fail_half_way(store)
        assert _answers(store)[0]["amount"] == 12.5
    assert _answers(cold) == _answers(plain)
    assert cold.get("invoices", 4) == plain.get("invoices", 4)
    table = cold.state["invoices"]
    waiting = [key for key in table if type(table[key]) is dict]
    assert 0 < len(waiting) <= 8 + 4  # the limit, plus at most one commit's worth not yet frozen
    assert isinstance(table["1"], FrozenRecord)  # the first record written has been frozen again
    assert cold.get("invoices", 1) == plain.get("invoices", 1)


def test_a_table_that_grows_large_is_frozen_a_few_records_per_commit(
    low_threshold: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, cold = _pair(_state(invoices=45), monkeypatch)
    assert isinstance(cold.state["invoices"], dict)

    def frozen_count() -> int:
        table = cold.state["invoices"]
        return sum(isinstance(table[key], FrozenRecord) for key in table)

    for store in (plain, cold):
        for n in range(10):
            before = frozen_count()
            store.insert(
                "invoices", {**_state(1)["invoices"]["1"], "public_id": 46 + n, "invoice_number": str(n)}
            )
            assert frozen_count() - before <= 4  # never the whole table in one commit
    assert isinstance(cold.state["invoices"], FrozenTable)
    assert frozen_count() == 6 * 4  # from the commit that crossed the limit on, 4 per commit
    assert _answers(cold) == _answers(plain)
    for doc_id in range(1, 11):
        cold.update("invoices", doc_id, {"amount": 1})
        plain.update("invoices", doc_id, {"amount": 1})
    assert len(cold.state["invoices"]) - frozen_count() <= 8 + 4
    assert _answers(cold) == _answers(plain)


def test_sparse_ids_keep_a_dict_of_frozen_records(
    low_threshold: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, cold = _pair(_state(first_id=10**12), monkeypatch)
    invoices = cold.state["invoices"]
    assert type(invoices) is dict
    assert isinstance(invoices[str(10**12)], FrozenRecord)
    assert cold.get("invoices", 10**12) == plain.get("invoices", 10**12)
    assert cold.dump() == plain.dump()
    # Writes wait as dicts and freeze again, as in a dense table.
    for store in (plain, cold):
        for doc_id in range(10**12, 10**12 + 30):
            store.update("invoices", doc_id, {"amount": 1.5})
    invoices = cold.state["invoices"]
    assert type(invoices) is dict
    assert isinstance(invoices[str(10**12)], FrozenRecord)  # written first: frozen again since
    assert 0 < sum(type(value) is dict for value in invoices.values()) <= 8 + 4
    assert cold.get("invoices", 10**12) == plain.get("invoices", 10**12)
    assert cold.dump() == plain.dump()


def test_a_frozen_table_only_knows_its_own_ids(low_threshold: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _, cold = _pair(_state(), monkeypatch)
    invoices = cold.state["invoices"]
    assert isinstance(invoices, FrozenTable)
    for key in ("0", "05", "-1", "+5", "²", "abc", "", str(INVOICES + 1), "1" * 30):
        assert invoices.get(key) is None
        assert key not in invoices
        with pytest.raises(KeyError):
            invoices[key]
    assert len(invoices) == INVOICES
    assert list(invoices)[:3] == ["1", "2", "3"]
    del invoices["2"]
    assert len(invoices) == INVOICES - 1
    assert "2" not in invoices


def test_a_frozen_store_logs_folds_and_reloads_the_same_data(low_threshold: None, tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(orjson.dumps(_state()))
    wal = WriteAheadLog(path)
    store = Store(wal.load(), wal)
    wal.open()
    assert isinstance(store.state["invoices"], FrozenTable)
    store.update("invoices", 7, {"amount": 99.5})
    store.insert("invoices", {**_state(1)["invoices"]["1"], "public_id": 900, "invoice_number": "X-900"})
    before = store.dump()

    replayed = WriteAheadLog(path)
    assert Store(replayed.load()).dump() == before  # snapshot plus log, read by a new process
    wal.fold_now(store.state)
    folded = WriteAheadLog(path)
    assert orjson.loads(path.read_bytes())["invoices"]["7"]["amount"] == 99.5
    assert Store(folded.load()).dump() == before


def test_a_background_fold_of_a_frozen_table_with_gaps_writes_the_same_data(
    low_threshold: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wal_module, "FOLD_SLICE_RECORDS", 7)  # several slices, some with no record at all
    path = tmp_path / "data.json"
    path.write_bytes(orjson.dumps(_state()))
    wal = WriteAheadLog(path)
    store = Store(wal.load(), wal)
    wal.open()
    for doc_id in range(20, 40):  # a run of ids longer than a slice, all gone
        store.remove("invoices", doc_id)
    store.update("invoices", 7, {"amount": 12.5})
    before = store.dump()
    snapshot_taken = asyncio.run(_fold_while_writing(wal, store))
    assert orjson.loads(path.read_bytes())["invoices"] == orjson.loads(snapshot_taken)["invoices"]
    assert Store(WriteAheadLog(path).load()).dump() == store.dump() != before


async def _fold_while_writing(wal: WriteAheadLog, store: Store) -> bytes:
    """Start a fold, change a record while it runs, and return the state as it was when it started."""
    taken = store.dump()
    folding = asyncio.create_task(wal.fold(store.state))
    # Callbacks run in the order they were scheduled: the fold's first step (its copy, one slice),
    # then this write, then the rest of the fold. Only the log has the write.
    asyncio.get_running_loop().call_soon(store.update, "invoices", 8, {"amount": 1.5})
    await folding
    return taken


def test_a_table_loaded_large_gets_a_trained_dictionary_and_a_tiny_one_its_text() -> None:
    records = _state(invoices=600)["invoices"]
    trained = frozen._dictionary(records, trained=True)
    assert trained.dict_id() != 0  # a trained dictionary carries an id; raw text does not
    codec, plain = frozen.Codec(trained), frozen.Codec(frozen._dictionary(records, trained=False))
    sample = list(records.values())[:50]
    for record in sample:
        assert codec.freeze(record).thaw() == record
    assert sum(len(codec.freeze(r)) for r in sample) < sum(len(plain.freeze(r)) for r in sample)
    tiny = {"1": {"a": 1}, "2": {"a": 2}}
    fallback = frozen._dictionary(tiny, trained=True)  # too little text to train on
    assert fallback.dict_id() == 0
    assert frozen.Codec(fallback).freeze({"a": 1}).thaw() == {"a": 1}
