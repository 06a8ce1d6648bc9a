"""TinyDB tables whose writes cost the same whatever the table's size.

TinyDB's ``Table._update_table`` copies the whole table into a fresh ``{int: doc}`` dict before
every insert, update or remove, and back again afterwards. That is fine for a few hundred rows and
ruinous at 100,000. ``FastTable`` hands the updater a live view over the stored ``{str: doc}``
mapping instead, so one write touches one document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Table


class _IntKeyView(MutableMapping[int, Any]):
    """The stored table (keyed by ``str(doc_id)``) seen through the ``int`` keys TinyDB uses."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    def __getitem__(self, key: int) -> Any:
        return self._raw[str(key)]

    def __setitem__(self, key: int, value: Any) -> None:
        self._raw[str(key)] = value

    def __delitem__(self, key: int) -> None:
        del self._raw[str(key)]

    def __contains__(self, key: object) -> bool:
        return str(key) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class FastTable(Table):
    """A TinyDB table that updates its stored mapping in place."""

    def _update_table(self, updater: Callable[[dict[int, Mapping[Any, Any]]], None]) -> None:
        tables = self._storage.read()
        if tables is None:
            tables = {}
            self._storage.write(tables)
        raw = tables.setdefault(self.name, {})
        # The updaters only index, assign, delete and test membership, which the view supports.
        updater(cast(dict[int, Mapping[Any, Any]], _IntKeyView(raw)))
        self.clear_cache()


class SandboxDB(TinyDB):
    """An in-memory TinyDB over a given state dict, with ``FastTable`` tables."""

    table_class = FastTable
    default_table_name = "_default"

    def __init__(self, state: dict[str, dict[str, Any]]) -> None:
        super().__init__(storage=MemoryStorage)
        cast(MemoryStorage, self.storage).memory = state

    @property
    def state(self) -> dict[str, dict[str, Any]]:
        """The raw ``{table: {doc_id: document}}`` mapping, which is exactly the data file's layout."""
        memory = cast(dict[str, dict[str, Any]], cast(MemoryStorage, self.storage).memory)
        return memory

    def drop_table_cache(self, name: str) -> None:
        """Forget TinyDB's cached ``Table`` object of a table whose storage was removed."""
        self._tables.pop(name, None)

    def raw_table(self, name: str) -> Mapping[str, Any]:
        """The stored documents of one table, read-only by convention."""
        return self.state.get(name, {})
