"""``Store`` and ``WriteAheadLog`` in-process: indexes, transactions, replay and failed log writes."""

from __future__ import annotations

import asyncio
import errno
import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from sandbox.store import StorageFailure, Store, WriteAheadLog
from sandbox.store.wal import META_DOC_ID, META_TABLE


def _open(path: Path) -> tuple[Store, WriteAheadLog]:
    """A store over ``path`` the way the runtime opens one: load, replay, open the log."""
    wal = WriteAheadLog(path)
    state = wal.load()
    wal.open()
    return Store(state, wal), wal


def _log_entries(wal: WriteAheadLog) -> list[dict[str, Any]]:
    data = wal.wal_path.read_bytes()
    assert data == b"" or data.endswith(b"\n")
    return [json.loads(line) for line in data.splitlines()]


def _client(public_id: int, name: str, account_id: int = 1, **extra: Any) -> dict[str, Any]:
    return {"account_id": account_id, "public_id": public_id, "name": name, **extra}


def _break_log(wal: WriteAheadLog) -> None:
    """Make the next log write fail the way a full disk does (ENOSPC), or with EBADF."""
    assert wal._fd is not None
    os.close(wal._fd)
    if os.path.exists("/dev/full"):
        wal._fd = os.open("/dev/full", os.O_WRONLY)
    else:
        wal._fd = os.open(wal.wal_path, os.O_RDONLY)


def _repair_log(wal: WriteAheadLog) -> None:
    assert wal._fd is not None
    os.close(wal._fd)
    wal._fd = None  # the next append reopens the real log


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return _open(tmp_path / "data.json")[0]


def test_insert_then_get_public_and_lists(store: Store) -> None:
    first = store.insert("clients", _client(1, "Acme"))
    second = store.insert("clients", _client(2, "Bolt"))
    other = store.insert("clients", _client(1, "Elsewhere", account_id=2))
    assert first["doc_id"] != second["doc_id"] != other["doc_id"]
    got = store.get_public("clients", 1, 2)
    assert got is not None
    assert got["name"] == "Bolt"
    assert got["doc_id"] == second["doc_id"]
    assert store.get_public("clients", 2, 1)["name"] == "Elsewhere"  # type: ignore[index]
    assert store.get_public("clients", 1, 3) is None
    assert store.get_public("clients", 3, 1) is None
    assert store.doc_ids("clients", 1) == [first["doc_id"], second["doc_id"]]
    assert [row["name"] for row in store.rows("clients", 1)] == ["Acme", "Bolt"]
    assert store.get("clients", first["doc_id"]) == first


def test_insert_ignores_a_given_doc_id(store: Store) -> None:
    stored = store.insert("clients", {**_client(1, "Acme"), "doc_id": 999})
    assert stored["doc_id"] != 999
    assert "doc_id" not in store.raw("clients", stored["doc_id"])


def test_update_changes_fields_and_moves_index_entries(store: Store) -> None:
    doc = store.insert("clients", _client(1, "Acme", id_number="AB-1"))
    updated = store.update("clients", doc["doc_id"], {"name": "Acme Ltd", "id_number": "CD-2"})
    assert updated["name"] == "Acme Ltd"
    assert updated["public_id"] == 1
    assert store.get_public("clients", 1, 1)["name"] == "Acme Ltd"  # type: ignore[index]
    assert store.find("clients", "id_number", "AB-1") == []
    assert [r["doc_id"] for r in store.find("clients", "id_number", "cd-2")] == [doc["doc_id"]]


def test_remove_deletes_the_record_and_its_index_entries(store: Store) -> None:
    keep = store.insert("clients", _client(1, "Keep", id_number="K"))
    gone = store.insert("clients", _client(2, "Gone", id_number="G"))
    store.remove("clients", gone["doc_id"])
    assert store.get_public("clients", 1, 2) is None
    assert store.get("clients", gone["doc_id"]) is None
    assert store.doc_ids("clients", 1) == [keep["doc_id"]]
    assert store.find("clients", "id_number", "G") == []
    assert str(gone["doc_id"]) not in store.state["clients"]


