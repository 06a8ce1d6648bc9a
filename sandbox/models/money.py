"""Amounts as v4 shows them to people (``Utils::formatMoney``): the client's currency, else the account's."""

from __future__ import annotations

from typing import Any

from sandbox.models.php import php_round
from sandbox.models.static_data import StaticData


def currency_for(
    static: StaticData, account: dict[str, Any], client: dict[str, Any] | None
) -> dict[str, Any]:
    """The currency row an invoice is shown in."""
    wanted = (client or {}).get("currency_id") or account.get("currency_id") or 1
    for row in static.tables["currencies"]:
        if row["id"] == wanted:
            return dict(row)
    return dict(static.tables["currencies"][0])


def format_money(amount: Any, currency: dict[str, Any]) -> str:
    """``$1,234.50`` / ``€1.234,50``: separators, precision and symbol placement of the currency."""
    precision = int(currency.get("precision") or 2)
    value = php_round(float(amount or 0), precision)
    negative = value < 0
    whole, _, fraction = f"{abs(value):.{precision}f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    number = str(currency.get("thousand_separator") or ",").join(groups)
    if fraction:
        number += str(currency.get("decimal_separator") or ".") + fraction
    symbol = str(currency.get("symbol") or currency.get("code") or "")
    text = f"{number} {symbol}" if currency.get("swap_currency_symbol") else f"{symbol}{number}"
    return f"-{text}" if negative else text
