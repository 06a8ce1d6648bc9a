"""The tools every seed factory uses: one seeded RNG, one seeded Faker, and id bookkeeping."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from random import Random
from typing import TYPE_CHECKING, Any

from sandbox.models.static_data import StaticData

if TYPE_CHECKING:
    from faker import Faker

#: (Faker locale, country id, currency id, language id) for the regions demo clients come from.
REGIONS: tuple[tuple[str, int, int, int], ...] = (
    ("en_US", 840, 1, 1),
    ("en_US", 840, 1, 1),
    ("en_GB", 826, 2, 1),
    ("de_DE", 276, 3, 3),
    ("fr_FR", 250, 3, 4),
    ("en_CA", 124, 9, 1),
    ("en_AU", 36, 12, 1),
    ("nl_NL", 528, 3, 1),
)
LOCALES = tuple(dict.fromkeys(region[0] for region in REGIONS))

_FAKERS: dict[tuple[str, ...], Faker] = {}


def shared_faker() -> Faker:
    """One Faker per process: building one costs far more than re-seeding it."""
    if LOCALES not in _FAKERS:
        from faker import Faker  # loaded when data is generated, not at every start-up

        _FAKERS[LOCALES] = Faker(list(LOCALES))
    return _FAKERS[LOCALES]


@dataclass
class SeedBuilder:
    """A dataset being generated: the TinyDB state plus helpers that keep ids consistent."""

    seed: int
    anchor: date
    static: StaticData
    state: dict[str, dict[str, Any]] = field(default_factory=dict)
    _next_doc: dict[str, int] = field(default_factory=lambda: defaultdict(lambda: 1))
    _next_public: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(lambda: 1))

    def __post_init__(self) -> None:
        self.rng = Random(self.seed)
        self.faker = shared_faker()
        self.faker.seed_instance(self.seed)

    @property
    def anchor_ts(self) -> int:
        """The dataset's "now": every generated time is at or before it."""
        return int(datetime(self.anchor.year, self.anchor.month, self.anchor.day, tzinfo=UTC).timestamp())

    def key(self) -> str:
        """A 32-character lower-case key from the seeded RNG."""
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(self.rng.choice(alphabet) for _ in range(32))

    def past(self, max_days: int, min_days: int = 0) -> int:
        """A timestamp between ``max_days`` and ``min_days`` before the anchor."""
        return self.anchor_ts - self.rng.randint(min_days * 86400, max_days * 86400)

    def faker_for(self, locale: str) -> Any:
        """The Faker proxy of one locale."""
        return self.faker[locale]

    def insert(self, table: str, doc: dict[str, Any], *, public: bool = True) -> dict[str, Any]:
        """Add a record; scoped records get the account's next public id unless one is given."""
        doc_id = self._next_doc[table]
        self._next_doc[table] += 1
        if public and "public_id" not in doc:
            counter = (table, int(doc["account_id"]))
            doc["public_id"] = self._next_public[counter]
            self._next_public[counter] += 1
        self.state.setdefault(table, {})[str(doc_id)] = doc
        return {**doc, "doc_id": doc_id}

    def update(self, table: str, doc_id: int, fields: dict[str, Any]) -> None:
        """Change fields of a record already generated."""
        self.state[table][str(doc_id)].update(fields)
