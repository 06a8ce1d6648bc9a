"""The state of the sandbox: a TinyDB database, its indexes and its durable log."""

from sandbox.store.store import Record, Store
from sandbox.store.wal import StorageFailure, WriteAheadLog

__all__ = ["Record", "StorageFailure", "Store", "WriteAheadLog"]