def test_a_shared_record_is_current_after_every_write_even_inside_a_transaction(store: Store) -> None:
    doc = store.insert("clients", _client(1, "Acme"))
    first = store.shared("clients", doc["doc_id"])
    assert first is not None
    assert first["name"] == "Acme"
    assert store.shared("clients", doc["doc_id"]) is first  # one copy for every reader
    with store.transaction():
        store.update("clients", doc["doc_id"], {"name": "Acme Ltd"})
        assert store.shared("clients", doc["doc_id"])["name"] == "Acme Ltd"  # type: ignore[index]
        store.remove("clients", doc["doc_id"])
        assert store.shared("clients", doc["doc_id"]) is None
    assert store.shared("clients", doc["doc_id"]) is None
    seen: list[str] = []

    def insert_then_fail() -> None:
        with store.transaction():
            bolt = store.insert("clients", _client(2, "Bolt"))
            seen.append(store.shared("clients", bolt["doc_id"])["name"])  # type: ignore[index]
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        insert_then_fail()
    assert seen == ["Bolt"]
    assert store.shared("clients", doc["doc_id"] + 1) is None


def test_find_by_indexed_field_is_case_insensitive_and_can_filter_by_account(store: Store) -> None:
    mine = store.insert(
        "contacts", {"account_id": 1, "public_id": 1, "client_id": 1, "email": "Ann@Example.COM"}
    )
    theirs = store.insert(
        "contacts", {"account_id": 2, "public_id": 1, "client_id": 5, "email": "ann@example.com"}
    )
    store.insert("contacts", {"account_id": 1, "public_id": 2, "client_id": 1, "email": "bob@example.com"})
    found = store.find("contacts", "email", "ANN@example.com")
    assert sorted(r["doc_id"] for r in found) == sorted([mine["doc_id"], theirs["doc_id"]])
    assert [r["doc_id"] for r in store.find("contacts", "email", "ann@EXAMPLE.com", account_id=1)] == [
        mine["doc_id"]
    ]
    assert len(store.find("contacts", "client_id", 1)) == 2
    assert store.find("contacts", "email", "nobody@example.com") == []
    assert store.find("contacts", "email", "Ann@Example.COM", account_id=3) == []


def test_a_field_value_shared_by_records_finds_them_oldest_first_as_they_come_and_go(store: Store) -> None:
    first, second, third = (store.insert("clients", _client(n, f"C{n}", id_number="same")) for n in (1, 2, 3))

    def found() -> list[int]:
        return [row["doc_id"] for row in store.find("clients", "id_number", "SAME")]

    assert found() == [first["doc_id"], second["doc_id"], third["doc_id"]]
    store.remove("clients", second["doc_id"])
    assert found() == [first["doc_id"], third["doc_id"]]
    store.update("clients", first["doc_id"], {"id_number": "other"})
    assert found() == [third["doc_id"]]
    assert [row["doc_id"] for row in store.find("clients", "id_number", "other")] == [first["doc_id"]]
    store.remove("clients", third["doc_id"])
    assert found() == []
    assert store.get_public("clients", 1, 3) is None
    fourth = store.insert("clients", _client(4, "C4", id_number="same"))
    assert found() == [fourth["doc_id"]]
    assert store.get_public("clients", 1, 4) == fourth


def test_next_public_id_counts_trashed_rows_and_reuses_hard_deleted_ones(store: Store) -> None:
    assert store.next_public_id("clients", 1) == 1
    for public_id in (1, 2, 3):
        store.insert("clients", _client(public_id, f"c{public_id}"))
    store.insert("clients", _client(7, "other account", account_id=2))
    assert store.next_public_id("clients", 1) == 4
    assert store.next_public_id("clients", 2) == 8
    third = store.get_public("clients", 1, 3)
    assert third is not None
    store.update("clients", third["doc_id"], {"is_deleted": True, "deleted_at": 1_700_000_000})
    assert store.next_public_id("clients", 1) == 4  # trashed rows keep their id taken
    store.remove("clients", third["doc_id"])
    # v4 takes max(public_id) over the rows that exist: a hard-deleted highest id is handed out again,
    # the same before and after a restart.
    assert store.next_public_id("clients", 1) == 3
    assert store.next_public_id("contacts", 1) == 1


