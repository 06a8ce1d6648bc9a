"""Durability: a TinyDB JSON snapshot plus an append-only log of JSON Patch operations.

The layout on disk, for ``--data sandbox-data.json``:

* ``sandbox-data.json`` is a complete TinyDB database. It is only ever replaced whole (written to a
  temporary file, flushed, then renamed over the old one), so it is valid JSON at every instant.
  Its ``_sandbox`` table records the sequence number of the last log entry folded into it.
* ``sandbox-data.json.wal`` holds one line per committed write: ``{"seq": N, "ops": [...]}``, where
  ``ops`` is an RFC 6902 patch against the database document. A line is written (and, with
  ``--fsync``, synced) before the response that acknowledges it is sent, so an answered write
  survives ``kill -9``. A line torn by a crash was never acknowledged and is dropped at start.

Folding writes a fresh snapshot and then cuts the log down to the entries that arrived while the
snapshot was being written. It starts once the log is as large as the snapshot (and at least
``FOLD_THRESHOLD_BYTES``), so the cost of writing snapshots stays proportional to what is logged,
whatever the size of the data. Because every entry carries its sequence number, a crash between any
two steps of a fold replays correctly: entries already in the snapshot are skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonpatch
import orjson
from jsonpointer import JsonPointerException

from sandbox.store.frozen import in_slices, table_copy, to_json

META_TABLE = "_sandbox"
META_DOC_ID = "1"
FOLD_THRESHOLD_BYTES = 8 * 1024 * 1024
#: A background fold serializes this many records at a time, then lets the event loop answer requests.
FOLD_SLICE_RECORDS = 1_000


class StorageFailure(Exception):
    """The data file or its log could not be written."""


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink inside ``path`` durable (errors ignored: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(path: Path, payload: bytes | Sequence[bytes]) -> None:
    """Replace ``path`` with ``payload`` (bytes, or pieces of it in order) so that readers see the
    old or the new file, never a mix."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            if isinstance(payload, bytes):
                handle.write(payload)
            else:
                handle.writelines(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StorageFailure(f"could not write {path}: {exc.strerror or exc}") from exc
    fsync_dir(path.parent)


async def _serialize_in_slices(tables: dict[str, Mapping[str, Any]], tail: dict[str, Any]) -> list[bytes]:
    """``orjson.dumps({**tables, **tail})`` as pieces to write in order, a slice of records per turn
    of the event loop.

    The pieces are never joined: for a large database that would copy the whole text several
    times over in one step, stalling every request for as long.
    """
    pieces: list[bytes] = [b"{"]
    for name, docs in tables.items():
        pieces.append(orjson.dumps(name) + b":{")
        first = True
        for part in in_slices(docs, FOLD_SLICE_RECORDS):
            if part:
                if not first:
                    pieces.append(b",")
                pieces.append(orjson.dumps(part, default=to_json)[1:-1])
                first = False
            await asyncio.sleep(0)
        pieces.append(b"},")
    pieces.append(orjson.dumps(tail)[1:])
    return pieces


class WriteAheadLog:
    """The snapshot file and its log, for one ``--data`` path."""

    def __init__(self, data_path: str | os.PathLike[str], *, fsync: bool = False) -> None:
        self.path = Path(data_path)
        self.wal_path = self.path.with_name(self.path.name + ".wal")
        self.fsync = fsync
        self.seq = 0
        self._fd: int | None = None
        #: Bytes in the log, kept here rather than asked of the file system at every commit.
        self._log_bytes = 0
        self._folding: asyncio.Task[None] | None = None
        self.meta: dict[str, Any] = {}
        #: Bytes in the data file as last read or written.
        self.snapshot_size = 0

    # -- start-up ---------------------------------------------------------------------------------

    def exists(self) -> bool:
        """True when a data file (or a log) from an earlier run is there."""
        return self.path.exists() or self.wal_path.exists()

    def load(self) -> dict[str, Any]:
        """Read the snapshot, replay the log over it and return the state."""
        state: dict[str, Any] = {}
        if self.path.exists():
            try:
                data = self.path.read_bytes()
                self.snapshot_size = len(data)
                state = orjson.loads(data)
                del data
            except (OSError, orjson.JSONDecodeError) as exc:
                raise StorageFailure(f"{self.path} is not a readable sandbox data file: {exc}") from exc
            if not isinstance(state, dict):
                raise StorageFailure(f"{self.path} does not hold a TinyDB database")
        meta = state.pop(META_TABLE, {}).get(META_DOC_ID, {})
        self.meta = dict(meta)
        self.seq = int(meta.get("log_seq", 0))
        state = self._replay(state)
        return state

    def _replay(self, state: dict[str, Any]) -> dict[str, Any]:
        if not self.wal_path.exists():
            return state
        data = self.wal_path.read_bytes()
        good_end = 0
        position = 0
        while position < len(data):
            newline = data.find(b"\n", position)
            if newline < 0:
                break  # a torn last line: never acknowledged
            line = data[position:newline]
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:
                break
            try:
                seq = int(entry["seq"])
                if seq > self.seq:
                    state = jsonpatch.apply_patch(state, entry["ops"], in_place=True)
                    self.seq = seq
            except (
                KeyError,
                TypeError,
                ValueError,
                jsonpatch.JsonPatchException,
                JsonPointerException,
            ) as exc:
                raise StorageFailure(
                    f"{self.wal_path}: the entry at byte {position} cannot be applied ({exc}); "
                    "move the file away to start from the data file alone"
                ) from exc
            position = newline + 1
            good_end = position
        if good_end < len(data):
            try:
                with open(self.wal_path, "r+b") as handle:
                    handle.truncate(good_end)
            except OSError as exc:  # a read-only disk, say: fail at start with the reason, not a traceback
                raise StorageFailure(f"cannot write {self.wal_path}: {exc.strerror or exc}") from exc
        return state

    def open(self) -> None:
        """Open the log for appending."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._fd = os.open(self.wal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            self._log_bytes = os.fstat(self._fd).st_size
        except OSError as exc:
            raise StorageFailure(f"cannot write {self.wal_path}: {exc.strerror or exc}") from exc

    # -- writing ----------------------------------------------------------------------------------

    def append(self, ops: list[dict[str, Any]]) -> None:
        """Write one committed transaction to the log before it is acknowledged."""
        self.append_encoded(orjson.dumps(ops))

    def append_encoded(self, ops_json: bytes) -> None:
        """Like ``append`` for a patch that is already JSON text."""
        seq = self.seq + 1
        line = b'{"seq":%d,"ops":%s}\n' % (seq, ops_json)
        self._write(line)
        self.seq = seq

    def _write(self, line: bytes) -> None:
        if self._fd is None:
            self.open()
        assert self._fd is not None
        view = memoryview(line)
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            if self.fsync:
                os.fsync(self._fd)
        except OSError as exc:
            # Leave no torn line behind: the next append must start on a clean line.
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self._log_bytes)
            raise StorageFailure(f"cannot write {self.wal_path}: {exc.strerror or exc}") from exc
        self._log_bytes += len(line)

    def log_size(self) -> int:
        """Bytes in the log now."""
        return 0 if self._fd is None else self._log_bytes

    # -- folding ----------------------------------------------------------------------------------

    def snapshot_bytes(self, state: dict[str, Any]) -> bytes:
        """The data file's text for ``state`` at the current sequence number."""
        return orjson.dumps({**state, **self._meta_table()}, default=to_json)

    def _meta_table(self) -> dict[str, Any]:
        """The ``_sandbox`` table a snapshot ends with: the dataset and the last folded sequence number."""
        return {META_TABLE: {META_DOC_ID: {**self.meta, "log_seq": self.seq}}}

    def fold_now(self, state: dict[str, Any]) -> None:
        """Fold synchronously: a fresh snapshot, then an empty log."""
        payload = self.snapshot_bytes(state)
        write_atomically(self.path, payload)
        self.snapshot_size = len(payload)
        self._cut_log(self.log_size())

    async def fold(self, state: dict[str, Any]) -> None:
        """Fold without blocking the event loop: serialized a slice at a time, written from a thread.

        Serializing a large database in one call would stall every request for as long as it takes
        (tens of milliseconds per 10,000 invoices). Each table is copied first, in one quick step, which
        fixes the snapshot at this instant: the store replaces a record on every change, never edits one
        in place.
        """
        tables = {name: table_copy(docs) for name, docs in state.items() if name != META_TABLE}
        tail = self._meta_table()
        folded_until = self.log_size()
        pieces = await _serialize_in_slices(tables, tail)
        await asyncio.to_thread(write_atomically, self.path, pieces)
        self.snapshot_size = sum(map(len, pieces))
        self._cut_log(folded_until)

    def _cut_log(self, folded_until: int) -> None:
        """Keep only the log entries written after the snapshot was taken."""
        tail = b""
        if self.wal_path.exists():
            with open(self.wal_path, "rb") as handle:
                handle.seek(folded_until)
                tail = handle.read()
        write_atomically(self.wal_path, tail)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self.open()

    def maybe_fold(self, state_provider: Callable[[], dict[str, Any]]) -> None:
        """Start a background fold once the log has grown past the threshold."""
        if self._folding is not None and not self._folding.done():
            return
        if self.log_size() < max(FOLD_THRESHOLD_BYTES, self.snapshot_size):
            return
        self._folding = asyncio.get_running_loop().create_task(self.fold(state_provider()))

    async def close(self, state: dict[str, Any]) -> None:
        """Finish any fold, fold the rest and close the log."""
        if self._folding is not None:
            with contextlib.suppress(Exception):
                await self._folding
        self.fold_now(state)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
