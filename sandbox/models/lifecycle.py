"""Archive, delete and restore, as ``BaseRepository`` does them for every entity.

* archive sets ``deleted_at`` (shown as ``archived_at``); ``is_deleted`` stays false;
* delete sets ``is_deleted`` and a fresh ``deleted_at``;
* restore clears both.

Archiving a trashed record or deleting a deleted one does nothing. Each change bumps ``updated_at``,
because Laravel's soft delete writes it too.
"""

from __future__ import annotations

from sandbox.store import Record, Store


def is_trashed(record: Record) -> bool:
    """Archived or deleted."""
    return record.get("deleted_at") is not None


def archive(store: Store, table: str, record: Record, now: int) -> Record:
    """Soft-delete a record; no-op if it is already trashed."""
    if is_trashed(record):
        return record
    return store.update(table, record["doc_id"], {"deleted_at": now, "updated_at": now})


def delete(store: Store, table: str, record: Record, now: int, *, has_flag: bool = True) -> Record:
    """Mark a record deleted; no-op if it already is."""
    if record.get("is_deleted"):
        return record
    fields: Record = {"deleted_at": now, "updated_at": now}
    if has_flag:
        fields["is_deleted"] = True
    return store.update(table, record["doc_id"], fields)


def restore(store: Store, table: str, record: Record, now: int) -> Record:
    """Bring a record back from archived or deleted."""
    if not is_trashed(record) and not record.get("is_deleted"):
        return record
    return store.update(table, record["doc_id"], {"deleted_at": None, "is_deleted": False, "updated_at": now})
