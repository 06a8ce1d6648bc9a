"""Who is acting and with what: the account, its user, the store, the clock's reading, the RNG."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from sandbox.models.static_data import StaticData
from sandbox.store import Record, Store


@dataclass(frozen=True)
class Actor:
    """The account and user a request runs as (``Auth::user()`` and its account)."""

    account: Record
    user: Record

    @property
    def account_id(self) -> int:
        """The account's internal id, which scopes every record."""
        return int(self.account["doc_id"])

    @property
    def user_id(self) -> int:
        """The user's internal id, stored as ``user_id`` on what they create."""
        return int(self.user["doc_id"])


@dataclass(frozen=True)
class Env:
    """Everything a business rule may touch for one request."""

    store: Store
    static: StaticData
    actor: Actor
    now: int
    rng: Random

    @property
    def account_id(self) -> int:
        """Shortcut for ``actor.account_id``."""
        return self.actor.account_id

    def new_key(self) -> str:
        """A 32-character lower-case key (``strtolower(str_random(32))``), from the seeded RNG."""
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(self.rng.choice(alphabet) for _ in range(32))
