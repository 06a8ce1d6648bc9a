"""Users of an account: permissions, and the rules ``UserApiController`` and ``UserController`` apply.

v4 keeps a user's permissions as a JSON list of names (``["view_client", "create_all"]``); admins
pass every permission check. Users are soft-deleted only (the table has no ``is_deleted``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.errors import ValidationError
from sandbox.models import lifecycle
from sandbox.models.accounts import Env
from sandbox.models.fields import Kind, coerce, required_errors, type_errors
from sandbox.models.php import php_string, truthy, valid_email
from sandbox.seed.accounts import password_hash
from sandbox.store import Record, Store

#: ``User::$fillable``.
FILLABLE: dict[str, Kind] = {
    "first_name": "string",
    "last_name": "string",
    "email": "string",
    "password": "string",
    "phone": "string",
}

EMAIL_INVALID = "The email must be a valid email address."
EMAIL_TAKEN = "The email has already been taken."


def permission_names(raw: Any) -> list[str]:
    """The permission names a stored ``permissions`` value holds (a JSON list, or a map's values)."""
    if isinstance(raw, dict):
        values = [key if value is True else value for key, value in raw.items() if truthy(value)]
    elif isinstance(raw, list):
        values = raw
    else:
        return []
    return [str(value) for value in values if isinstance(value, str | int) and str(value) != "0"]


def has_permission(user: Record, permission: str) -> bool:
    """``User::hasPermission``: admins have every permission."""
    return bool(user.get("is_admin")) or permission in permission_names(user.get("permissions"))


def permissions_map(user: Record) -> dict[str, bool] | list[Any]:
    """``User::permissionsMap``: ``{"view_client": true, ...}``, or ``[]`` when there are none."""
    names = permission_names(user.get("permissions"))
    return dict.fromkeys(names, True) if names else []


def users_of(store: Store, account_id: int, *, live_only: bool = True) -> list[Record]:
    """An account's users, oldest first (``$account->users`` leaves archived ones out)."""
    rows = store.rows("users", account_id)
    return [row for row in rows if not live_only or row.get("deleted_at") is None]


def email_taken(store: Store, email: str, except_doc_id: int | None = None) -> bool:
    """``unique:users,email``: any user of any account, archived ones included, case-insensitively."""
    return any(row["doc_id"] != except_doc_id for row in store.find("users", "email", email))


def email_errors(store: Store, data: Mapping[str, Any], except_doc_id: int | None = None) -> list[str]:
    """``email|required|unique:users,email[,id]``, each rule in order, as Laravel reports them."""
    messages: list[str] = []
    value = data.get("email")
    present = "email" in data and not (isinstance(value, str) and value.strip() == "")
    if present and not (isinstance(value, str) and valid_email(value)):
        messages.append(EMAIL_INVALID)
    if required_errors(data, ("email",)):
        return [*messages, "The email field is required."]
    if isinstance(value, str) and email_taken(store, value, except_doc_id):
        messages.append(EMAIL_TAKEN)
    return messages


def _check(errors: dict[str, list[str]], data: Mapping[str, Any]) -> None:
    for name, messages in type_errors(FILLABLE, data).items():
        errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def validate_update(store: Store, data: Mapping[str, Any], caller: Record) -> None:
    """``UpdateUserRequest``: a unique email (the caller's own excepted), first and last name."""
    errors: dict[str, list[str]] = {}
    email = email_errors(store, data, caller["doc_id"])
    if email:
        errors["email"] = email
    errors.update(required_errors(data, ("first_name", "last_name")))
    _check(errors, data)


def validate_create(store: Store, data: Mapping[str, Any]) -> None:
    """``UserController::save`` for a new user: first and last name, then a new unique email."""
    errors = required_errors(data, ("first_name", "last_name"))
    email = email_errors(store, data)
    if email:
        errors["email"] = email
    _check(errors, data)


def update_user(env: Env, user: Record, data: Mapping[str, Any]) -> Record:
    """``$user->fill($data)->save()``: the password is stored as sent, unhashed, as v4 does."""
    changes = {name: coerce(kind, data[name]) for name, kind in FILLABLE.items() if name in data}
    changes = {name: value for name, value in changes.items() if value != user.get(name)}
    if not changes:
        return user
    if "email" in changes:
        changes["username"] = changes["email"]  # User::setEmailAttribute
    if "password" in changes:
        changes["failed_logins"] = 0  # User::onUpdatingUser
    changes["updated_at"] = env.now
    return env.store.update("users", user["doc_id"], changes)


def archive_user(env: Env, user: Record) -> Record:
    """``UserRepository::archive``: a soft delete (``deleted_at``)."""
    return lifecycle.archive(env.store, "users", user, env.now)


def _permission_input(raw: Any) -> list[str]:
    """``formatUserPermissions``: the values of the given list, without ``0``."""
    values = list(raw.values()) if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    return [str(value) for value in values if isinstance(value, str | int) and str(value) != "0"]


def new_user_fields(account_id: int, public_id: int, now: int) -> dict[str, Any]:
    """A ``users`` row with the table's defaults."""
    return {
        "account_id": account_id,
        "public_id": public_id,
        "first_name": None,
        "last_name": None,
        "email": None,
        "username": None,
        "password": "",
        "phone": None,
        "is_admin": True,
        "permissions": [],
        "registered": False,
        "confirmed": False,
        "confirmation_code": None,
        "failed_logins": 0,
        "oauth_user_id": None,
        "oauth_provider_id": None,
        "google_2fa_secret": None,
        "notify_sent": True,
        "notify_viewed": False,
        "notify_paid": True,
        "notify_approved": True,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }


def create_user(env: Env, data: Mapping[str, Any]) -> Record:
    """A new user of the caller's account, as the settings page adds one (``UserController::save``).

    v4 gives the user a random password and mails an invitation; the sandbox also takes a
    ``password`` so that the new user can log in through the API.
    """
    email = (php_string(data.get("email")) or "").strip()
    password = data.get("password")
    fields = new_user_fields(env.account_id, env.store.next_public_id("users", env.account_id), env.now)
    fields.update(
        {
            "first_name": (php_string(data.get("first_name")) or "").strip(),
            "last_name": (php_string(data.get("last_name")) or "").strip(),
            "email": email,
            "username": email,
            "password": password_hash(password) if isinstance(password, str) and password else env.new_key(),
            "registered": True,
            "confirmation_code": env.new_key(),
            "is_admin": truthy(data.get("is_admin")),
            "permissions": _permission_input(data.get("permissions")),
        }
    )
    return env.store.insert("users", fields)


def delete_user(env: Env, user: Record) -> Record:
    """Deleting a user: a soft delete, the only kind the ``users`` table supports."""
    return lifecycle.archive(env.store, "users", user, env.now)
