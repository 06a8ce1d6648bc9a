"""Logging in through the API (``AccountApiController``, ``AccountRepository``): credentials, one-time
passwords, linked accounts, API tokens, sign-up and the login throttle.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from collections.abc import Mapping
from random import Random
from typing import Any

from sandbox.errors import ValidationError
from sandbox.models.account_settings import new_account_fields
from sandbox.models.fields import required_errors, type_errors
from sandbox.models.php import php_string
from sandbox.models.random_keys import random_key
from sandbox.models.users import FILLABLE, email_errors, new_user_fields
from sandbox.seed.accounts import password_hash
from sandbox.store import Record, Store

MAX_FAILED_LOGINS = 10
DEFAULT_TOKEN_NAME = "TOKEN"
INVALID_CREDENTIALS = "Invalid credentials"
OTP_REQUIRED = "OTP_REQUIRED"
INVALID_OTP = "Invalid one time password"
#: Only tokens named like the mobile apps' ask for the second factor (a legacy-app shim in v4).
OTP_TOKEN_MARKER = "invoice-ninja-"

# -- credentials ----------------------------------------------------------------------------------


def user_by_email(store: Store, email: Any) -> Record | None:
    """``User::where('email', $email)->first()``: archived users are not found."""
    if not isinstance(email, str):
        return None
    found = [row for row in store.find("users", "email", email) if row.get("deleted_at") is None]
    return min(found, key=lambda row: row["doc_id"]) if found else None


def password_matches(user: Record, password: Any) -> bool:
    """``Hash::check``: the password against the stored hash."""
    if not isinstance(password, str):
        return False
    stored = str(user.get("password") or "")
    return hmac.compare_digest(password_hash(password).encode(), stored.encode())


def is_locked(user: Record) -> bool:
    """Ten failed logins lock a user out of the API for good."""
    return int(user.get("failed_logins") or 0) >= MAX_FAILED_LOGINS


def count_failed_login(store: Store, user: Record, now: int) -> Record:
    """One more failed login."""
    failed = int(user.get("failed_logins") or 0) + 1
    return store.update("users", user["doc_id"], {"failed_logins": failed, "updated_at": now})


def clear_failed_logins(store: Store, user: Record, now: int) -> Record:
    """A successful login forgets earlier failures."""
    if int(user.get("failed_logins") or 0) <= 0:
        return user
    return store.update("users", user["doc_id"], {"failed_logins": 0, "updated_at": now})


def totp(secret: str, counter: int) -> str:
    """RFC 6238's six-digit code (HMAC-SHA1, 30-second steps) for one time step."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


def otp_valid(secret: str, given: Any, now: int, window: int = 1) -> bool:
    """``Google2FA::verifyKey``: the code of the current step, or of one step either side."""
    code = php_string(given) if not isinstance(given, list | dict) else None
    if not code:
        return False
    step = now // 30
    try:
        return any(hmac.compare_digest(totp(secret, step + d), code) for d in range(-window, window + 1))
    except (binascii.Error, ValueError):
        return False


def otp_error(user: Record, token_name: Any, one_time_password: Any, now: int) -> str | None:
    """The two-factor check of ``login``: only for users with a secret and ``invoice-ninja-`` tokens."""
    secret = user.get("google_2fa_secret")
    if not secret or not isinstance(token_name, str) or OTP_TOKEN_MARKER not in token_name:
        return None
    if not one_time_password or one_time_password == "0":
        return OTP_REQUIRED
    if not otp_valid(str(secret), one_time_password, now):
        return INVALID_OTP
    return None


# -- linked accounts and tokens -------------------------------------------------------------------


def linked_users(store: Store, user: Record) -> list[Record]:
    """``findUsers``: the users of a ``user_accounts`` link holding this user, else the user alone."""
    for link in sorted(store.all("user_accounts"), key=lambda row: row["doc_id"]):
        ids = [link.get(f"user_id{i}") for i in range(1, 6)]
        if user["doc_id"] in ids:
            users = [store.get("users", int(i)) for i in sorted({i for i in ids if i})]
            return [u for u in users if u is not None and u.get("deleted_at") is None]
    return [user]


def live_tokens(store: Store, user: Record) -> list[Record]:
    """The user's API tokens that are not deleted, oldest first."""
    rows = store.rows("account_tokens", int(user["account_id"]))
    return [row for row in rows if row.get("user_id") == user["doc_id"] and row.get("deleted_at") is None]


def create_tokens(store: Store, rng: Random, user: Record, token_name: Any, now: int) -> None:
    """``createTokens``: a token of that name (``TOKEN`` when blank) for every linked user lacking one."""
    name = (php_string(token_name) if not isinstance(token_name, list | dict) else None) or ""
    name = name.strip() or DEFAULT_TOKEN_NAME
    for linked in linked_users(store, user):
        # MySQL's collation finds an existing token whatever the case of its name.
        if any(str(t.get("name") or "").lower() == name.lower() for t in live_tokens(store, linked)):
            continue
        account_id = int(linked["account_id"])
        store.insert(
            "account_tokens",
            {
                "account_id": account_id,
                "user_id": linked["doc_id"],
                "public_id": store.next_public_id("account_tokens", account_id),
                "name": name,
                "token": random_key(rng),
                "created_at": now,
                "updated_at": now,
                "deleted_at": None,
            },
        )


def token_named(store: Store, user: Record, token_name: Any) -> str | None:
    """``Account::getToken``: the user's token whose name is exactly ``token_name`` (PHP ``===``)."""
    if token_name is not None and not isinstance(token_name, str):
        return None
    for token in live_tokens(store, user):
        if token.get("name") == token_name:
            return str(token["token"])
    return None


# -- sign-up --------------------------------------------------------------------------------------


def validate_registration(store: Store, data: Mapping[str, Any]) -> None:
    """``RegisterRequest``: a new unique email, first and last name, password."""
    errors: dict[str, list[str]] = {}
    email = email_errors(store, data)
    if email:
        errors["email"] = email
    errors.update(required_errors(data, ("first_name", "last_name", "password")))
    for name, messages in type_errors(FILLABLE, data).items():
        errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def register(store: Store, rng: Random, data: Mapping[str, Any], now: int, ip: str) -> Record:
    """``AccountRepository::create``: a new account (v4's defaults) and its owner; returns the user."""
    account = store.insert(
        "accounts",
        {
            **new_account_fields(),
            "account_key": random_key(rng),
            "ip": ip,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
        },
    )
    email = php_string(data.get("email"))
    user = new_user_fields(int(account["doc_id"]), 0, now)
    user.update(
        {
            "first_name": php_string(data.get("first_name")),
            "last_name": php_string(data.get("last_name")),
            "email": email,
            "username": email,
            "password": password_hash(php_string(data.get("password")) or ""),
            "confirmed": True,  # self-hosted installs skip the confirmation mail
            "registered": True,
        }
    )
    return store.insert("users", user)


# -- throttle -------------------------------------------------------------------------------------
