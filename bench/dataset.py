"""The large dataset: the demo data grown to N invoices for the demo account, written through the store.

The demo state is generated as usual, then ``clients`` more clients (one contact each) and enough
invoices to reach ``invoices`` are added for account 1. Each new invoice copies a demo invoice's
fields and line items, gets the next public id and invoice number, one of the new clients and a
random date in the three years before the demo's anchor, and one invitation to the client's
contact. The demo's own clients keep exactly their demo invoices, so a request about one of them
(``?client_id=1``) answers the same records on both datasets and only the table's size differs.
Client balances are not reconciled with the added invoices: the data is for timing reads and writes.

Run as ``python -m bench.dataset OUT.json [--invoices N]``; the bench caches the file it builds.
"""

from __future__ import annotations

import argparse
import string
from pathlib import Path
from random import Random
from typing import Any

import orjson

from sandbox.models.static_data import StaticData
from sandbox.seed import build_state
from sandbox.store import Store, WriteAheadLog
from sandbox.store.wal import write_atomically

ACCOUNT_ID = 1
ANCHOR = 1767225600  # 2026-01-01, the demo dataset's "now"
THREE_YEARS = 3 * 365 * 86400


def _key(rng: Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(32))


def _add_clients(store: Store, rng: Random, count: int) -> list[int]:
    """``count`` new clients with one contact each; their public ids."""
    template = store.rows("clients", ACCOUNT_ID)[0]
    contact_template = store.find("contacts", "client_id", template["public_id"], ACCOUNT_ID)[0]
    added = []
    for number in range(count):
        created = ANCHOR - rng.randint(THREE_YEARS, THREE_YEARS + 86400 * 365)
        public_id = store.next_public_id("clients", ACCOUNT_ID)
        client = {k: v for k, v in template.items() if k != "doc_id"}
        client.update(
            public_id=public_id,
            name=f"Bench Client {number + 1}",
            id_number="",
            balance=0.0,
            paid_to_date=0.0,
            created_at=created,
            updated_at=created,
            deleted_at=None,
            is_deleted=False,
        )
        store.insert("clients", client)
        contact = {k: v for k, v in contact_template.items() if k != "doc_id"}
        contact.update(
            public_id=store.next_public_id("contacts", ACCOUNT_ID),
            client_id=public_id,
            first_name="Bench",
            last_name=f"Contact {number + 1}",
            email=f"bench{number + 1}@example.com",
            contact_key=_key(rng),
            is_primary=True,
            created_at=created,
            updated_at=created,
            deleted_at=None,
        )
        store.insert("contacts", contact)
        added.append(public_id)
    return added


def _templates(store: Store) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The demo's standard invoices with their items, as patterns for new ones."""
    found = []
    for invoice in store.rows("invoices", ACCOUNT_ID):
        if invoice.get("invoice_type_id") != 1 or invoice.get("is_recurring") or invoice.get("deleted_at"):
            continue
        items = store.find("invoice_items", "invoice_id", invoice["public_id"], ACCOUNT_ID)
        if items:
            found.append((invoice, items))
    return found


def _add_invoices(store: Store, rng: Random, count: int, clients: list[int]) -> None:
    templates = _templates(store)
    primary = {
        contact["client_id"]: contact["public_id"]
        for contact in reversed(store.rows("contacts", ACCOUNT_ID))
        if contact.get("deleted_at") is None
    }
    for _ in range(count):
        template, items = rng.choice(templates)
        client_id = rng.choice(clients)
        created = ANCHOR - rng.randint(0, THREE_YEARS)
        updated = created + rng.randint(0, 30 * 86400)
        public_id = store.next_public_id("invoices", ACCOUNT_ID)
        invoice = {k: v for k, v in template.items() if k != "doc_id"}
        invoice.update(
            public_id=public_id,
            client_id=client_id,
            invoice_number=f"{public_id:06d}",
            created_at=created,
            updated_at=updated,
            deleted_at=None,
            is_deleted=False,
        )
        store.insert("invoices", invoice)
        for item in items:
            line = {k: v for k, v in item.items() if k != "doc_id"}
            line.update(
                public_id=store.next_public_id("invoice_items", ACCOUNT_ID),
                invoice_id=public_id,
                created_at=created,
                updated_at=created,
            )
            store.insert("invoice_items", line)
        contact_id = primary.get(client_id)
        if contact_id is not None:
            store.insert(
                "invitations",
                {
                    "account_id": ACCOUNT_ID,
                    "user_id": invoice.get("user_id"),
                    "invoice_id": public_id,
                    "contact_id": contact_id,
                    "public_id": store.next_public_id("invitations", ACCOUNT_ID),
                    "invitation_key": _key(rng),
                    "sent_date": None,
                    "viewed_date": None,
                    "created_at": created,
                    "updated_at": created,
                    "deleted_at": None,
                },
            )


def build(path: Path, invoices: int = 100_000, clients: int = 1_000, seed: int = 1) -> None:
    """Write a data file (and an empty log) holding the demo data grown to ``invoices`` invoices."""
    state = orjson.loads(build_state("demo", seed, "TOKEN", StaticData.load()))
    store = Store(state)
    rng = Random(seed)
    added = _add_clients(store, rng, max(1, clients))
    existing = len(store.doc_ids("invoices", ACCOUNT_ID))
    _add_invoices(store, rng, max(0, invoices - existing), added)
    path.parent.mkdir(parents=True, exist_ok=True)
    wal = WriteAheadLog(path)
    wal.meta = {"fixtures": "demo", "seed": seed}
    write_atomically(path, wal.snapshot_bytes(store.state))


def main() -> None:
    """Build a data file from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=1_000)
    args = parser.parse_args()
    build(args.out, args.invoices, args.clients)


if __name__ == "__main__":
    main()
