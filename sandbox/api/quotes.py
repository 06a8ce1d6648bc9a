"""``GET /api/v1/quotes`` (QuoteApiController@index): list only; quotes are saved through ``/invoices``."""

from __future__ import annotations

from sandbox.api.call import Call
from sandbox.api.resource import Resource, list_handler
from sandbox.api.routing import ApiRoute
from sandbox.models.invoices import QUOTE
from sandbox.store import Record
from sandbox.transform.invoices import INVOICE


def _quotes_only(call: Call, rows: list[Record]) -> list[Record]:
    """Quotes that are not recurring; no invoice-specific filters here."""
    del call
    return [row for row in rows if row.get("invoice_type_id") == QUOTE and not row.get("is_recurring")]


QUOTES = Resource(
    segment="quotes", entity="quote", table="invoices", transformer=INVOICE, filters=(_quotes_only,)
)

list_quotes = list_handler(QUOTES, "QuoteApiController")

ROUTES = [ApiRoute("GET", "/quotes", list_quotes, "quotes.index")]
