"""A full disk and a read-only data file: a clear error at start, or a v4-shaped 500 while running.

The disk is a small tmpfs mounted for the test (we run as root in CI). Where mounting is not
permitted, a full disk is stood in for by ``RLIMIT_FSIZE`` on the server process (writes past the cap
fail with EFBIG, as they fail with ENOSPC on a full disk), and a read-only data file by a directory
without write permission (which only binds a non-root user). ``RELIABILITY_NO_MOUNT=1`` runs those
stand-ins even where mounting works.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rel_servers import ForkServer, Spawned

pytestmark = pytest.mark.slow

STORAGE_ERROR = {"error": {"message": "Internal Server Error"}}


@contextlib.contextmanager
def small_disk(path: Path, size: str) -> Iterator[bool]:
    """Mount a ``size`` tmpfs at ``path``; yields False (and mounts nothing) when that is not permitted."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = (
        os.geteuid() == 0
        and not os.environ.get("RELIABILITY_NO_MOUNT")
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def _remount(path: Path, mode: str) -> None:
    result = subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr


def _fill(path: Path) -> Path:
    """Write a file until the file system is full."""
    filler = path / "filler.bin"
    chunk = b"\0" * 65536
    with open(filler, "wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(chunk)
    with open(filler, "ab", buffering=0) as handle, contextlib.suppress(OSError):
        while True:  # the last few bytes, one at a time
            handle.write(b"\0")
    return filler


def _api(server: Spawned) -> httpx.Client:
    return httpx.Client(base_url=server.api, headers={"X-Ninja-Token": "TOKEN"}, timeout=30)


def _state(server: Spawned) -> Any:
    response = httpx.get(server.url + "/__admin/state", timeout=30)
    assert response.status_code == 200
    return response.json()


def _assert_storage_error(response: httpx.Response) -> None:
    assert response.status_code == 500, response.text
    assert response.json() == STORAGE_ERROR
    assert response.headers["X-Ninja-Version"] == "4.5.50"
    reason = response.headers["X-Sandbox-Error"]
    assert "No space left on device" in reason or "File too large" in reason, reason


def _no_server_errors(server: Spawned) -> None:
    errors = httpx.get(server.url + "/__admin/errors", timeout=10).json()
    assert errors["total"] == 0, errors["errors"][:1]


def _log_is_whole(data: Path) -> None:
    wal = data.with_name(data.name + ".wal")
    lines = wal.read_bytes().splitlines(keepends=True)
    assert all(line.endswith(b"\n") and json.loads(line) for line in lines)


def test_a_full_disk_answers_500_changes_nothing_and_loses_no_acknowledged_write(
    fork: ForkServer, tmp_path: Path
) -> None:
    disk = tmp_path / "disk"
    with small_disk(disk, "3m") as mounted:
        data = disk / "sandbox.json"
        server = fork.spawn(data)
        with _api(server) as api:
            kept = api.post("/clients", json={"name": "Written before the disk filled"})
            assert kept.status_code == 200
            kept_id = kept.json()["data"]["id"]
            if mounted:
                filler = _fill(disk)
            else:
                # Stand-in for a full disk: restart (the log is folded away) with every file capped at 1 KiB.
                assert fork.terminate(server)[0] == 0
                server = fork.spawn(data, fsize=1024)
        with _api(server) as api:
            before = _state(server)
            refused: list[httpx.Response] = []
            squeezed_in: dict[int, str] = {}
            for attempt in range(20):  # the log's last page may still hold a small line or two
                name = f"Written on the full disk {attempt}"
                response = api.post("/clients", json={"name": name})
                if response.status_code != 200:
                    refused.append(response)
                    break
                squeezed_in[response.json()["data"]["id"]] = name
                before = _state(server)
            assert refused, "no write failed on a full disk"
            _assert_storage_error(refused[0])
            lost = f"Written on the full disk {len(squeezed_in)}"
            assert _state(server) == before  # the failed write left nothing behind in memory
            invoice = {"client_id": kept_id, "invoice_items": [{"product_key": "Disk", "qty": 1, "cost": 5}]}
            _assert_storage_error(api.post("/invoices", json=invoice))
            upload = api.post("/documents", files={"file": ("full.txt", b"x" * 200_000, "text/plain")})
            _assert_storage_error(upload)
            assert _state(server) == before
            listed = api.get(f"/clients/{kept_id}")  # reads go on
            assert listed.status_code == 200
            assert listed.json()["data"]["name"] == "Written before the disk filled"
            _no_server_errors(server)

            if mounted:
                filler.unlink()
                after = api.post("/clients", json={"name": "Written once space was back"})
                assert after.status_code == 200
                after_id = after.json()["data"]["id"]
        assert fork.kill(server)[0] == -9
        _log_is_whole(data)

        again = fork.spawn(data)
        with _api(again) as api:
            names = {
                row["id"]: row["name"] for row in api.get("/clients", params={"per_page": -1}).json()["data"]
            }
            assert names[kept_id] == "Written before the disk filled"
            assert lost not in names.values()
            for client_id, name in squeezed_in.items():  # acknowledged, so kept
                assert names[client_id] == name
            if mounted:
                assert names[after_id] == "Written once space was back"
        assert fork.terminate(again)[0] == 0
        json.loads(data.read_bytes())


def test_a_new_data_file_on_a_full_disk_is_a_clear_error_at_start(fork: ForkServer, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    with small_disk(disk, "1m") as mounted:
        data = disk / "sandbox.json"
        if mounted:
            _fill(disk)
        status, output = fork.refused_start(data, fsize=None if mounted else 64 * 1024)
        assert status == 2, output
        assert f"ninja-sandbox: could not write {data}" in output
        assert "No space left on device" in output or "File too large" in output
        assert "Traceback" not in output
        assert "serving" not in output
        assert not data.exists()  # nothing half-written is left to be mistaken for a data file
        assert not [p.name for p in disk.iterdir() if p.name.endswith(".tmp")]


def test_a_read_only_data_file_is_a_clear_error_at_start(fork: ForkServer, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    with small_disk(disk, "4m") as mounted:
        if not mounted and os.geteuid() == 0:
            pytest.skip(
                "root ignores file permissions and cannot mount here: no way to make a file read-only"
            )
        data = disk / "sandbox.json"
        server = fork.spawn(data)
        with _api(server) as api:
            created = api.post("/clients", json={"name": "Before read-only"})
            assert created.status_code == 200
        assert fork.kill(server)[0] == -9  # the write is only in the log: replaying it needs no write
        snapshot, log = data.read_bytes(), data.with_name(data.name + ".wal").read_bytes()
        if mounted:
            _remount(disk, "ro")
        else:
            disk.chmod(0o555)
        try:
            status, output = fork.refused_start(data)
        finally:
            if mounted:
                _remount(disk, "rw")
            else:
                disk.chmod(0o755)
        assert status == 2, output
        assert f"ninja-sandbox: cannot write {data}.wal" in output
        assert "Read-only file system" in output or "Permission denied" in output
        assert "Traceback" not in output
        assert data.read_bytes() == snapshot
        assert data.with_name(data.name + ".wal").read_bytes() == log

        again = fork.spawn(data)  # writable again: everything is still there
        with _api(again) as api:
            names = [row["name"] for row in api.get("/clients", params={"per_page": -1}).json()["data"]]
            assert "Before read-only" in names
        assert fork.terminate(again)[0] == 0


def test_a_torn_log_on_a_read_only_disk_is_a_clear_error_at_start(fork: ForkServer, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    with small_disk(disk, "4m") as mounted:
        if not mounted:
            pytest.skip("needs a read-only mount (root and mount permission)")
        data = disk / "sandbox.json"
        server = fork.spawn(data)
        assert fork.kill(server)[0] == -9
        with open(data.with_name(data.name + ".wal"), "ab") as handle:
            handle.write(b'{"seq":1,"ops":[{"op":"add","path":"/clients/999","value":{"name":"torn')
        _remount(disk, "ro")
        try:
            status, output = fork.refused_start(data)
        finally:
            _remount(disk, "rw")
        assert status == 2, output
        assert "Traceback" not in output
        assert "ninja-sandbox: " in output
        assert "Read-only file system" in output
