"""Everything one running sandbox holds: store, static tables, clock, journal and seeded RNG."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from random import Random
from typing import Any

import orjson

from sandbox.bounded import BoundedLog
from sandbox.clock import Clock
from sandbox.coverage_tally import CoverageTally
from sandbox.documents_store import DocumentFiles, record_key
from sandbox.faults import Faults
from sandbox.journal import Journal
from sandbox.models.static_data import StaticData
from sandbox.outbox import Outbox
from sandbox.seed import build_state
from sandbox.settings import Settings
from sandbox.snapshots import Snapshot, Snapshots
from sandbox.store import Store, WriteAheadLog
from sandbox.throttle import Throttle, ThrottleConfig
from sandbox.webhooks import Webhooks

log = logging.getLogger("sandbox")
SERVER_ERRORS_KEPT = 100


@dataclass
class Runtime:
    """The state behind the app, created at start-up and closed at shutdown."""

    settings: Settings
    store: Store
    static: StaticData
    clock: Clock
    journal: Journal
    rng: Random
    seed: int
    fixtures: str
    outbox: Outbox
    webhooks: Webhooks
    documents: DocumentFiles
    seeds: dict[tuple[str, int], bytes] = field(default_factory=dict)
    #: Unexpected exceptions met while answering API requests (``/__admin/errors``), newest kept.
    server_errors: BoundedLog[dict[str, Any]] = field(default_factory=lambda: BoundedLog(SERVER_ERRORS_KEPT))
    #: ``ApiCheck``'s login throttle (always on, v4's numbers), per client address.
    login_throttle: Throttle = field(default_factory=lambda: Throttle(ThrottleConfig()))
    #: Fault rules and the switch for the throttle a hosted v4 applies to every route.
    faults: Faults = field(default_factory=Faults)
    #: Named snapshots of the data (``/__admin/snapshots``), kept across resets.
    snapshots: Snapshots = field(default_factory=Snapshots)
    #: The answers counted for ``/__admin/coverage``, kept across resets.
    coverage: CoverageTally = field(default_factory=CoverageTally)
    #: The dataset, seed and store version right after the last reset: while they still hold, the
    #: data is the seeded data and a reset to the same dataset has no data to swap.
    pristine: tuple[str, int, int] | None = None

    @classmethod
    def open(cls, settings: Settings, seeds: dict[tuple[str, int], bytes] | None = None) -> Runtime:
        """Open (or create and seed) the data file named by the settings.

        ``seeds`` is a cache of generated datasets, shared by the namespaces of one server.
        """
        static = StaticData.load()
        seeds = {} if seeds is None else seeds

        def seeded() -> dict[str, dict[str, object]]:
            # Generated only when the data is new: an existing data file is reused as it is.
            key = (settings.fixtures, settings.seed)
            if key not in seeds:
                seeds[key] = build_state(settings.fixtures, settings.seed, settings.token, static)
            state_json = seeds[key]
            state: dict[str, dict[str, object]] = orjson.loads(state_json)
            return state

        documents = DocumentFiles.for_settings(settings)
        if settings.in_memory:
            store = Store(seeded())
        else:
            wal = WriteAheadLog(settings.data, fsync=settings.fsync)
            if wal.exists():
                state = wal.load()
                wal.open()
                store = Store(state, wal)
            else:
                wal.meta = {"fixtures": settings.fixtures, "seed": settings.seed}
                store = Store(seeded(), wal)
                documents.prepare_seed()  # the seeded files are on disk before the rows naming them
                wal.fold_now(store.state)
                wal.open()
        documents.sync(store)
        return cls(
            settings=settings,
            store=store,
            static=static,
            clock=Clock(),
            journal=Journal(settings.journal_limit),
            outbox=Outbox(settings.journal_limit),
            webhooks=Webhooks(settings.journal_limit),
            documents=documents,
            rng=Random(settings.seed),
            seed=settings.seed,
            fixtures=settings.fixtures,
            seeds=seeds,
            faults=Faults.from_settings(settings),
        )

    def seeded_state(self, fixtures: str, seed: int) -> bytes:
        """The seeded database for a dataset and seed, generated once and then reused."""
        key = (fixtures, seed)
        if key not in self.seeds:
            self.seeds[key] = build_state(fixtures, seed, self.settings.token, self.static)
        return self.seeds[key]

    def reset(self, fixtures: str | None = None, seed: int | None = None) -> None:
        """Back to the seeded state (optionally another dataset or seed), real time and an empty journal."""
        fixtures = fixtures or self.fixtures
        seed = self.seed if seed is None else seed
        seeded = self.seeded_state(fixtures, seed)  # may raise DatasetError: change nothing then
        self.fixtures, self.seed = fixtures, seed
        if self.pristine != (fixtures, seed, self.store.version):
            # Seeded files first, so a crash after the swap never leaves a seeded row without its
            # file; the files of the old state's uploads go after it.
            self.documents.prepare_seed()
            self.store.replace_state(seeded)
            self.documents.sync(self.store)
        if self.store.wal is not None:
            self.store.wal.meta = {"fixtures": self.fixtures, "seed": self.seed}
        self.rng = Random(self.seed)
        self.clock.reset()
        self.journal.clear()
        self.outbox.clear()
        self.webhooks.clear()
        self.server_errors.clear()
        self.login_throttle.reset()
        self.faults.reset(self.seed)
        self.pristine = (fixtures, seed, self.store.version)

    # -- the whole state at once (``/__admin/state`` and ``/__admin/snapshots``) ------------------------
    # These change the data only: the journal, outbox, webhook log, clock and admin settings stay.

    def replace_state(self, state: Any) -> None:
        """Swap in a whole new database (``StateError`` if it is none); files no row names are removed."""
        self.store.replace_checked(state)
        self.documents.sync(self.store)

    def patch_state(self, ops: Any) -> int:
        """Apply a JSON Patch to the database, all or nothing (``PatchFailure`` if it cannot apply)."""
        count = self.store.apply_patch(ops)
        self.documents.sync(self.store)
        return count

    def save_snapshot(self, name: str) -> tuple[Snapshot, bool]:
        """Save the data under ``name``; True when a snapshot of that name was replaced."""
        files: dict[str, bytes] = {}
        for document in self.store.all("documents"):
            key = record_key(document)
            data = None if key is None else self.documents.read(key)
            if key is not None and data is not None:
                files[key] = data
        snapshot = Snapshot(
            name=name,
            created=self.clock.now(),
            state=self.store.dump(),
            files=files,
            fixtures=self.fixtures,
            seed=self.seed,
            rng_state=self.rng.getstate(),
        )
        return snapshot, self.snapshots.save(snapshot)

    def restore_snapshot(self, snapshot: Snapshot) -> None:
        """Bring back a snapshot's data, its dataset name, seed and random generator."""
        # Its files first, so a crash after the swap never leaves a row without its file.
        for key, data in snapshot.files.items():
            self.documents.write(key, data)
        self.store.replace_state(snapshot.state)
        self.documents.sync(self.store)
        self.fixtures, self.seed = snapshot.fixtures, snapshot.seed
        if self.store.wal is not None:
            self.store.wal.meta = {"fixtures": self.fixtures, "seed": self.seed}
        self.rng.setstate(snapshot.rng_state)

    async def close(self) -> None:
        """Finish webhook deliveries, fold the log into the data file and close it."""
        await self.webhooks.close()
        await self.store.close()

    def discard_files(self) -> None:
        """Remove the data file, its log and its documents (a deleted namespace's); after ``close``."""
        wal = self.store.wal
        if wal is not None:
            wal.path.unlink(missing_ok=True)
            wal.wal_path.unlink(missing_ok=True)
        self.documents.discard()
