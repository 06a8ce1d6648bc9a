"""Seed factory: an account's products, tax rates, payment terms, and some clients' stored payment methods."""

from __future__ import annotations

from typing import Any

from sandbox.seed.builder import SeedBuilder

#: (product_key, notes, cost) of the demo catalogue: a small services company.
PRODUCTS: tuple[tuple[str, str, float], ...] = (
    ("CONSULT", "Consulting, per hour", 150.0),
    ("DESIGN", "Design work, per hour", 95.0),
    ("DEV", "Software development, per hour", 120.0),
    ("SUPPORT", "Monthly support plan", 450.0),
    ("HOSTING", "Managed hosting, monthly", 79.99),
    ("AUDIT", "Security audit (fixed price)", 2400.0),
    ("TRAINING", "On-site training day", 1250.0),
    ("LICENSE", "Software licence, per seat", 19.5),
    ("ITEM", "Item", 10.0),
)
TAX_RATES: tuple[tuple[str, float], ...] = (("Sales Tax", 8.25), ("VAT", 20.0), ("Reduced", 5.0))
#: The account's own payment terms, beside the global defaults (Net 0, 7, 10, 14, 15, 30, 60, 90).
PAYMENT_TERMS: tuple[int, ...] = (45,)


def seed_catalog(builder: SeedBuilder, account: dict[str, Any], user: dict[str, Any]) -> None:
    """The account's products, tax rates and payment terms."""
    created = int(account["created_at"])
    for key, notes, cost in PRODUCTS:
        taxed = builder.rng.random() < 0.3
        builder.insert(
            "products",
            {
                "account_id": account["doc_id"],
                "user_id": user["doc_id"],
                "product_key": key,
                "notes": notes,
                "cost": cost,
                "qty": 1.0,
                "tax_name1": "Sales Tax" if taxed else "",
                "tax_rate1": 8.25 if taxed else 0.0,
                "tax_name2": "",
                "tax_rate2": 0.0,
                "custom_value1": None,
                "custom_value2": None,
                "is_deleted": False,
                "created_at": created,
                "updated_at": created,
                "deleted_at": None,
            },
        )
    for name, rate in TAX_RATES:
        builder.insert(
            "tax_rates",
            {
                "account_id": account["doc_id"],
                "user_id": user["doc_id"],
                "name": name,
                "rate": rate,
                "is_inclusive": False,
                "created_at": created,
                "updated_at": created,
                "deleted_at": None,
            },
        )
    for days in PAYMENT_TERMS:
        builder.insert(
            "payment_terms",
            {
                "account_id": account["doc_id"],
                "user_id": user["doc_id"],
                "num_days": days,
                "name": f"Net {days}",
                "created_at": created,
                "updated_at": created,
                "deleted_at": None,
            },
        )


def seed_payment_methods(
    builder: SeedBuilder, account: dict[str, Any], clients: list[dict[str, Any]], share: float = 0.25
) -> None:
    """A stored card for some clients (what ``auto_bill`` charges after credits)."""
    for client in clients:
        if builder.rng.random() >= share:
            continue
        builder.insert(
            "payment_methods",
            {
                "account_id": account["doc_id"],
                "user_id": client["user_id"],
                "client_id": client["public_id"],
                "payment_type_id": builder.rng.choice((6, 7, 8)),
                "last4": f"{builder.rng.randint(0, 9999):04d}",
                "expiration": f"20{builder.rng.randint(27, 31)}-{builder.rng.randint(1, 12):02d}-01",
                "created_at": client["created_at"],
                "updated_at": client["created_at"],
                "deleted_at": None,
            },
        )
