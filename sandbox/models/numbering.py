"""Invoice and quote numbers, and the counters behind them, as v4 assigns them.

Reference: v4-entities.md §6 and v4-api-behaviour.md §4.3, checked against ``GeneratesNumbers``
(``getNextNumber``, ``applyNumberPattern``, ``incrementCounter``) and the ``Invoice::creating`` hook.

* **Counter.** Quotes use the account's ``quote_number_counter`` only when ``share_counter`` is off;
  everything else (quotes on a shared counter included) uses ``invoice_number_counter``.
* **Number.** With a pattern (``invoice_number_pattern`` / ``quote_number_pattern``) the pattern is
  expanded; otherwise it is the prefix plus the counter left-padded with ``0`` to
  ``invoice_number_padding`` (default 4), so a new account's first invoice is ``0001``. Prefixes and
  patterns need the ``invoice_settings`` feature (always on self-hosted).
* **Placeholders.** ``{$year}``, ``{$counter}`` (padded), ``{$userId}`` (user public id + 1, padded
  to 2), the first ``{$date:FMT}`` (PHP ``date()`` letters), and, only when there is a client,
  ``{$custom1}``/``{$clientCustom1}``, ``{$custom2}``/``{$clientCustom2}``,
  ``{$idNumber}``/``{$clientIdNumber}`` and ``{$clientCounter}`` (the client's own padded counter).
* **Recurring children.** An invoice generated from a recurring template gets
  ``recurring_invoice_number_prefix`` (default ``R``) in front.
* **Taken numbers.** A number already used in the account (trashed rows included) is skipped and the
  next counter value tried; the stored counter is advanced by the number of values skipped, except
  for a quote on a shared counter, where v4 advances nothing. If a retry yields the same number again
  (a pattern without ``{$counter}``), v4 gives up and the number is ``""``.
* **Increment on insert** (``Invoice::creating``, never for recurring templates): an invoice or quote
  with amount >= 0 bumps the counter once, even when the request gave its own number. The account's
  counter moves only when it is in use (no invoice pattern, or one containing ``{$counter}``); the
  client's moves when the invoice pattern contains ``{$clientCounter}``. A negative amount bumps
  ``credit_number_counter`` instead, and only when that counter is > 0. v4 tests the *invoice*
  pattern here for quotes too.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

DEFAULT_PADDING = 4
DEFAULT_RECURRING_PREFIX = "R"

_DATE_PLACEHOLDER = re.compile(r"\{\$date:(.*?)\}")
_CLIENT_PATTERN_MARKERS = ("$client", "$idNumber")


@dataclass(frozen=True)
class NumberChoice:
    """A generated number and the counter fields to store because numbers were skipped."""

    number: str
    counter_updates: dict[str, int] = field(default_factory=dict)


def _int(record: Mapping[str, Any], key: str, default: int) -> int:
    value = record.get(key)
    if value is None or value == "":
        return default
    return int(value)


def _text(value: Any) -> str:
    """PHP's string conversion as ``str_replace`` applies it (NULL becomes '')."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    return str(value)


def _pad(value: int, width: int) -> str:
    """``str_pad($value, $width, '0', STR_PAD_LEFT)``."""
    return str(value).rjust(width, "0")


def _share_counter(account: Mapping[str, Any]) -> bool:
    value = account.get("share_counter", True)
    return True if value is None else bool(value)


def _padding(account: Mapping[str, Any]) -> int:
    return _int(account, "invoice_number_padding", DEFAULT_PADDING)


def counter_field(account: Mapping[str, Any], *, is_quote: bool) -> str:
    """The account counter a new invoice or quote draws from."""
    if is_quote and not _share_counter(account):
        return "quote_number_counter"
    return "invoice_number_counter"


def number_pattern(account: Mapping[str, Any], *, is_quote: bool, invoice_settings: bool = True) -> str:
    """The invoice or quote pattern in force, or '' when none applies."""
    if not invoice_settings:
        return ""
    return _text(account.get("quote_number_pattern" if is_quote else "invoice_number_pattern"))


def number_prefix(account: Mapping[str, Any], *, is_quote: bool, invoice_settings: bool = True) -> str:
    """The invoice or quote prefix in force, or '' when none applies."""
    if not invoice_settings:
        return ""
    return _text(account.get("quote_number_prefix" if is_quote else "invoice_number_prefix"))


