"""Expenses (``ExpenseRequest::sanitize``, ``ExpenseService::save``, ``ExpenseRepository::save``).

Nothing is validated. Related records are named by public id and stored that way; an id that names
nothing is stored as NULL. Dates go through ``Utils::toSqlDate`` with the default format, because
the API loads no localisation for expenses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from sandbox.errors import RecordNotFoundError, ValidationError
from sandbox.models import expense_categories as categories
from sandbox.models import fields as f
from sandbox.models.accounts import Env
from sandbox.models.activities import Activity, record_activity
from sandbox.models.dates import DEFAULT_FORMAT, to_sql_date
from sandbox.models.documents import delete_document
from sandbox.models.php import leading_number, parse_float, php_round, route_id, truthy
from sandbox.models.vendors import save_vendor
from sandbox.store import Record

EXPENSE_FIELDS: dict[str, f.Kind] = {
    "client_id": "int",
    "vendor_id": "int",
    "expense_currency_id": "int",
    "expense_date": "string",
    "invoice_currency_id": "int",
    "amount": "decimal",
    "foreign_amount": "decimal",
    "exchange_rate": "decimal",
    "private_notes": "string",
    "public_notes": "string",
    "bank_id": "int",
    "transaction_id": "string",
    "expense_category_id": "int",
    "tax_rate1": "decimal",
    "tax_name1": "string",
    "tax_rate2": "decimal",
    "tax_name2": "string",
    "payment_date": "string",
    "payment_type_id": "int",
    "transaction_reference": "string",
    "invoice_documents": "bool",
    "should_be_invoiced": "bool",
    "custom_value1": "string",
    "custom_value2": "string",
}

#: ``setNullValues``: fillables whose name contains ``_id`` are stored as NULL when falsy.
_NULLED = tuple(name for name in EXPENSE_FIELDS if "_id" in name)

NEW_EXPENSE: dict[str, Any] = {
    **dict.fromkeys(EXPENSE_FIELDS),
    "amount": 0.0,
    "exchange_rate": 1.0,
    "private_notes": "",
    "invoice_documents": False,
    "should_be_invoiced": False,
    "invoice_id": None,
    "is_deleted": False,
    "deleted_at": None,
}

_MINUS_ONE = re.compile(r"^\s*-0*1(\.0*)?$")


def _is_minus_one(value: Any) -> bool:
    """PHP's ``$value == '-1'``."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return value == -1
    return isinstance(value, str) and bool(_MINUS_ONE.match(value))


def validate_expense(data: Mapping[str, Any]) -> None:
    """No rules in v4; only values no column could hold are refused."""
    errors = f.type_errors(EXPENSE_FIELDS, data)
    ids = data.get("document_ids")
    if truthy(ids) and not isinstance(ids, list | dict):
        errors["document_ids"] = ["The document ids must be an array."]
    for name in ("expense_category_name", "vendor_name"):
        if isinstance(data.get(name), list | dict):
            errors[name] = [f"The {f.attribute_name(name)} must be a string."]
    if errors:
        raise ValidationError(errors)


def _existing(env: Env, table: str, raw: Any) -> int | None:
    """``getPrivateId``: the public id of the account's record (trashed included), else NULL."""
    public_id = route_id(raw)
    if public_id is None:
        return None
    found = env.store.get_public(table, env.account_id, public_id)
    return None if found is None else int(found["public_id"])


def sanitize(env: Env, data: Mapping[str, Any]) -> dict[str, Any]:
    """``ExpenseRequest::sanitize`` and ``ExpenseService::save``: resolve, and maybe create, relations.

    ``-1`` with ``expense_category_name`` creates a category when the name passes the create rules
    (required, unique), else the expense gets none; ``-1`` with ``vendor_name`` creates a vendor
    (with one blank contact) when the name is not empty. This runs on every create, update and
    delete, as v4's request validation does.
    """
    resolved = dict(data)
    category_id = data.get("expense_category_id")
    if _is_minus_one(category_id):
        name = str(f.coerce("string", data.get("expense_category_name")) or "").strip()
        wanted = {"name": name}
        if categories.name_errors(env.store, env.account_id, wanted, None):
            resolved["expense_category_id"] = None
        else:
            resolved["expense_category_id"] = categories.save_category(env, wanted)["public_id"]
    elif truthy(category_id):
        resolved["expense_category_id"] = _existing(env, "expense_categories", category_id)
    vendor_id = data.get("vendor_id")
    if _is_minus_one(vendor_id):
        name = str(f.coerce("string", data.get("vendor_name")) or "").strip()
        resolved["vendor_id"] = save_vendor(env, {"name": name})[0]["public_id"] if name else None
    elif truthy(vendor_id):
        resolved["vendor_id"] = _existing(env, "vendors", vendor_id)
    if truthy(data.get("client_id")):
        resolved["client_id"] = _existing(env, "clients", data["client_id"])
    return resolved


