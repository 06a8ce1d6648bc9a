"""Seed factory: accounts (companies), their users and API tokens."""

from __future__ import annotations

import hashlib
from typing import Any

from sandbox.seed.builder import SeedBuilder


def password_hash(password: str) -> str:
    """How a user's password is kept (v4 keeps bcrypt hashes; a sandbox needs no more than this)."""
    return hashlib.sha256(password.encode()).hexdigest()


#: The company's address and contact details, taken from the dataset as given.
ADDRESS_FIELDS = (
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "work_phone",
    "work_email",
    "vat_number",
)


def new_account(builder: SeedBuilder, spec: dict[str, Any]) -> dict[str, Any]:
    """One account with settings at v4's defaults, unless the dataset says otherwise."""
    created = builder.past(400, 380)
    account = {
        "account_key": builder.key(),
        "name": spec.get("name") or builder.faker_for("en_US").company(),
        "currency_id": spec.get("currency_id", 1),
        "country_id": spec.get("country_id", 840),
        **{name: spec.get(name, "") for name in ADDRESS_FIELDS},
        "language_id": 1,
        "timezone_id": 15,
        "date_format_id": 5,
        "datetime_format_id": 5,
        "payment_terms": spec.get("payment_terms", 0),
        "payment_type_id": 0,
        "invoice_number_counter": 1,
        "quote_number_counter": 1,
        "share_counter": True,
        "invoice_number_padding": 4,
        "invoice_number_prefix": None,
        "quote_number_prefix": None,
        "invoice_number_pattern": None,
        "quote_number_pattern": None,
        "recurring_invoice_number_prefix": "R",
        "client_number_counter": spec.get("client_number_counter", 0),
        "client_number_prefix": None,
        "credit_number_counter": 0,
        "invoice_terms": None,
        "invoice_footer": None,
        "quote_terms": None,
        "update_products": True,
        "convert_products": False,
        "fill_products": True,
        "inclusive_taxes": False,
        "custom_invoice_taxes1": False,
        "custom_invoice_taxes2": False,
        "auto_archive_invoice": False,
        "invoice_design_id": 1,
        "quote_design_id": 1,
        "plan": "pro",
        "created_at": created,
        "updated_at": created,
    }
    return builder.insert("accounts", account, public=False)


def new_user(
    builder: SeedBuilder, account: dict[str, Any], spec: dict[str, Any], public_id: int
) -> dict[str, Any]:
    """A user of an account; the owner has public id 0 and shows as id 1."""
    created = int(account["created_at"])
    user = {
        "account_id": account["doc_id"],
        "public_id": public_id,
        "first_name": spec.get("first_name", ""),
        "last_name": spec.get("last_name", ""),
        "email": spec["email"],
        "username": spec["email"],
        "password": password_hash(spec.get("password", "password")),
        "phone": spec.get("phone", ""),
        "is_admin": spec.get("is_admin", True),
        "permissions": spec.get("permissions", {}),
        "registered": True,
        "confirmed": True,
        "failed_logins": 0,
        "oauth_user_id": None,
        "oauth_provider_id": None,
        "google_2fa_secret": spec.get("google_2fa_secret"),  # a base32 TOTP secret turns on 2FA
        "notify_sent": True,
        "notify_viewed": False,
        "notify_paid": True,
        "notify_approved": True,
        "created_at": created,
        "updated_at": created,
        "deleted_at": None,
    }
    return builder.insert("users", user)


def new_token(
    builder: SeedBuilder, account: dict[str, Any], user: dict[str, Any], token: str, name: str
) -> None:
    """An API token bound to a user (the "API Tokens" page of v4's settings)."""
    builder.insert(
        "account_tokens",
        {
            "account_id": account["doc_id"],
            "user_id": user["doc_id"],
            "name": name,
            "token": token,
            "created_at": account["created_at"],
            "updated_at": account["created_at"],
            "deleted_at": None,
        },
    )
