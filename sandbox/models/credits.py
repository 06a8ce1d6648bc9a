"""Credits: created by hand, by overpayments and by deleted credit payments; consumed by credit payments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.models.accounts import Env
from sandbox.models.activities import Activity, record_activity
from sandbox.models.dates import account_date_format, to_sql_date
from sandbox.models.php import parse_float, php_round
from sandbox.store import Record


def credit_balance(env: Env, client: Record) -> float:
    """The client's unused credit: the sum of its live credits' balances."""
    credits = env.store.find("credits", "client_id", client["public_id"], env.account_id)
    live = (c for c in credits if c.get("deleted_at") is None and not c.get("is_deleted"))
    return php_round(sum(float(c.get("balance") or 0) for c in live), 2)


def new_credit(env: Env, client: Record, amount: float, *, private_notes: str = "", **fields: Any) -> Record:
    """Insert a credit (``Credit::createNew``) and log ``CREATE_CREDIT``."""
    credit = env.store.insert(
        "credits",
        {
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "public_id": env.store.next_public_id("credits", env.account_id),
            "client_id": client["public_id"],
            "amount": amount,
            "balance": amount,
            "credit_date": env.today.isoformat(),
            "credit_number": "",
            "private_notes": private_notes,
            "public_notes": "",
            "is_deleted": False,
            **fields,
            "created_at": env.now,
            "updated_at": env.now,
            "deleted_at": None,
        },
    )
    record_activity(env, Activity.CREATE_CREDIT, client, credit=credit)
    return credit


def save_credit(
    env: Env, data: Mapping[str, Any], client: Record | None, credit: Record | None = None
) -> Record:
    """``CreditRepository::save``: a new credit from the request, or the named fields of one."""
    date_format = account_date_format(env.static, env.account)
    fields: Record = {}
    if data.get("credit_date") is not None:
        fields["credit_date"] = to_sql_date(data["credit_date"], date_format)
    if data.get("amount") is not None:
        fields["amount"] = php_round(parse_float(data["amount"]), 2)
    if data.get("balance") is not None:
        fields["balance"] = php_round(parse_float(data["balance"]), 2)
    for name in ("public_notes", "private_notes"):
        if name in data:
            fields[name] = data[name]
    if credit is None:
        assert client is not None
        amount = float(fields.pop("amount", 0.0))
        fields.setdefault("balance", amount)
        return new_credit(env, client, amount, **fields)
    if credit.get("is_deleted"):
        return credit
    changed = {k: v for k, v in fields.items() if credit.get(k) != v}
    if not changed:
        return credit
    return env.store.update("credits", credit["doc_id"], {**changed, "updated_at": env.now})


def apply_credits(env: Env, client: Record, amount: float) -> None:
    """Use the client's credits, oldest first, for ``amount`` (``Credit::apply``)."""
    credits = env.store.find("credits", "client_id", client["public_id"], env.account_id)
    usable = sorted(
        (c for c in credits if c.get("deleted_at") is None and float(c.get("balance") or 0) > 0),
        key=lambda c: (c.get("created_at") or 0, c["doc_id"]),
    )
    remaining = amount
    for credit in usable:
        balance = float(credit["balance"])
        applied = min(balance, remaining)
        env.store.update(
            "credits", credit["doc_id"], {"balance": php_round(balance - applied, 2), "updated_at": env.now}
        )
        remaining = php_round(remaining - applied, 2)
        if not remaining:
            break