def _ordinal_suffix(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def php_date(fmt: str, when: date) -> str:
    """PHP ``date()`` formatting of a date (time letters read midnight unless given a datetime)."""
    moment = when if isinstance(when, datetime) else datetime(when.year, when.month, when.day)
    iso_year, iso_week, iso_weekday = moment.isocalendar()
    hour12 = moment.hour % 12 or 12
    letters: dict[str, str] = {
        "d": f"{moment.day:02d}",
        "D": moment.strftime("%a"),
        "j": str(moment.day),
        "l": moment.strftime("%A"),
        "N": str(iso_weekday),
        "S": _ordinal_suffix(moment.day),
        "w": str(iso_weekday % 7),
        "z": str(moment.timetuple().tm_yday - 1),
        "W": f"{iso_week:02d}",
        "F": moment.strftime("%B"),
        "m": f"{moment.month:02d}",
        "M": moment.strftime("%b"),
        "n": str(moment.month),
        "t": str(calendar.monthrange(moment.year, moment.month)[1]),
        "L": "1" if calendar.isleap(moment.year) else "0",
        "o": str(iso_year),
        "Y": str(moment.year),
        "y": f"{moment.year % 100:02d}",
        "a": "am" if moment.hour < 12 else "pm",
        "A": "AM" if moment.hour < 12 else "PM",
        "g": str(hour12),
        "G": str(moment.hour),
        "h": f"{hour12:02d}",
        "H": f"{moment.hour:02d}",
        "i": f"{moment.minute:02d}",
        "s": f"{moment.second:02d}",
    }
    out: list[str] = []
    escaped = False
    for char in fmt:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(letters.get(char, char))
    return "".join(out)


def apply_pattern(
    pattern: str,
    account: Mapping[str, Any],
    *,
    counter: int,
    is_quote: bool,
    client: Mapping[str, Any] | None,
    user_public_id: int,
    today: date,
) -> str:
    """Expand a number pattern's placeholders (``applyNumberPattern``)."""
    padding = _padding(account)
    result = pattern.replace("{$year}", str(today.year)).replace("{$counter}", _pad(counter, padding))
    if "{$userId}" in pattern:
        result = result.replace("{$userId}", _pad(user_public_id + 1, 2))
    match = _DATE_PLACEHOLDER.search(pattern)
    if match:
        result = result.replace(match.group(0), php_date(match.group(1), today))
    if client is None:
        return result
    client_counter = _int(client, counter_field(account, is_quote=is_quote), 1)
    replacements = (
        ("{$custom1}", _text(client.get("custom_value1"))),
        ("{$custom2}", _text(client.get("custom_value2"))),
        ("{$idNumber}", _text(client.get("id_number"))),
        ("{$clientCustom1}", _text(client.get("custom_value1"))),
        ("{$clientCustom2}", _text(client.get("custom_value2"))),
        ("{$clientIdNumber}", _text(client.get("id_number"))),
        ("{$clientCounter}", _pad(client_counter, padding)),
    )
    for search, replace in replacements:
        result = result.replace(search, replace)
    return result


def next_number(
    account: Mapping[str, Any],
    *,
    is_quote: bool,
    client: Mapping[str, Any] | None = None,
    user_public_id: int = 0,
    today: date,
    is_taken: Callable[[str], bool],
    recurring: bool = False,
    invoice_settings: bool = True,
) -> NumberChoice:
    """The next free invoice or quote number and the account counter catch-up (``getNextNumber``)."""
    pattern = number_pattern(account, is_quote=is_quote, invoice_settings=invoice_settings)
    if pattern and client is None and any(marker in pattern for marker in _CLIENT_PATTERN_MARKERS):
        # createInvoice leaves the number unset: the client's values are not known yet.
        return NumberChoice("")
    field_name = counter_field(account, is_quote=is_quote)
    counter = _int(account, field_name, 1)
    prefix = number_prefix(account, is_quote=is_quote, invoice_settings=invoice_settings)
    padding = _padding(account)
    recurring_prefix = ""
    if recurring:
        recurring_prefix = _text(account.get("recurring_invoice_number_prefix", DEFAULT_RECURRING_PREFIX))

    offset = 0
    last: str | None = None
    while True:
        if pattern:
            number = apply_pattern(
                pattern,
                account,
                counter=counter,
                is_quote=is_quote,
                client=client,
                user_public_id=user_public_id,
                today=today,
            )
        else:
            number = prefix + _pad(counter, padding)
        number = recurring_prefix + number
        taken = is_taken(number)
        counter += 1
        offset += 1
        if number == last:
            return NumberChoice("")
        last = number
        if not taken:
            break

    updates: dict[str, int] = {}
    # v4 leaves a shared counter alone when a quote skipped numbers.
    if offset > 1 and not (is_quote and _share_counter(account)):
        updates[field_name] = _int(account, field_name, 1) + offset - 1
    return NumberChoice(number, updates)


def uses_account_counter(account: Mapping[str, Any], *, invoice_settings: bool = True) -> bool:
    """Whether inserts bump the account counter: no invoice pattern, or one with ``{$counter}``."""
    pattern = number_pattern(account, is_quote=False, invoice_settings=invoice_settings)
    return not pattern or "{$counter}" in pattern


def uses_client_counter(account: Mapping[str, Any]) -> bool:
    """Whether inserts bump the client's counter: the invoice pattern has ``{$clientCounter}``."""
    return "{$clientCounter}" in _text(account.get("invoice_number_pattern"))


def counter_after_insert(
    account: Mapping[str, Any],
    *,
    is_quote: bool,
    amount: float,
    custom_number_given: bool,
    is_recurring: bool = False,
    invoice_settings: bool = True,
) -> dict[str, int]:
    """Account counter fields to store when an invoice or quote is inserted (``Invoice::creating``)."""
    del custom_number_given  # v4 bumps the counter whether or not the request chose the number
    if is_recurring:
        return {}
    if amount < 0:
        credit = _int(account, "credit_number_counter", 0)
        return {"credit_number_counter": credit + 1} if credit > 0 else {}
    if not uses_account_counter(account, invoice_settings=invoice_settings):
        return {}
    name = counter_field(account, is_quote=is_quote)
    return {name: _int(account, name, 1) + 1}


def client_counter_after_insert(
    account: Mapping[str, Any],
    client: Mapping[str, Any],
    *,
    is_quote: bool,
    amount: float,
    is_recurring: bool = False,
) -> dict[str, int]:
    """Client counter fields to store when an invoice or quote is inserted (``{$clientCounter}``)."""
    if is_recurring or amount < 0 or not uses_client_counter(account):
        return {}
    name = counter_field(account, is_quote=is_quote)
    return {name: _int(client, name, 1) + 1}
