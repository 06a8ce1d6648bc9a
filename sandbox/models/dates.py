"""Dates as v4 reads and writes them: ``Utils::toSqlDate`` with the account's format, and due dates."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from sandbox.models.numbering import php_date
from sandbox.models.static_data import StaticData

DEFAULT_FORMAT = "M j, Y"

#: PHP ``DateTime::createFromFormat`` letters and the ``strptime`` directives that read them.
_PARSE_LETTERS = {
    "d": "%d",
    "j": "%d",
    "m": "%m",
    "n": "%m",
    "M": "%b",
    "F": "%B",
    "Y": "%Y",
    "y": "%y",
    "D": "%a",
    "l": "%A",
}


def account_date_format(static: StaticData, account: dict[str, Any]) -> str:
    """The PHP format of the account's ``date_format_id`` (``M j, Y`` by default)."""
    wanted = account.get("date_format_id")
    for row in static.tables["dateFormats"]:
        if row["id"] == wanted:
            return str(row["format"])
    return DEFAULT_FORMAT


def _strptime_format(php_format: str) -> str:
    return "".join(_PARSE_LETTERS.get(ch, "%%" if ch == "%" else ch) for ch in php_format)


_MYSQL_DELIMITED = re.compile(r"^(\d{4}|\d{2})[^\w\s](\d{1,2})[^\w\s](\d{1,2})(?:[T ].*)?$")
_MYSQL_DIGITS = re.compile(r"^(\d{4}|\d{2})(\d{2})(\d{2})$")
ZERO_DATE = "0000-00-00"


def mysql_date(value: Any) -> Any:
    """What a MySQL ``DATE`` column (v4 runs MySQL without strict mode) keeps of a value.

    ``YYYY-MM-DD`` with any punctuation between the parts (an optional time after it), or
    ``YYYYMMDD``, as a date; anything else becomes the zero date. Null and ``""`` stay as they are.
    """
    if value is None or value == "":
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ZERO_DATE
    if isinstance(value, float):
        value = int(value) if value.is_integer() else str(value)
    text = str(value).strip()
    found = _MYSQL_DELIMITED.match(text) or _MYSQL_DIGITS.match(text)
    if found is None:
        return ZERO_DATE
    year, month, day = (int(part) for part in found.groups())
    if len(found.group(1)) == 2:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ZERO_DATE


def to_sql_date(value: Any, php_format: str) -> Any:
    """``Utils::toSqlDate``: a date in the account's format as ``Y-m-d``; anything else is kept as given,
    and the ``DATE`` column then stores it as :func:`mysql_date` says."""
    if not isinstance(value, str) or not value:
        return mysql_date(value)
    try:
        parsed = datetime.strptime(value.strip(), _strptime_format(php_format))
    except ValueError:
        return mysql_date(value)
    return parsed.date().isoformat()


def format_date(value: Any, php_format: str) -> str:
    """A stored ``Y-m-d`` in the account's format (``Utils::fromSqlDate``), or ``''``."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        return php_date(php_format, date.fromisoformat(value[:10]))
    except ValueError:
        return value


def add_days(day: date, days: int) -> str:
    """``day`` plus ``days``, as ``Y-m-d``."""
    try:
        return (day + timedelta(days=days)).isoformat()
    except OverflowError:
        # Carbon goes past year 9999; a MySQL ``DATE`` column then keeps the zero date.
        return ZERO_DATE


def default_due_date(account: dict[str, Any], client: dict[str, Any] | None, today: date) -> str | None:
    """``Account::defaultDueDate``: today plus the client's (else the account's) payment terms."""
    terms = int((client or {}).get("payment_terms") or 0) or int(account.get("payment_terms") or 0)
    if not terms:
        return None
    return add_days(today, 0 if terms == -1 else terms)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DATE_VARIABLE = re.compile(r":(MONTH|QUARTER|YEAR)([+-]?\d*)")


def _date_part(part: str, offset: int, today: date) -> str:
    if part == "MONTH":
        return _MONTHS[(today.month - 1 + offset) % 12]
    if part == "QUARTER":
        quarter = (math.floor((today.month - 1 + 3) / 3) + offset) % 4
        return f"Q{quarter or 4}"
    return str(today.year + offset)


def process_variables(text: Any, today: date) -> str:
    """``Utils::processVariables``: ``:MONTH``, ``:QUARTER`` and ``:YEAR`` (with ``+n``/``-n``) expanded."""
    if not text:
        return ""
    value = str(text)
    if ":" not in value:
        return value

    def expand(match: re.Match[str]) -> str:
        sign, digits = match.group(2)[:1], match.group(2).lstrip("+-")
        offset = int(digits) if digits else 0
        return _date_part(match.group(1), -offset if sign == "-" else offset, today)

    return _DATE_VARIABLE.sub(expand, value)
