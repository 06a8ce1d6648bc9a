"""Who is acting and with what: the account, its user, the store, the clock's reading, the RNG."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from random import Random
from typing import Any

from sandbox.models.random_keys import random_key
from sandbox.models.static_data import StaticData
from sandbox.store import Record, Store


@dataclass(frozen=True)
class Actor:
    """The account and user a request runs as (``Auth::user()`` and its account)."""

    account: Record
    user: Record

    @cached_property
    def account_id(self) -> int:
        """The account's internal id, which scopes every record."""
        return int(self.account["doc_id"])

    @cached_property
    def user_id(self) -> int:
        """The user's internal id, stored as ``user_id`` on what they create."""
        return int(self.user["doc_id"])


@dataclass(frozen=True)
class Event:
    """A model event that webhooks may be subscribed to (``create_invoice`` and the rest)."""

    name: str
    table: str
    doc_id: int
    #: Default includes as they stood when the event fired, by include name. v4 builds the payload
    #: inside the model event, so writes later in the same save (a vendor's contacts) are not in it.
    includes: Mapping[str, tuple[Record, ...]] = field(default_factory=dict)


@dataclass
class Effects:
    """What a request does beyond the store, carried out once its writes are durable."""

    events: list[Event] = field(default_factory=list)
    emails: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Env:
    """Everything a business rule may touch for one request."""

    store: Store
    static: StaticData
    actor: Actor
    now: int
    rng: Random
    effects: Effects = field(default_factory=Effects)
    #: ``APP_URL``: where invitation links point.
    base_url: str = "http://127.0.0.1:8000"

    @cached_property
    def account_id(self) -> int:
        """Shortcut for ``actor.account_id``."""
        return self.actor.account_id

    @property
    def account(self) -> Record:
        """The account as it is stored now (counters move during a request); never mutate it."""
        return self.store.shared("accounts", self.account_id) or self.actor.account

    @cached_property
    def today(self) -> date:
        """The sandbox's current date (``date('Y-m-d')``)."""
        return datetime.fromtimestamp(self.now, UTC).date()

    def new_key(self) -> str:
        """A 32-character lower-case key (``strtolower(str_random(32))``), from the seeded RNG."""
        return random_key(self.rng)

    def fire(
        self, name: str, table: str, record: Record, *, includes: Mapping[str, list[Record]] | None = None
    ) -> None:
        """Queue a webhook event for a record; it is delivered after the request's writes.

        ``includes`` freezes default includes at this moment (see ``Event.includes``).
        """
        frozen = {key: tuple(rows) for key, rows in (includes or {}).items()}
        self.effects.events.append(Event(name, table, int(record["doc_id"]), frozen))
