"""The activity log, and the client balance it moves (``ActivityRepository::create``).

v4 changes a client's ``balance`` and ``paid_to_date`` only by recording an activity: each one
carries the ``adjustment`` and the client's balance after it. Keeping that single path here keeps
balances and the activity log in step.
"""

from __future__ import annotations

from enum import IntEnum

from sandbox.models.accounts import Env
from sandbox.models.php import php_round
from sandbox.store import Record


class Activity(IntEnum):
    """``ACTIVITY_TYPE_*`` (the ones the sandbox records)."""

    CREATE_CLIENT = 1
    ARCHIVE_CLIENT = 2
    DELETE_CLIENT = 3
    CREATE_INVOICE = 4
    UPDATE_INVOICE = 5
    EMAIL_INVOICE = 6
    ARCHIVE_INVOICE = 8
    DELETE_INVOICE = 9
    CREATE_PAYMENT = 10
    ARCHIVE_PAYMENT = 12
    DELETE_PAYMENT = 13
    CREATE_CREDIT = 14
    ARCHIVE_CREDIT = 16
    DELETE_CREDIT = 17
    CREATE_QUOTE = 18
    UPDATE_QUOTE = 19
    EMAIL_QUOTE = 20
    ARCHIVE_QUOTE = 22
    DELETE_QUOTE = 23
    RESTORE_QUOTE = 24
    RESTORE_INVOICE = 25
    RESTORE_CLIENT = 26
    RESTORE_PAYMENT = 27
    RESTORE_CREDIT = 28
    APPROVE_QUOTE = 29
    CREATE_VENDOR = 30
    ARCHIVE_VENDOR = 31
    DELETE_VENDOR = 32
    RESTORE_VENDOR = 33
    CREATE_EXPENSE = 34
    ARCHIVE_EXPENSE = 35
    DELETE_EXPENSE = 36
    RESTORE_EXPENSE = 37
    CREATE_TASK = 42
    UPDATE_TASK = 43
    ARCHIVE_TASK = 44
    DELETE_TASK = 45
    RESTORE_TASK = 46
    UPDATE_EXPENSE = 47


def record_activity(
    env: Env,
    activity_type: Activity,
    client: Record | None,
    *,
    invoice: Record | None = None,
    payment: Record | None = None,
    credit: Record | None = None,
    task: Record | None = None,
    expense: Record | None = None,
    contact_id: int | None = None,
    adjustment: float = 0.0,
    paid_to_date: float = 0.0,
    notes: str = "",
) -> Record:
    """Log an activity and apply its balance and paid-to-date changes to the client."""
    store = env.store
    if client is not None:
        client = store.get("clients", client["doc_id"]) or client
    balance = php_round(float((client or {}).get("balance") or 0) + adjustment, 2) if client else 0.0
    activity = store.insert(
        "activities",
        {
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "activity_type_id": int(activity_type),
            "client_id": client["public_id"] if client else None,
            "client_doc_id": client["doc_id"] if client else None,
            "invoice_id": invoice["public_id"] if invoice else None,
            "payment_id": payment["public_id"] if payment else None,
            "credit_id": credit["public_id"] if credit else None,
            "task_id": task["public_id"] if task else None,
            "expense_id": expense["public_id"] if expense else None,
            "contact_id": contact_id,
            "is_system": False,
            "notes": notes,
            "adjustment": php_round(adjustment, 2),
            "balance": balance,
            "created_at": env.now,
            "updated_at": env.now,
        },
    )
    if client is not None and (adjustment or paid_to_date):
        paid = php_round(float(client.get("paid_to_date") or 0) + paid_to_date, 2)
        store.update(
            "clients", client["doc_id"], {"balance": balance, "paid_to_date": paid, "updated_at": env.now}
        )
    return activity
