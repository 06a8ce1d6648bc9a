"""Seed factory (being built)."""

from __future__ import annotations

from sandbox.models.static_data import StaticData
from sandbox.seed.builder import SeedBuilder
from sandbox.store import Record, Store


def seed_spending(
    store: Store, static: StaticData, builder: SeedBuilder, account: Record, owner: Record
) -> None:
    """Nothing yet."""
