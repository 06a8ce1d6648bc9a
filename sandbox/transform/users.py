"""``UserTransformer``: a user of an account (no common defaults; ``id`` is ``public_id + 1``)."""

from __future__ import annotations

from typing import Any

from sandbox.models.users import permissions_map
from sandbox.store import Record
from sandbox.transform.casts import flag, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer


def _account_key(ctx: Context, user: Record) -> str:
    if user.get("account_id") == ctx.account["doc_id"]:
        return str(ctx.account["account_key"])
    account = ctx.store.get("accounts", int(user["account_id"]))
    return str(account["account_key"]) if account else ""


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def user_fields(ctx: Context, user: Record) -> dict[str, Any]:
    """One user; ``deleted_at`` (not ``archived_at``) shows when the user was archived."""
    return {
        "id": int(user.get("public_id") or 0) + 1,
        "first_name": user.get("first_name"),
        "last_name": user.get("last_name"),
        "email": user.get("email"),
        "account_key": _account_key(ctx, user),
        "updated_at": timestamp(user.get("updated_at")),
        "deleted_at": timestamp(user.get("deleted_at")),
        "phone": user.get("phone"),
        "registered": flag(user.get("registered")),
        "confirmed": flag(user.get("confirmed")),
        "oauth_user_id": user.get("oauth_user_id"),
        "oauth_provider_id": _optional_int(user.get("oauth_provider_id")),
        "notify_sent": flag(user.get("notify_sent")),
        "notify_viewed": flag(user.get("notify_viewed")),
        "notify_paid": flag(user.get("notify_paid")),
        "notify_approved": flag(user.get("notify_approved")),
        "is_admin": flag(user.get("is_admin")),
        "permissions": permissions_map(user),
    }


USER = Transformer("user", user_fields)
