"""Payment terms: an account's own "Net N" terms beside the global defaults every account shares.

The defaults are the rows v4's installer seeds with ``account_id`` 0 (``GET /static`` lists them as
``defaultPaymentTerms``). They are read-only, so the sandbox builds them from the static data instead
of storing them; their timestamps are the ones v4.5.50's ``database/setup.sql`` gives them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sandbox.errors import ValidationError
from sandbox.models.accounts import Env
from sandbox.models.php import leading_number, php_string
from sandbox.models.static_data import StaticData
from sandbox.store import Record, Store

#: When setup.sql's default rows were written: Net 0 (``num_days`` -1) came three seconds later.
DEFAULTS_CREATED = 1541743429
NET_0_CREATED = 1541743432
#: MySQL's signed INT column range, where a non-strict connection clamps ``num_days``.
INT_MAX = 2147483647

_PHP_NUMERIC = re.compile(r"^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def net_days(term: Mapping[str, Any]) -> int:
    """``PaymentTerm::getNumDays``: -1 encodes "Net 0"."""
    days = int(term.get("num_days") or 0)
    return 0 if days == -1 else days


def default_terms(static: StaticData) -> list[Record]:
    """The global defaults as records of account 0, in their database order."""
    terms = []
    for position, row in enumerate(static.tables["defaultPaymentTerms"]):
        created = NET_0_CREATED if row["num_days"] == -1 else DEFAULTS_CREATED
        terms.append(
            {
                "num_days": row["num_days"],
                "name": row["name"],
                "account_id": 0,
                "user_id": None,
                "public_id": row["public_id"],
                "created_at": created,
                "updated_at": created,
                "deleted_at": None,
                # Below every stored record's id: the defaults are the table's first rows.
                "doc_id": position - len(static.tables["defaultPaymentTerms"]),
            }
        )
    return terms


def account_terms(store: Store, account_id: int) -> list[Record]:
    """The account's own terms that are not archived, oldest first."""
    return [term for term in store.rows("payment_terms", account_id) if term.get("deleted_at") is None]


def _is_numeric(value: Any) -> bool:
    """PHP 7's ``is_numeric`` (Laravel's ``numeric`` rule)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _PHP_NUMERIC.match(value) is not None


def _taken(env: Env, value: Any) -> bool:
    """Both ``unique`` rules: MySQL compares the input as a number with every live term's days."""
    wanted = float(value) if isinstance(value, int | float) else leading_number(str(value))
    terms = [*default_terms(env.static), *account_terms(env.store, env.account_id)]
    return any(float(term["num_days"]) == wanted for term in terms)


def validate_new_term(env: Env, data: Mapping[str, Any]) -> None:
    """``CreatePaymentTermRequest``: ``num_days`` required, numeric, unique in the account and defaults."""
    value = data.get("num_days")
    if value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}:
        raise ValidationError({"num_days": ["The num days field is required."]})
    messages = []
    if not _is_numeric(value):
        messages.append("The num days must be a number.")
    if not isinstance(value, list | dict) and _taken(env, value):
        messages.append("The num days has already been taken.")
    if messages:
        raise ValidationError({"num_days": messages})


def parse_days(value: Any) -> int:
    """``Utils::parseInt``: every character but a digit is dropped (so "-1" is 1 and "1.5" is 15)."""
    digits = re.sub(r"[^0-9]", "", php_string(value) or "")
    return min(int(digits), INT_MAX) if digits else 0


def create_term(env: Env, data: Mapping[str, Any]) -> Record:
    """``PaymentTermApiController@store``: a new "Net N" term of the account."""
    days = parse_days(data.get("num_days"))
    return env.store.insert(
        "payment_terms",
        {
            "num_days": days,
            "name": f"Net {days}",
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "public_id": env.store.next_public_id("payment_terms", env.account_id),
            "created_at": env.now,
            "updated_at": env.now,
            "deleted_at": None,
        },
    )


def term_for_days(env: Env, raw: str) -> Record | None:
    """The live term ``DELETE /payment_terms/{num_days}`` names: a default, else the account's own.

    MySQL reads the path segment as a number (``"abc"`` is 0). v4 searches every account's terms;
    the sandbox searches only the caller's and the defaults (FIDELITY.md).
    """
    wanted = leading_number(raw)
    for term in [*default_terms(env.static), *account_terms(env.store, env.account_id)]:
        if float(term["num_days"]) == wanted:
            return term
    return None
