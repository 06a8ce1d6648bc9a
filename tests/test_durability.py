"""Crash safety of the data file and its write-ahead log, against a real server subprocess."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from pathlib import Path

import httpx
import pytest
from helpers.process import ServerProcess, run_server_expecting_exit, running_server, start_server
from tinydb import TinyDB
from tinydb.storages import JSONStorage

pytestmark = pytest.mark.slow

WRITER_THREADS = 4
ROUNDS = 6


def _create_client(client: httpx.Client, name: str) -> int:
    response = client.post("/clients", json={"name": name})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["name"] == name
    return int(data["id"])


def _clients_in_file(path: Path) -> dict[int, str]:
    """``public_id -> name`` of the demo account's clients in a stopped server's data file."""
    with TinyDB(path, storage=JSONStorage, access_mode="r") as db:
        assert "clients" in db.tables()
        rows = db.table("clients").all()
    return {int(row["public_id"]): row["name"] for row in rows if row["account_id"] == 1}


def _listed_clients(server: ServerProcess) -> dict[int, str]:
    with server.client() as client:
        response = client.get("/clients", params={"per_page": -1})
    assert response.status_code == 200, response.text
    return {int(row["id"]): row["name"] for row in response.json()["data"]}


class _Stream:
    """Writer threads creating clients until the server goes away; records every answered write."""

    def __init__(self, server: ServerProcess, prefix: str) -> None:
        self.server = server
        self.prefix = prefix
        self.acked: dict[int, str] = {}
        self.unexpected: list[str] = []
        self.cond = threading.Condition()
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._write, args=(n,), daemon=True) for n in range(WRITER_THREADS)
        ]

    def _write(self, thread_no: int) -> None:
        with self.server.client(timeout=5) as client:
            for i in range(100_000):
                if self.stop.is_set():
                    return
                name = f"{self.prefix}-t{thread_no}-{i}"
                try:
                    response = client.post("/clients", json={"name": name})
                except httpx.TransportError:
                    return  # the server was killed: this write was never acknowledged
                with self.cond:
                    if response.status_code == 200:
                        data = response.json()["data"]
                        if data["name"] != name or int(data["id"]) in self.acked:
                            self.unexpected.append(f"{name} answered {data}")
                        self.acked[int(data["id"])] = name
                    else:
                        self.unexpected.append(f"{name}: {response.status_code} {response.text[:200]}")
                    self.cond.notify_all()

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def wait_for_acks(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.acked) < count and not self.unexpected:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"only {len(self.acked)} of {count} writes answered in {timeout}s"
                self.cond.wait(remaining)

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(10)
            assert not thread.is_alive()


def test_every_acknowledged_write_survives_kill_9(tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    started = time.monotonic()
    for round_no in range(ROUNDS):
        data = tmp_path / f"round{round_no}.json"
        context = f"round {round_no} (random seed {seed})"
        server = start_server(data)
        try:
            seeded = _listed_clients(server)
            stream = _Stream(server, f"r{round_no}")
            stream.start()
            stream.wait_for_acks(rng.randint(1, 150), timeout=20)
            server.kill()  # SIGKILL while the writers are still sending
        finally:
            if server.returncode is None:
                server.kill()
        stream.join()
        assert not stream.unexpected, f"{context}: {stream.unexpected[:5]}"
        acked = dict(stream.acked)
        assert acked, context
        assert server.returncode == -9, context

        # The snapshot is valid JSON at every instant, even right after kill -9.
        json.loads(data.read_bytes())

        with running_server(data) as again:
            listed = _listed_clients(again)
            missing = {i: n for i, n in acked.items() if listed.get(i) != n}
            assert not missing, f"{context}: acknowledged clients lost after kill -9: {missing}"
            for public_id, name in seeded.items():
                assert listed[public_id] == name, context
            with again.client() as client:
                probe = rng.choice(sorted(acked))
                response = client.get(f"/clients/{probe}")
                assert response.status_code == 200, f"{context}: {response.text}"
                assert response.json()["data"]["name"] == acked[probe]
                # Ids are never handed out twice, even for writes that were never answered.
                new_id = _create_client(client, f"r{round_no}-after-restart")
                assert new_id > max(listed), context
            assert again.terminate() == 0, again.stderr

        in_file = _clients_in_file(data)
        for public_id, name in acked.items():
            assert in_file.get(public_id) == name, f"{context}: client {public_id} not in the data file"
        assert in_file[new_id] == f"r{round_no}-after-restart"
    assert time.monotonic() - started < 50


def test_clean_shutdown_folds_the_log_into_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.json"
    with running_server(data) as server:
        with server.client() as client:
            created = {_create_client(client, f"clean-{i}"): f"clean-{i}" for i in range(5)}
        wal_lines = server.wal.read_bytes().splitlines()
        assert len(wal_lines) == 5
        assert [json.loads(line)["seq"] for line in wal_lines] == [1, 2, 3, 4, 5]
        assert server.terminate() == 0, server.stderr

    assert server.wal.exists()
    assert server.wal.read_bytes() == b""
    document = json.loads(data.read_bytes())
    assert document["_sandbox"]["1"]["log_seq"] == 5
    in_file = _clients_in_file(data)
    for public_id, name in created.items():
        assert in_file[public_id] == name

    # The folded file alone (no log left) brings the clients back.
    with running_server(data) as again:
        listed = _listed_clients(again)
        for public_id, name in created.items():
            assert listed[public_id] == name
        assert again.terminate() == 0


def test_torn_last_log_line_is_dropped_at_start(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.json"
    with running_server(data) as server:
        with server.client() as client:
            first = {_create_client(client, f"kept-{i}"): f"kept-{i}" for i in range(3)}
        server.kill()
    intact = server.wal.read_bytes()
    assert intact.count(b"\n") == 3
    torn = b'{"seq":4,"ops":[{"op":"add","path":"/clients/999","value":{"name":"torn'
    with open(server.wal, "ab") as handle:
        handle.write(torn)

    with running_server(data) as again:
        assert again.returncode is None
        listed = _listed_clients(again)
        for public_id, name in first.items():
            assert listed[public_id] == name
        assert "torn" not in set(listed.values())
        assert again.wal.read_bytes() == intact  # the torn tail is cut off
        with again.client() as client:
            later_id = _create_client(client, "after-torn")
        again.kill()

    # The write after the torn line started on a clean line: it survives another kill -9.
    assert again.wal.read_bytes().startswith(intact)
    assert all(json.loads(line) for line in again.wal.read_bytes().splitlines())
    with running_server(data) as third:
        listed = _listed_clients(third)
        assert listed[later_id] == "after-torn"
        for public_id, name in first.items():
            assert listed[public_id] == name
        assert third.terminate() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not JSON {", "is not a readable sandbox data file"),
        (b"[1, 2, 3]", "does not hold a TinyDB database"),
    ],
)
def test_corrupt_data_file_fails_fast_with_a_clear_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    data = tmp_path / "sandbox.json"
    data.write_bytes(content)
    result = run_server_expecting_exit(data, timeout=30)
    assert result.returncode != 0
    assert result.stderr.startswith("ninja-sandbox: "), result.stderr
    assert str(data) in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "serving" not in result.stdout
    assert data.read_bytes() == content  # a broken file is left alone, not overwritten
    assert not os.path.exists(str(data) + ".wal") or Path(str(data) + ".wal").read_bytes() == b""


def test_a_log_entry_that_cannot_be_applied_fails_fast_with_a_clear_message(tmp_path: Path) -> None:
    # What the log holds after a failed first write to a new table was retried (see
    # tests/unit/test_store.py::test_a_failed_first_write_to_a_new_table_still_replays).
    data = tmp_path / "sandbox.json"
    wal = tmp_path / "sandbox.json.wal"
    wal.write_bytes(b'{"seq":1,"ops":[{"op":"add","path":"/invoices/1","value":{"account_id":1}}]}\n')
    result = run_server_expecting_exit(data, timeout=30)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stderr.startswith("ninja-sandbox: "), result.stderr[-2000:]
    assert str(wal) in result.stderr
