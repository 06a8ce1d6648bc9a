"""What a transformer needs to know about the request it is answering."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.store import Record, Store


@dataclass
class Context:
    """The store, the caller and the requested includes, for one response."""

    store: Store
    account: Record
    user: Record | None
    includes: frozenset[str] = frozenset()
    json_api: bool = False
    #: Records built in this request carry ``user_id`` (v4 shows it only when the relation is loaded).
    show_user_id: bool = False
    #: ``APP_URL``: where invitation links point (the sandbox's own address).
    base_url: str = "http://127.0.0.1:8000"
    #: The sandbox clock's reading (``time()``), for values that run on, such as a running task's duration.
    now: int | None = None
    cache: dict[Any, Any] = field(default_factory=dict)

    def defaults(self, record: Record) -> dict[str, Any]:
        """``EntityTransformer::getDefaults``: ``account_key``, ``is_owner`` and sometimes ``user_id``."""
        data: dict[str, Any] = {
            "account_key": self.account["account_key"],
            "is_owner": self.user is not None and record.get("user_id") == self.user["doc_id"],
        }
        if self.show_user_id:
            data["user_id"] = self.user_public_id(record.get("user_id"))
        return data

    def children(self, table: str, field: str, parent: Record, *, live_only: bool = False) -> list[Record]:
        """A record's children in ``table`` (``field`` holds the parent's public id), oldest first."""
        found = self.store.find(table, field, parent["public_id"], parent["account_id"])
        rows = [row for row in found if not live_only or row.get("deleted_at") is None]
        return sorted(rows, key=lambda row: row["doc_id"])

    def user_public_id(self, user_doc_id: Any) -> int:
        """A user as v4 shows it everywhere: ``public_id + 1`` (the owner, public id 0, is 1)."""
        if user_doc_id is None:
            return 1
        user = self.store.shared("users", int(user_doc_id))
        return int(user.get("public_id") or 0) + 1 if user else 1