def test_a_transaction_is_one_log_line_with_all_its_ops(tmp_path: Path) -> None:
    store, wal = _open(tmp_path / "data.json")
    with store.transaction():
        first = store.insert("clients", _client(1, "A"))
        store.insert("contacts", {"account_id": 1, "public_id": 1, "client_id": 1, "email": "a@x.io"})
        store.update("clients", first["doc_id"], {"name": "A2"})
        with store.transaction():  # nested: still the same line
            store.insert("clients", _client(2, "B"))
    entries = _log_entries(wal)
    assert len(entries) == 1
    assert entries[0]["seq"] == 1
    ops = entries[0]["ops"]
    assert [(op["op"], op["path"]) for op in ops] == [
        ("add", "/clients"),
        ("add", f"/clients/{first['doc_id']}"),
        ("add", "/contacts"),
        ("add", "/contacts/1"),
        ("replace", f"/clients/{first['doc_id']}"),
        ("add", "/clients/2"),
    ]
    assert ops[4]["value"]["name"] == "A2"
    assert wal.seq == 1

    store.insert("clients", _client(3, "C"))  # outside a transaction: a line of its own
    entries = _log_entries(wal)
    assert [e["seq"] for e in entries] == [1, 2]
    assert [(op["op"], op["path"]) for op in entries[1]["ops"]] == [("add", "/clients/3")]


def test_a_transaction_without_writes_logs_nothing(tmp_path: Path) -> None:
    store, wal = _open(tmp_path / "data.json")
    with store.transaction():
        assert store.get_public("clients", 1, 1) is None
    assert wal.wal_path.read_bytes() == b""
    assert wal.seq == 0


def _write_some(store: Store) -> None:
    a = store.insert("clients", _client(1, "A", id_number="X1"))
    b = store.insert("clients", _client(2, "B"))
    with store.transaction():
        store.update("clients", a["doc_id"], {"name": "A-renamed", "id_number": "X2"})
        store.insert("contacts", {"account_id": 1, "public_id": 1, "client_id": 1, "email": "A@x.io"})
    store.remove("clients", b["doc_id"])
    store.insert("clients", _client(3, "C"))


def _assert_same_store(replayed: Store, live: Store) -> None:
    assert replayed.state == live.state
    for table in ("clients", "contacts"):
        assert replayed.doc_ids(table, 1) == live.doc_ids(table, 1)
    assert replayed.find("clients", "id_number", "x2") == live.find("clients", "id_number", "x2")
    assert replayed.find("contacts", "email", "a@X.io") == live.find("contacts", "email", "a@X.io")
    assert replayed.get_public("clients", 1, 3) == live.get_public("clients", 1, 3)


