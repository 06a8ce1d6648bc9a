"""``/api/v1/static`` (AccountApiController@getStaticData): v4's cached lookup tables."""

from __future__ import annotations

import unicodedata
from typing import Any

from aiohttp import web

from sandbox.api.call import get_call
from sandbox.api.respond import envelope
from sandbox.api.routing import ApiRoute
from sandbox.models.static_data import StaticData

#: ``CACHED_TABLES`` in ``app/Constants.php``, in its order (the data file also holds other tables).
CACHED_TABLES = (
    "currencies",
    "sizes",
    "industries",
    "timezones",
    "dateFormats",
    "datetimeFormats",
    "languages",
    "paymentTypes",
    "countries",
    "invoiceDesigns",
    "invoiceStatus",
    "frequencies",
    "gateways",
    "gatewayTypes",
    "fonts",
    "banks",
)
#: ``StartupCheck`` caches these ordered by name and ``fonts`` by ``sort_order``; the rest by id.
BY_NAME = frozenset({"currencies", "industries", "languages", "countries", "banks"})
#: ``Utils::getStaticData($locale)`` translates these names and sorts them by the translation.
TRANSLATED = ("industries", "countries", "paymentTypes", "languages", "currencies")
#: The English translations that differ from the stored names (all others are the same text).
ENGLISH_NAMES = {("paymentTypes", "SEPA"): "SEPA Direct Debit"}

Row = dict[str, Any]


def _collation_key(row: Row) -> tuple[str, int]:
    """MySQL's ``utf8_unicode_ci`` order, closely enough: accents and case do not count."""
    decomposed = unicodedata.normalize("NFKD", str(row.get("name") or ""))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.casefold(), int(row.get("id") or 0)


def _ordered(name: str, rows: list[Row]) -> list[Row]:
    if name in BY_NAME:
        return sorted(rows, key=_collation_key)
    if name == "fonts":
        return sorted(rows, key=lambda row: (int(row.get("sort_order") or 0), int(row.get("id") or 0)))
    return sorted(rows, key=lambda row: int(row.get("id") or 0))


def static_tables(static: StaticData) -> dict[str, list[Row]]:
    """``Utils::getStaticData()``: every cached table as whole rows, in the cache's order."""
    return {name: _ordered(name, list(static.tables.get(name) or [])) for name in CACHED_TABLES}


def localized_static(static: StaticData) -> dict[str, list[Row]]:
    """``getStaticData($locale)`` as login's ``include_static`` shows it: names translated (English),
    those five tables then sorted by name as PHP compares strings (byte order)."""
    data = static_tables(static)
    for name in TRANSLATED:
        rows = [
            {**row, "name": ENGLISH_NAMES.get((name, str(row.get("name"))), row.get("name"))}
            for row in data[name]
        ]
        data[name] = sorted(rows, key=lambda row: str(row.get("name") or "").encode())
    return data


async def get_static(request: web.Request) -> web.Response:
    """``GET /api/v1/static`` (AccountApiController@getStaticData)."""
    call = get_call(request)
    return envelope(call, static_tables(call.runtime.static))


ROUTES = [ApiRoute("GET", "/static", get_static, "static")]