def _fill(env: Env, data: Mapping[str, Any], expense: Record | None) -> dict[str, Any]:
    fields = f.fill(EXPENSE_FIELDS, data)
    for key in ("expense_date", "payment_date"):
        if data.get(key) is not None:
            value = to_sql_date(fields[key], DEFAULT_FORMAT)
            fields[key] = value if truthy(value) else None
    currency = int(env.account.get("currency_id") or 1)
    for key in ("expense_currency_id", "invoice_currency_id"):
        if not fields.get(key, (expense or {}).get(key)):
            fields[key] = currency
    rate = parse_float(data["exchange_rate"]) if data.get("exchange_rate") is not None else 1.0
    fields["exchange_rate"] = php_round(rate, 4)
    if data.get("amount") is not None:
        fields["amount"] = php_round(parse_float(data["amount"]), 2)
    for key in _NULLED:
        if key in fields and not truthy(fields[key]):
            fields[key] = None
    return fields


class Saved(NamedTuple):
    """What ``save_expense`` did: the expense, whether it is new, and the documents it deleted."""

    expense: Record
    created: bool
    removed_documents: list[Record]


def save_expense(env: Env, data: Mapping[str, Any], expense: Record | None = None) -> Saved:
    """Create or update an expense (``data`` already sanitized).

    The files of removed documents are the caller's to release once the writes are durable.
    """
    store = env.store
    if expense is None and truthy(data.get("public_id")):
        # ``Expense::scope($id)`` leaves out archived expenses; any id (even negative) is looked up.
        expense = store.get_public("expenses", env.account_id, route_id(data["public_id"]) or 0)
        if expense is None or expense.get("deleted_at") is not None:
            raise RecordNotFoundError()
    if expense is not None and expense.get("is_deleted"):
        return Saved(expense, False, [])

    fields = _fill(env, data, expense)
    creating = expense is None
    if expense is None:
        expense = store.insert(
            "expenses",
            {
                **NEW_EXPENSE,
                **fields,
                "account_id": env.account_id,
                "user_id": env.actor.user_id,
                "public_id": store.next_public_id("expenses", env.account_id),
                "created_at": env.now,
                "updated_at": env.now,
            },
        )
        record_activity(env, Activity.CREATE_EXPENSE, _client(env, expense), expense=expense)
        env.fire("create_expense", "expenses", expense)
    else:
        changed = {k: v for k, v in fields.items() if expense.get(k) != v}
        if changed:
            expense = store.update("expenses", expense["doc_id"], {**changed, "updated_at": env.now})
            record_activity(env, Activity.UPDATE_EXPENSE, _client(env, expense), expense=expense)
            env.fire("update_expense", "expenses", expense)

    removed = _documents(env, expense, data.get("document_ids"), creating)
    return Saved(expense, creating, removed)


def _client(env: Env, expense: Record) -> Record | None:
    client_id = expense.get("client_id")
    return None if client_id is None else env.store.get_public("clients", env.account_id, int(client_id))


def _intval(value: Any) -> int:
    """PHP's ``intval``: the integer part, 0 for what is not a number."""
    if isinstance(value, list | dict):
        return 1 if value else 0
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else 0
    return int(leading_number(str(value)))


def _documents(env: Env, expense: Record, raw: Any, creating: bool) -> list[Record]:
    """Attach ``document_ids``; on update, delete the expense's documents that are not listed."""
    store = env.store
    values = (list(raw.values()) if isinstance(raw, dict) else raw) if truthy(raw) else []
    ids = [_intval(value) for value in values]
    for public_id in ids:
        document = store.get_public("documents", env.account_id, public_id) if public_id else None
        if document is not None:
            store.update(
                "documents",
                document["doc_id"],
                {"invoice_id": None, "expense_id": expense["public_id"], "updated_at": env.now},
            )
    if creating:
        return []
    removed = []
    for document in store.find("documents", "expense_id", expense["public_id"], env.account_id):
        if document["public_id"] not in ids:
            removed.append(delete_document(env, document))
    return removed