def test_replaying_the_log_rebuilds_the_same_state(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    live, wal = _open(path)
    _write_some(live)
    assert not path.exists()  # nothing folded yet: the log alone carries the state

    replayed, wal2 = _open(path)
    assert wal2.seq == wal.seq
    assert wal.seq == len(_log_entries(wal)) >= 5
    _assert_same_store(replayed, live)
    assert replayed.next_public_id("clients", 1) == 4


def test_replay_after_a_fold_skips_entries_already_in_the_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    live, wal = _open(path)
    with live.transaction():
        live.insert("clients", _client(10, "before fold"))
    before_fold = wal.wal_path.read_bytes()
    wal.fold_now(live.state)
    assert wal.wal_path.read_bytes() == b""
    assert orjson.loads(path.read_bytes())["_sandbox"]["1"]["log_seq"] == 1
    _write_some(live)
    assert [e["seq"] for e in _log_entries(wal)] == [2, 3, 4, 5, 6]

    # A crash between writing the snapshot and cutting the log leaves old entries in the log.
    wal.wal_path.write_bytes(before_fold + wal.wal_path.read_bytes())
    replayed, wal2 = _open(path)
    assert wal2.seq == 6
    assert replayed.state == live.state


def test_a_failed_log_write_undoes_the_change_and_raises(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    store, wal = _open(path)
    with store.transaction():
        existing = store.insert("clients", _client(1, "Existing", id_number="E"))
        store.insert("contacts", {"account_id": 1, "public_id": 1, "client_id": 1, "email": "e@y.z"})
    logged = wal.wal_path.read_bytes()
    state_before = orjson.loads(store.dump())

    def request() -> None:
        with store.transaction():
            store.insert("clients", _client(2, "Lost", id_number="L"))
            store.update("clients", existing["doc_id"], {"name": "Changed", "id_number": "C"})
            store.insert("contacts", {"account_id": 1, "public_id": 2, "client_id": 1, "email": "x@y.z"})
            store.remove("contacts", 1)

    _break_log(wal)
    with pytest.raises(StorageFailure):
        request()
    assert orjson.loads(store.dump()) == state_before
    assert store.get_public("clients", 1, 2) is None
    assert store.get_public("clients", 1, 1)["name"] == "Existing"  # type: ignore[index]
    assert store.doc_ids("clients", 1) == [existing["doc_id"]]
    assert store.find("clients", "id_number", "L") == []
    assert store.find("clients", "id_number", "C") == []
    assert [r["doc_id"] for r in store.find("clients", "id_number", "e")] == [existing["doc_id"]]
    assert store.find("contacts", "email", "x@y.z") == []
    assert [r["doc_id"] for r in store.find("contacts", "email", "E@Y.Z")] == [1]
    assert store.get_public("contacts", 1, 1) is not None
    assert wal.seq == 1
    assert wal.wal_path.read_bytes() == logged  # no torn line left behind

    _repair_log(wal)
    again = store.insert("clients", _client(2, "Second try"))
    assert again["doc_id"] == 2
    assert [e["seq"] for e in _log_entries(wal)] == [1, 2]
    replayed, _ = _open(path)
    assert replayed.state == store.state


def test_a_failed_insert_frees_its_public_id_again(tmp_path: Path) -> None:
    store, wal = _open(tmp_path / "data.json")
    with store.transaction():
        store.insert("clients", _client(1, "Existing"))
    assert store.next_public_id("clients", 1) == 2
    _break_log(wal)
    with pytest.raises(StorageFailure), store.transaction():
        store.insert("clients", _client(2, "Lost"))
    # The insert never happened (v4 rolls the transaction back too), and a store reloaded from
    # disk would say 2: the live store must agree with it.
    assert store.next_public_id("clients", 1) == 2
    _repair_log(wal)
    reloaded, _ = _open(tmp_path / "data.json")
    assert reloaded.next_public_id("clients", 1) == store.next_public_id("clients", 1)


def test_a_failed_first_write_to_a_new_table_still_replays(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    store, wal = _open(path)
    _break_log(wal)
    with pytest.raises(StorageFailure), store.transaction():
        store.insert("clients", _client(1, "Lost"))
    assert store.get_public("clients", 1, 1) is None
    assert "clients" not in store.state  # the table the failed write created is gone too

    _repair_log(wal)
    with store.transaction():
        store.insert("clients", _client(1, "Kept"))
    replayed, _ = _open(path)  # the log alone must rebuild the table and its row
    assert replayed.get_public("clients", 1, 1)["name"] == "Kept"  # type: ignore[index]
    assert replayed.state == store.state


def test_a_failed_log_write_without_a_transaction_raises_too(tmp_path: Path) -> None:
    store, wal = _open(tmp_path / "data.json")
    doc = store.insert("clients", _client(1, "Stay"))
    _break_log(wal)
    with pytest.raises(StorageFailure):
        store.remove("clients", doc["doc_id"])
    assert store.get_public("clients", 1, 1)["name"] == "Stay"  # type: ignore[index]
    with pytest.raises(StorageFailure):
        store.update("clients", doc["doc_id"], {"name": "Moved"})
    assert store.get_public("clients", 1, 1)["name"] == "Stay"  # type: ignore[index]
    _repair_log(wal)


def test_replace_state_logs_one_root_replace(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    store, wal = _open(path)
    with store.transaction():
        store.insert("clients", _client(1, "Old", id_number="OLD"))
    new_state = {
        "_default": {},
        "clients": {"7": _client(5, "New", id_number="NEW")},
        "contacts": {},
    }
    payload = orjson.dumps(new_state)
    store.replace_state(payload)

    entries = _log_entries(wal)
    assert [e["seq"] for e in entries] == [1, 2]
    assert entries[1]["ops"] == [{"op": "replace", "path": "", "value": new_state}]
    assert store.state == new_state
    assert store.get_public("clients", 1, 1) is None
    assert store.find("clients", "id_number", "old") == []
    assert store.get_public("clients", 1, 5)["doc_id"] == 7  # type: ignore[index]
    assert [r["doc_id"] for r in store.find("clients", "id_number", "new")] == [7]
    assert store.next_public_id("clients", 1) == 6

    replayed, wal2 = _open(path)
    assert wal2.seq == 2
    assert replayed.state == new_state
    added = replayed.insert("clients", _client(6, "After"))
    assert added["doc_id"] == 8


def test_a_failed_replace_state_keeps_the_old_state(tmp_path: Path) -> None:
    store, wal = _open(tmp_path / "data.json")
    store.insert("clients", _client(1, "Old"))
    before = orjson.loads(store.dump())
    _break_log(wal)
    with pytest.raises(StorageFailure):
        store.replace_state(orjson.dumps({"_default": {}, "clients": {}}))
    assert orjson.loads(store.dump()) == before
    assert store.get_public("clients", 1, 1) is not None
    _repair_log(wal)


def test_torn_last_line_is_dropped_and_truncated(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    store, wal = _open(path)
    with store.transaction():
        store.insert("clients", _client(1, "A"))
    good = wal.wal_path.read_bytes()
    with open(wal.wal_path, "ab") as handle:
        handle.write(b'{"seq":2,"ops":[{"op":"add","pa')
    replayed, wal2 = _open(path)
    assert wal2.seq == 1
    assert replayed.state == store.state
    assert wal.wal_path.read_bytes() == good
    replayed.insert("clients", _client(2, "B"))
    assert [e["seq"] for e in _log_entries(wal2)] == [1, 2]


def test_load_rejects_a_data_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(b"\x00garbage")
    with pytest.raises(StorageFailure, match="not a readable sandbox data file"):
        WriteAheadLog(path).load()


def test_a_background_fold_writes_the_same_text_as_one_serialization(tmp_path: Path) -> None:
    """The fold serializes a slice of records per turn of the event loop; the file it writes is the same."""
    state = {
        "clients": {str(i): {"id": i, "name": f"Client {i}", "notes": "a/b é"} for i in range(1, 4_500)},
        "empty": {},
        "_default": {},
    }
    log = WriteAheadLog(tmp_path / "data.json")
    log.open()
    log.append([{"op": "add", "path": "/empty", "value": {}}])
    asyncio.run(log.fold(state))
    meta = {**log.meta, "log_seq": log.seq}
    written = (tmp_path / "data.json").read_bytes()
    assert written == orjson.dumps({**state, META_TABLE: {META_DOC_ID: meta}})
    assert log.log_size() == 0


def test_a_log_write_that_fails_half_way_is_cut_back_and_the_log_size_stays_true(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.json"
    store, wal = _open(path)
    store.insert("clients", _client(1, "Kept"))
    logged = wal.wal_path.read_bytes()
    seqs = [e["seq"] for e in _log_entries(wal)]
    assert wal.log_size() == len(logged)
    real_write = os.write
    calls = []

    def half_then_full_disk(fd: int, data: Any) -> int:
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full_disk)
    with pytest.raises(StorageFailure):
        store.insert("clients", _client(2, "Lost"))
    monkeypatch.undo()
    assert len(calls) == 2  # the first write did land half a line on disk
    assert wal.wal_path.read_bytes() == logged
    assert wal.log_size() == len(logged)

    store.insert("clients", _client(2, "Second try"))
    assert wal.log_size() == wal.wal_path.stat().st_size
    assert [e["seq"] for e in _log_entries(wal)] == [*seqs, seqs[-1] + 1]
    replayed, _ = _open(path)
    assert replayed.state == store.state
