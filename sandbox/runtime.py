"""Everything one running sandbox holds: store, static tables, clock, journal and seeded RNG."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from random import Random

import orjson

from sandbox.clock import Clock
from sandbox.journal import Journal
from sandbox.models.static_data import StaticData
from sandbox.outbox import Outbox
from sandbox.seed import build_state
from sandbox.settings import Settings
from sandbox.store import Store, WriteAheadLog
from sandbox.webhooks import Webhooks

log = logging.getLogger("sandbox")


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
    seeds: dict[tuple[str, int], bytes] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, settings: Settings) -> Runtime:
        """Open (or create and seed) the data file named by the settings."""
        static = StaticData.load()
        seeds: dict[tuple[str, int], bytes] = {}

        def seeded() -> dict[str, dict[str, object]]:
            # Generated only when the data is new: an existing data file is reused as it is.
            state_json = build_state(settings.fixtures, settings.seed, settings.token, static)
            seeds[(settings.fixtures, settings.seed)] = state_json
            state: dict[str, dict[str, object]] = orjson.loads(state_json)
            return state

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
                wal.fold_now(store.state)
                wal.open()
        return cls(
            settings=settings,
            store=store,
            static=static,
            clock=Clock(),
            journal=Journal(settings.journal_limit),
            outbox=Outbox(settings.journal_limit),
            webhooks=Webhooks(settings.journal_limit),
            rng=Random(settings.seed),
            seed=settings.seed,
            fixtures=settings.fixtures,
            seeds=seeds,
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
        self.store.replace_state(seeded)
        if self.store.wal is not None:
            self.store.wal.meta = {"fixtures": self.fixtures, "seed": self.seed}
        self.rng = Random(self.seed)
        self.clock.reset()
        self.journal.clear()
        self.outbox.clear()
        self.webhooks.clear()
        self.server_errors.clear()

    async def close(self) -> None:
        """Finish webhook deliveries, fold the log into the data file and close it."""
        await self.webhooks.close()
        await self.store.close()
