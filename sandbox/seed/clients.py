"""Seed factory: clients with one to three contacts each, from the v4 country and currency tables."""

from __future__ import annotations

from typing import Any

from sandbox.seed.builder import REGIONS, SeedBuilder


def _contact(
    builder: SeedBuilder, account: dict[str, Any], client: dict[str, Any], fake: Any, primary: bool
) -> None:
    first, last = fake.first_name(), fake.last_name()
    domain = client["website"].removeprefix("https://www.") if client["website"] else fake.free_email_domain()
    local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    local = local.encode("ascii", "ignore").decode() or "contact"
    updated = client["created_at"] + builder.rng.randint(0, 86400)
    builder.insert(
        "contacts",
        {
            "account_id": account["doc_id"],
            "user_id": client["user_id"],
            "client_id": client["public_id"],
            "first_name": first,
            "last_name": last,
            "email": f"{local}@{domain}",
            "phone": fake.phone_number(),
            "send_invoice": True,
            "is_primary": primary,
            "contact_key": builder.key(),
            "custom_value1": None,
            "custom_value2": None,
            "last_login": None,
            "created_at": client["created_at"],
            "updated_at": updated,
            "deleted_at": None,
        },
    )


def seed_clients(
    builder: SeedBuilder, account: dict[str, Any], user: dict[str, Any], count: int
) -> list[dict[str, Any]]:
    """``count`` believable clients of an account, each with its contacts."""
    clients = []
    industries = builder.static.tables["industries"]
    for _ in range(count):
        locale, country_id, currency_id, language_id = builder.rng.choice(REGIONS)
        fake = builder.faker_for(locale)
        name = fake.company()
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20] or "example"
        created = builder.past(360, 30)
        client = builder.insert(
            "clients",
            {
                "account_id": account["doc_id"],
                "user_id": user["doc_id"],
                "name": name,
                "id_number": None,
                "vat_number": None,
                "work_phone": fake.phone_number(),
                "address1": fake.street_address(),
                "address2": None,
                "city": fake.city(),
                "state": fake.administrative_unit() if locale in ("en_US", "en_AU", "en_CA") else None,
                "postal_code": fake.postcode(),
                "country_id": country_id,
                "private_notes": None,
                "public_notes": None,
                "custom_value1": None,
                "custom_value2": None,
                "custom_messages": {},
                "size_id": builder.rng.randint(1, 6),
                "industry_id": builder.rng.choice(industries)["id"],
                "currency_id": currency_id,
                "language_id": language_id,
                "payment_terms": builder.rng.choice((0, 0, 7, 14, 30)),
                "invoice_number_counter": 1,
                "quote_number_counter": 1,
                "credit_number_counter": 0,
                "task_rate": 0.0,
                "shipping_address1": None,
                "shipping_address2": None,
                "shipping_city": None,
                "shipping_state": None,
                "shipping_postal_code": None,
                "shipping_country_id": None,
                "website": f"https://www.{slug}.example",
                "show_tasks_in_portal": False,
                "send_reminders": True,
                "balance": 0.0,
                "paid_to_date": 0.0,
                "last_login": None,
                "is_deleted": False,
                "created_at": created,
                "updated_at": created,
                "deleted_at": None,
            },
        )
        for index in range(builder.rng.choice((1, 1, 2, 2, 3))):
            _contact(builder, account, client, fake, index == 0)
        clients.append(client)
    return clients
