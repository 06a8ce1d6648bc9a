"""Archive, delete and restore with v4's side effects per entity (``BaseRepository`` and the listeners).

``lifecycle`` flips the columns; this module adds what the ``…WasArchived``/``Deleted``/``Restored``
events do: activities (which move client balances), invoice balances for payments, refunded credit,
and the ``delete_*`` webhooks.
"""

from __future__ import annotations

from sandbox.models import invoices as inv
from sandbox.models import lifecycle
from sandbox.models import payments as pay
from sandbox.models.accounts import Env
from sandbox.models.activities import Activity, record_activity
from sandbox.store import Record

_ARCHIVED = {
    "clients": Activity.ARCHIVE_CLIENT,
    "payments": Activity.ARCHIVE_PAYMENT,
    "credits": Activity.ARCHIVE_CREDIT,
    "expenses": Activity.ARCHIVE_EXPENSE,
    "tasks": Activity.ARCHIVE_TASK,
}
_DELETED = {
    "clients": Activity.DELETE_CLIENT,
    "credits": Activity.DELETE_CREDIT,
    "expenses": Activity.DELETE_EXPENSE,
    "tasks": Activity.DELETE_TASK,
}
_RESTORED = {
    "clients": Activity.RESTORE_CLIENT,
    "credits": Activity.RESTORE_CREDIT,
    "expenses": Activity.RESTORE_EXPENSE,
    "tasks": Activity.RESTORE_TASK,
}
_WEBHOOK_DELETES = {
    "clients": "delete_client",
    "vendors": "delete_vendor",
    "expenses": "delete_expense",
    "tasks": "delete_task",
}
#: Models whose Eloquent ``updated`` event fires ``update_*``: the ``is_deleted`` flip of a delete
#: and each save of a restore count as updates.
_MODEL_UPDATES = {"vendors": "update_vendor", "expenses": "update_expense", "tasks": "update_task"}
#: ``Vendor::deleted`` fires ``delete_vendor`` on every soft delete, archive included.
_SOFT_DELETE_EVENTS = {"vendors": "delete_vendor"}
_SUBJECTS = {
    "invoices": "invoice",
    "payments": "payment",
    "credits": "credit",
    "tasks": "task",
    "expenses": "expense",
}


def _client(env: Env, table: str, record: Record) -> Record | None:
    if table == "clients":
        return env.store.get("clients", record["doc_id"])
    client_id = record.get("client_id")
    return None if client_id is None else env.store.get_public("clients", env.account_id, int(client_id))


def _log(
    env: Env, table: str, record: Record, kind: Activity, adjustment: float = 0.0, paid: float = 0.0
) -> None:
    subject = _SUBJECTS.get(table)
    refs = {subject: record} if subject else {}
    if table == "payments":
        refs["invoice"] = pay.invoice_of(env, record)
    record_activity(env, kind, _client(env, table, record), adjustment=adjustment, paid_to_date=paid, **refs)  # type: ignore[arg-type]


def archive_entity(env: Env, table: str, record: Record) -> Record:
    """Archive; logs ``ARCHIVE_*`` unless the record is deleted. No webhook."""
    if lifecycle.is_trashed(record):
        return record
    archived = lifecycle.archive(env.store, table, record, env.now)
    if not archived.get("is_deleted"):
        if table == "invoices":
            _log(
                env,
                table,
                archived,
                Activity.ARCHIVE_QUOTE if inv.is_quote(archived) else Activity.ARCHIVE_INVOICE,
            )
        elif table in _ARCHIVED:
            _log(env, table, archived, _ARCHIVED[table])
    if table in _SOFT_DELETE_EVENTS:
        env.fire(_SOFT_DELETE_EVENTS[table], table, archived)
    return archived


def delete_entity(env: Env, table: str, record: Record, *, has_flag: bool = True) -> Record:
    """Delete; balances, credit refunds, activities and ``delete_*`` webhooks follow."""
    if record.get("is_deleted"):
        return record
    if table == "payments" and pay.invoice_of(env, record).get("is_deleted"):
        return record
    if table == "invoices":
        # The ``is_deleted`` save goes through the model's update hook first, as in v4.
        record = inv.save_fields(env, record, {"is_deleted": True})
        deleted = env.store.update(table, record["doc_id"], {"deleted_at": env.now, "updated_at": env.now})
    else:
        deleted = lifecycle.delete(env.store, table, record, env.now, has_flag=has_flag)
    if table in _MODEL_UPDATES:
        env.fire(_MODEL_UPDATES[table], table, deleted)
    if table in _SOFT_DELETE_EVENTS:
        env.fire(_SOFT_DELETE_EVENTS[table], table, deleted)
    if table == "invoices":
        _invoice_deleted(env, deleted)
    elif table == "payments":
        pay.payment_deleted(env, deleted)
    elif table in _DELETED:
        _log(env, table, deleted, _DELETED[table])
    if table in _WEBHOOK_DELETES:
        env.fire(_WEBHOOK_DELETES[table], table, deleted)
    return env.store.get(table, deleted["doc_id"]) or deleted


def _invoice_deleted(env: Env, invoice: Record) -> None:
    if inv.is_quote(invoice):
        _log(env, "invoices", invoice, Activity.DELETE_QUOTE)
        env.fire("delete_quote", "invoices", invoice)
        return
    counts = inv.affects_balance(invoice)
    balance = float(invoice.get("balance") or 0)
    paid = float(invoice.get("amount") or 0) - balance
    _log(
        env,
        "invoices",
        invoice,
        Activity.DELETE_INVOICE,
        -balance if counts else 0.0,
        -paid if counts else 0.0,
    )
    env.fire("delete_invoice", "invoices", invoice)


def restore_entity(env: Env, table: str, record: Record) -> Record:
    """Restore from archived or deleted; a restore from deleted reverses the balance effects."""
    if not lifecycle.is_trashed(record) and not record.get("is_deleted"):
        return record
    if table == "payments" and pay.invoice_of(env, record).get("is_deleted"):
        return record
    from_deleted = bool(record.get("is_deleted"))
    restored = lifecycle.restore(env.store, table, record, env.now)
    if table in _MODEL_UPDATES:
        for _ in range(2 if from_deleted else 1):
            env.fire(_MODEL_UPDATES[table], table, restored)
    if table == "invoices":
        if inv.is_quote(restored):
            _log(env, table, restored, Activity.RESTORE_QUOTE)
        else:
            counts = inv.affects_balance(restored) and from_deleted
            balance = float(restored.get("balance") or 0)
            paid = float(restored.get("amount") or 0) - balance
            _log(
                env,
                table,
                restored,
                Activity.RESTORE_INVOICE,
                balance if counts else 0.0,
                paid if counts else 0.0,
            )
    elif table == "payments":
        pay.payment_restored(env, restored, from_deleted=from_deleted)
    elif table in _RESTORED:
        _log(env, table, restored, _RESTORED[table])
    return env.store.get(table, restored["doc_id"]) or restored
