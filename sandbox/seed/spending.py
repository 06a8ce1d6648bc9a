"""Seed factory: a year of spending: vendors with contacts, expense categories and expenses.

Everything is written through ``sandbox.models`` at its moment in the past, like the billing
history, so activities, ids and defaults are exactly what the API would have produced.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sandbox.models import trash
from sandbox.models.accounts import Actor, Env
from sandbox.models.expense_categories import save_category
from sandbox.models.expenses import save_expense
from sandbox.models.invoices import is_standard
from sandbox.models.static_data import StaticData
from sandbox.models.vendors import save_vendor
from sandbox.seed.builder import REGIONS, SeedBuilder
from sandbox.store import Record, Store

#: Categories and what an expense in each one is for.
PURPOSES: dict[str, tuple[str, ...]] = {
    "Travel": ("Flight to client site", "Hotel, two nights", "Train tickets", "Taxi from airport"),
    "Meals": ("Client lunch", "Team dinner", "Coffee with a prospect"),
    "Office Supplies": ("Printer paper and toner", "Notebooks and pens", "Desk chair"),
    "Software": ("Design tool licence", "Project tracker, annual plan", "IDE subscription"),
    "Hosting": ("Cloud servers", "Domain renewal", "Backup storage"),
    "Marketing": ("Conference booth", "Online ads", "Printed brochures"),
    "Equipment": ("Laptop", "External monitor", "Test devices"),
}
PAYMENT_TYPES = (2, 3, 4, 5, 6, 7, 8, 11)
DAY = 86400


def _day(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).date().isoformat()


def _locale(account: Record) -> str:
    for locale, country_id, _, _ in REGIONS:
        if country_id == account.get("country_id"):
            return locale
    return "en_US"


def _vendor_input(fake: Any, account: Record, contacts_wanted: int) -> dict[str, Any]:
    name = fake.company()
    slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20] or "vendor"
    contacts = []
    for _ in range(contacts_wanted):
        first, last = fake.first_name(), fake.last_name()
        local = f"{first}.{last}".lower().encode("ascii", "ignore").decode().replace(" ", "") or "sales"
        contacts.append(
            {
                "first_name": first,
                "last_name": last,
                "email": f"{local}@{slug}.example",
                "phone": fake.phone_number(),
            }
        )
    return {
        "name": name,
        "address1": fake.street_address(),
        "city": fake.city(),
        "postal_code": fake.postcode(),
        "country_id": account.get("country_id"),
        "work_phone": fake.phone_number(),
        "website": f"https://www.{slug}.example",
        "vendor_contacts": contacts,
    }


def _invoice_for(store: Store, account_id: int, client: Record, after: str) -> int | None:
    """A live standard invoice of the client dated on or after the expense, else its latest one."""
    invoices = [
        row
        for row in store.find("invoices", "client_id", client["public_id"], account_id)
        if is_standard(row) and not row.get("is_deleted") and row.get("deleted_at") is None
    ]
    invoices.sort(key=lambda row: (str(row.get("invoice_date") or ""), row["doc_id"]))
    later = [row for row in invoices if str(row.get("invoice_date") or "") >= after]
    chosen = later[0] if later else (invoices[-1] if invoices else None)
    return None if chosen is None else int(chosen["public_id"])


def seed_spending(
    store: Store, static: StaticData, builder: SeedBuilder, account: Record, owner: Record
) -> None:
    """A handful of vendors and categories, and a year of expenses, some billable or billed."""
    rng = builder.rng
    fake = builder.faker_for(_locale(account))
    actor = Actor(account, store.get("users", owner["doc_id"]) or owner)
    account_id = actor.account_id

    def env(when: int) -> Env:
        return Env(store, static, actor, when, rng)

    anchor = builder.anchor_ts - DAY
    start = anchor - 360 * DAY

    names = rng.sample(sorted(PURPOSES), rng.randint(4, 6))
    categories: list[Record] = []
    for index, name in enumerate(names):
        with store.transaction():
            categories.append(save_category(env(start + index * 3600), {"name": name}))

    vendors: list[Record] = []
    for index in range(rng.randint(4, 6)):
        wanted = _vendor_input(fake, account, 2 if index == 0 else rng.choice((1, 1, 2)))
        with store.transaction():
            vendor, _ = save_vendor(env(start + rng.randint(1, 30) * DAY), wanted)
        vendors.append(vendor)

    clients = [row for row in store.rows("clients", account_id) if row.get("deleted_at") is None]
    moments = sorted(rng.randint(start + 31 * DAY, anchor) for _ in range(rng.randint(20, 40)))
    invoiced = 0
    archived = False
    for when in moments:
        category = rng.choice(categories) if rng.random() < 0.85 else None
        purpose = rng.choice(PURPOSES[str(category["name"])]) if category else "Miscellaneous"
        data: dict[str, Any] = {
            "amount": round(rng.uniform(8, 1500), 2),
            "expense_date": _day(when),
            "public_notes": purpose,
            "private_notes": "",
            "vendor_id": rng.choice(vendors)["public_id"] if rng.random() < 0.9 else None,
            "expense_category_id": category["public_id"] if category else None,
        }
        if rng.random() < 0.25:
            data["tax_name1"], data["tax_rate1"] = "Sales Tax", 8.25
        if rng.random() < 0.7:
            data["payment_date"] = _day(when + rng.randint(0, 10) * DAY)
            data["payment_type_id"] = rng.choice(PAYMENT_TYPES)
            data["transaction_reference"] = f"exp_{rng.randint(10**7, 10**8 - 1)}"
        client = rng.choice(clients) if clients and rng.random() < 0.35 else None
        if client is not None:
            data["client_id"] = client["public_id"]
            data["should_be_invoiced"] = rng.random() < 0.6
        with store.transaction():
            expense = save_expense(env(when + 9 * 3600), data).expense
            if client is not None and data["should_be_invoiced"] and invoiced < 4 and rng.random() < 0.5:
                invoice_id = _invoice_for(store, account_id, client, _day(when))
                if invoice_id is not None:
                    # Billing an expense is the web UI's doing; the API cannot set ``invoice_id``.
                    store.update("expenses", expense["doc_id"], {"invoice_id": invoice_id})
                    invoiced += 1
            elif not archived and client is None and when < anchor - 180 * DAY:
                trash.archive_entity(env(when + 30 * DAY), "expenses", expense)
                archived = True
