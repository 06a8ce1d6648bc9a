"""``PaymentTermTransformer``: no ``id`` in the output; the name is always "Net N"."""

from __future__ import annotations

from typing import Any

from sandbox.models.payment_terms import net_days
from sandbox.store import Record
from sandbox.transform.casts import integer, timestamp
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer


def payment_term_fields(ctx: Context, term: Record) -> dict[str, Any]:
    """The fields of one payment term, in transformer order.

    JSON-API needs an id, which v4's transformer lacks (``serializer=json`` is a 500 there): the
    sandbox gives the public id, which the serializer moves out of the attributes.
    """
    data: dict[str, Any] = {**ctx.defaults(term)}
    if ctx.json_api:
        data["id"] = integer(term.get("public_id"))
    data.update(
        {
            "num_days": integer(term.get("num_days")),
            "name": f"Net {net_days(term)}",
            "updated_at": timestamp(term.get("updated_at")),
            "archived_at": timestamp(term.get("deleted_at")),
            "is_default": term.get("account_id") == 0,
        }
    )
    return data


PAYMENT_TERM = Transformer("payment_term", payment_term_fields)
