"""``DocumentTransformer``: a document's fields (no includes)."""

from __future__ import annotations

from typing import Any

from sandbox.store import Record
from sandbox.transform.casts import flag, integer, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer


def _parent_public_id(ctx: Context, table: str, document: Record, field: str) -> int:
    """``(int) ($document->x_id && $document->x ? $document->x->public_id : null)``."""
    public_id = document.get(field)
    if not public_id:
        return 0
    parent = ctx.store.get_public(table, document["account_id"], int(public_id))
    return integer(parent["public_id"]) if parent else 0


def document_fields(ctx: Context, document: Record) -> dict[str, Any]:
    """The fields of one document, in transformer order (``created_at`` and no ``archived_at``)."""
    return {
        **ctx.defaults(document),
        "id": integer(document["public_id"]),
        "name": document.get("name"),
        "type": document.get("type"),
        "path": document.get("path"),
        "invoice_id": _parent_public_id(ctx, "invoices", document, "invoice_id"),
        "expense_id": _parent_public_id(ctx, "expenses", document, "expense_id"),
        "updated_at": timestamp(document.get("updated_at")),
        "created_at": timestamp(document.get("created_at")),
        "is_deleted": False,
        "is_default": flag(document.get("is_default")),
        # Not cast: a document just uploaded without a preview shows null, as v4's unsaved model does.
        "preview": document.get("preview"),
        "size": integer(document.get("size")),
        "width": integer(document.get("width")),
        "height": integer(document.get("height")),
    }


DOCUMENT = Transformer("document", document_fields)
