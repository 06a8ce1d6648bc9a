"""The bytes of uploaded documents, kept beside the data file (or in memory for ``--data :memory:``).

For ``--data sandbox-data.json`` the files live in ``sandbox-data.json.documents/``, one folder per
account (its internal id) and one file per content: ``<account id>/<sha1>.<type>``. Like v4, a file
is stored once per account however many documents share it, and removed when the last one goes.
Names are built from the account id, the SHA-1 of the bytes and a type from v4's fixed list, and
checked before any file is touched, so nothing a client or a dataset says can reach another path.

Crash safety follows the data file's write-ahead log:

* an upload's bytes are written to a temporary file, synced, renamed into place and the folder
  synced **before** the document's row is committed, so a committed row always has its file;
* a deleted document's file is removed only **after** the row's removal is committed;
* what a crash can leave behind is a file no row names; ``sync`` removes those at start-up and
  after a reset.

Seeded documents get their bytes from the seed: ``remember_seed_file`` keeps them (per process,
keyed like the files) and ``sync`` writes the ones the state names and the folder lacks.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path
from typing import Any

from sandbox.settings import Settings
from sandbox.store import Record, Store
from sandbox.store.wal import StorageFailure, fsync_dir, write_atomically

TABLE = "documents"
#: v4's ``Document::$types``: the stored type (the normalised extension) and its MIME type.
DOCUMENT_TYPES: dict[str, str] = {
    "png": "image/png",
    "ai": "application/postscript",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
    "pdf": "application/pdf",
    "gif": "image/gif",
    "psd": "image/vnd.adobe.photoshop",
    "txt": "text/plain",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_HASH = re.compile(r"[0-9a-f]{40}")
_FILE_NAME = re.compile(r"([0-9a-f]{40})\.([a-z]{2,4})")

#: Bytes of seeded documents, by file key; filled whenever a dataset is generated in this process.
_SEED_FILES: dict[str, bytes] = {}


def file_key(account_id: Any, sha1: Any, doc_type: Any) -> str | None:
    """``<account id>/<sha1>.<type>`` when every part is what it must be, else None."""
    if not isinstance(account_id, int) or isinstance(account_id, bool) or account_id < 0:
        return None
    if not isinstance(sha1, str) or not _HASH.fullmatch(sha1):
        return None
    if doc_type not in DOCUMENT_TYPES:
        return None
    return f"{account_id}/{sha1}.{doc_type}"


def record_key(document: Record) -> str | None:
    """The file key of a document row."""
    return file_key(document.get("account_id"), document.get("hash"), document.get("type"))


def remember_seed_file(key: str, data: bytes) -> None:
    """Keep a seeded document's bytes so that ``sync`` can write them after a reset."""
    _SEED_FILES[key] = data


class DocumentFiles:
    """Document bytes by file key: a folder on disk, or a dict when the data is in memory."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._memory: dict[str, bytes] = {}

    @classmethod
    def for_settings(cls, settings: Settings) -> DocumentFiles:
        """The store beside ``settings.data`` (``<data>.documents/``), or in memory."""
        if settings.in_memory:
            return cls(None)
        data = Path(settings.data)
        return cls(data.with_name(data.name + ".documents"))

    def discard(self) -> None:
        """Forget every file (a deleted namespace's): the folder on disk, or the dict in memory."""
        self._memory.clear()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)

    def _path(self, key: str) -> Path:
        assert self.root is not None
        account, _, name = key.partition("/")
        if not account.isdigit() or not _FILE_NAME.fullmatch(name):
            raise ValueError(f"not a document file key: {key!r}")
        return self.root / account / name

    # -- reading ----------------------------------------------------------------------------------

    def read(self, key: str) -> bytes | None:
        """The bytes stored under ``key``, or None when there are none."""
        if self.root is None:
            return self._memory.get(key)
        try:
            return self._path(key).read_bytes()
        except (OSError, ValueError):
            return None

    def exists(self, key: str) -> bool:
        """True when bytes are stored under ``key``."""
        if self.root is None:
            return key in self._memory
        return self._path(key).is_file()

    # -- writing ----------------------------------------------------------------------------------

    def write(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key``, synced to disk before this returns; a file already there is kept."""
        if self.root is None:
            self._memory.setdefault(key, data)
            return
        path = self._path(key)
        if path.is_file():
            return
        try:
            created = not path.parent.is_dir()
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageFailure(f"cannot create {path.parent}: {exc.strerror or exc}") from exc
        if created:
            fsync_dir(self.root)
            fsync_dir(self.root.parent)
        write_atomically(path, data)

    def remove(self, key: str) -> None:
        """Forget the bytes under ``key`` (a missing file is not an error: it is what removal wants)."""
        if self.root is None:
            self._memory.pop(key, None)
            return
        with contextlib.suppress(OSError, ValueError):
            self._path(key).unlink()

    def release(self, store: Store, account_id: int, key: str | None) -> None:
        """Remove a file once no document of the account names it any more (``Document::deleted``)."""
        if key is None:
            return
        for doc_id in store.doc_ids(TABLE, account_id):
            if record_key(store.raw(TABLE, doc_id)) == key:
                return
        self.remove(key)

    # -- start-up and reset -----------------------------------------------------------------------

    def _stored_keys(self) -> list[str]:
        if self.root is None:
            return list(self._memory)
        if not self.root.is_dir():
            return []
        keys = []
        for folder in self.root.iterdir():
            if not folder.is_dir() or not folder.name.isdigit():
                continue
            for item in folder.iterdir():
                if item.name.startswith(".") and item.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        item.unlink()  # a write a crash interrupted
                elif _FILE_NAME.fullmatch(item.name):
                    keys.append(f"{folder.name}/{item.name}")
        return keys

    def prepare_seed(self) -> None:
        """Write every seeded file this process knows, before a reset swaps the state in."""
        for key, data in _SEED_FILES.items():
            self.write(key, data)

    def sync(self, store: Store) -> None:
        """Make the files match the rows: seeded files written, files no row names removed."""
        wanted: set[str] = set()
        for document in store.all(TABLE):
            key = record_key(document)
            if key is not None:
                wanted.add(key)
        for key in sorted(wanted):
            if key in _SEED_FILES and not self.exists(key):
                self.write(key, _SEED_FILES[key])
        for key in self._stored_keys():
            if key not in wanted:
                self.remove(key)
