"""Named snapshots of the sandbox's data, kept in memory for fast restores.

A snapshot holds what the data is made of and nothing else: the database as JSON text, the bytes of
every document file it names, the dataset and seed it came from, and the state of the seeded random
generator (so that replaying the same requests after a restore hands out the same keys and numbers).
The request journal, the outbox, webhook deliveries, the clock and admin settings (faults, webhook
settings) are not part of a snapshot: a restore leaves them as they are. Snapshots live as long as
the process and survive ``POST /__admin/reset``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Names are used in URLs: letters, digits, ``.``, ``_`` and ``-``, at most 100 characters.
SNAPSHOT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class Snapshot:
    """One saved state."""

    name: str
    created: float
    state: bytes
    files: Mapping[str, bytes]
    fixtures: str
    seed: int
    rng_state: tuple[Any, ...]

    @property
    def size(self) -> int:
        """Bytes held: the database's JSON text plus the document files."""
        return len(self.state) + sum(len(data) for data in self.files.values())

    def to_json(self) -> dict[str, Any]:
        """The snapshot as the admin API lists it."""
        return {"name": self.name, "created": self.created, "size": self.size}


class Snapshots:
    """The saved snapshots by name, oldest first."""

    def __init__(self) -> None:
        self._by_name: dict[str, Snapshot] = {}

    def save(self, snapshot: Snapshot) -> bool:
        """Keep ``snapshot`` (replacing one of the same name); True when it replaced one."""
        replaced = self._by_name.pop(snapshot.name, None) is not None
        self._by_name[snapshot.name] = snapshot
        return replaced

    def get(self, name: str) -> Snapshot | None:
        """The snapshot called ``name``, or None."""
        return self._by_name.get(name)

    def delete(self, name: str) -> bool:
        """Forget the snapshot called ``name``; False when there was none."""
        return self._by_name.pop(name, None) is not None

    def all(self) -> list[Snapshot]:
        """Every snapshot, oldest first."""
        return list(self._by_name.values())
