"""The state of the sandbox: a TinyDB database, its indexes and its durable log."""

from sandbox.store.patching import PatchFailure
from sandbox.store.store import Record, Store
from sandbox.store.validation import StateError
from sandbox.store.wal import StorageFailure, WriteAheadLog

__all__ = ["PatchFailure", "Record", "StateError", "StorageFailure", "Store", "WriteAheadLog"]
