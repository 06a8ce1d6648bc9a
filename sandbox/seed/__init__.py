"""Datasets: the bundled ``demo`` (generated with Faker from the seed) or a file given by path.

A dataset file is JSON. Either it describes what to generate (``{"generate": {...}}``, as the bundled
``fixtures/demo.json`` does), or it is a complete TinyDB state (``{"clients": {"1": {...}}, ...}``,
as ``GET /__admin/state`` returns), loaded as is. Generating runs one factory per entity type, in
order, from one seeded RNG and one seeded Faker: the same seed gives byte-identical data.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from sandbox.models.static_data import StaticData
from sandbox.seed.accounts import new_account, new_token, new_user
from sandbox.seed.billing import seed_billing
from sandbox.seed.builder import SeedBuilder
from sandbox.seed.catalog import seed_catalog, seed_payment_methods
from sandbox.seed.clients import seed_clients
from sandbox.seed.documents import seed_documents
from sandbox.seed.spending import seed_spending
from sandbox.seed.work import seed_work
from sandbox.store import Store
from sandbox.store.frozen import to_json


class DatasetError(Exception):
    """A dataset name or file that cannot be used."""


def _fixtures_dir() -> Path | None:
    bundled = resources.files("sandbox").joinpath("fixtures")
    if bundled.is_dir():
        return Path(str(bundled))
    source_tree = Path(__file__).resolve().parents[2] / "fixtures"
    return source_tree if source_tree.is_dir() else None


def bundled_datasets() -> list[str]:
    """Names of the datasets shipped with the package."""
    folder = _fixtures_dir()
    return sorted(p.stem for p in folder.glob("*.json")) if folder else []


def read_dataset(name_or_path: str) -> dict[str, Any]:
    """The dataset document for a bundled name or a file path."""
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        folder = _fixtures_dir()
        if folder is None or not (folder / f"{name_or_path}.json").exists():
            known = ", ".join(bundled_datasets()) or "none"
            raise DatasetError(f"no dataset named {name_or_path!r} (bundled: {known})")
        path = folder / f"{name_or_path}.json"
    try:
        document = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DatasetError(f"cannot read dataset {path}: {exc}") from exc
    if not isinstance(document, dict):
        raise DatasetError(f"dataset {path} is not a JSON object")
    return document


def generate(recipe: dict[str, Any], seed: int, token: str, static: StaticData) -> dict[str, Any]:
    """Run every factory over the recipe and return the TinyDB state."""
    builder = SeedBuilder(
        seed=seed, anchor=date.fromisoformat(recipe.get("anchor", "2026-01-01")), static=static
    )
    owners = []
    for index, spec in enumerate(recipe.get("accounts", [])):
        account = new_account(builder, spec)
        owner = None
        for position, user_spec in enumerate(spec.get("users", [])):
            user = new_user(builder, account, user_spec, public_id=position)
            owner = owner or user
            tokens = user_spec.get("tokens", [])
            for token_spec in tokens:
                value = token if token_spec.get("value") == "$TOKEN" and index == 0 else token_spec["value"]
                new_token(builder, account, user, value, token_spec.get("name", value))
        if owner is None:
            raise DatasetError("every account of a dataset needs at least one user")
        clients = seed_clients(builder, account, owner, int(spec.get("clients", 0)))
        if spec.get("billing", True):
            seed_catalog(builder, account, owner)
            seed_payment_methods(builder, account, clients)
        owners.append((account, owner, bool(spec.get("billing", True))))
    # The history runs last: it writes through the store, after every factory row exists.
    state = builder.state
    for account, owner, billing in owners:
        if billing:
            state = seed_billing(state, static, builder, account, owner)
            store = Store(state)
            # Vendors and expenses, then projects and tasks (some billed on the invoices above),
            # then the documents attached to invoices and expenses.
            for seeder in (seed_spending, seed_work, seed_documents):
                seeder(store, static, builder, store.get("accounts", account["doc_id"]) or account, owner)
            state = store.state
    return state


def build_state(fixtures: str, seed: int, token: str, static: StaticData) -> bytes:
    """The seeded database as JSON text, ready to load or to cache for resets."""
    document = read_dataset(fixtures)
    if "generate" in document:
        state = generate(document["generate"], seed, token, static)
    else:
        state = {k: v for k, v in document.items() if not k.startswith("_sandbox")}
    return orjson.dumps(state, default=to_json)
