"""PHP and MySQL value conversions that v4's answers depend on.

v4 runs on PHP 7 with a non-strict MySQL connection, so input values are coerced the way those two
coerce them, not the way Python would: ``"12abc"`` stored in an INT column is ``12``, ``"true"`` in a
TINYINT column is ``0``, and a string is truthy unless it is ``""`` or ``"0"``.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

_LEADING_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_VALID_INT = re.compile(r"^[+-]?(0|[1-9]\d*)$")
_DECIMAL_COMMA = re.compile(r",(\d{1,2})$")


def truthy(value: Any) -> bool:
    """PHP's boolean conversion."""
    if isinstance(value, str):
        return value not in ("", "0")
    if isinstance(value, list | dict):
        return len(value) > 0
    return bool(value)


def leading_number(text: str) -> float:
    """MySQL's reading of a string as a number: the longest numeric prefix, else 0."""
    match = _LEADING_NUMBER.match(text)
    if not match:
        return 0.0
    try:
        number = float(match.group())
    except ValueError:
        return 0.0
    return number if math.isfinite(number) else 0.0


#: A MySQL ``INT`` column's range: non-strict MySQL clips a value outside it to the nearest end.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
#: PHP's integers (64-bit).
PHP_INT_MIN, PHP_INT_MAX = -(2**63), 2**63 - 1


def mysql_int(value: Any) -> int | None:
    """What a non-strict MySQL INT column stores for ``value`` (None stays NULL)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = round(value) if math.isfinite(value) else 0
    else:
        number = round(leading_number(str(value)))
    return min(max(number, INT_MIN), INT_MAX)


def int_cast(number: float) -> int:
    """PHP's ``(int)`` of a numeric string's value: saturated to PHP's integer range."""
    return min(max(int(number), PHP_INT_MIN), PHP_INT_MAX)


def mysql_bool(value: Any) -> bool:
    """What a TINYINT(1) column stores: PHP ``false`` binds as ``''``, so only numeric text counts."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, int | float):
        return value != 0
    return leading_number(str(value)) != 0


def php_string(value: Any) -> str | None:
    """PHP's string conversion of a scalar (None stays NULL)."""
    if value is None:
        return None
    if value is True:
        return "1"
    if value is False:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def parse_float(value: Any) -> float:
    """``Utils::parseFloat``: keep digits, ``.`` and ``-``; a trailing ``,dd`` is a decimal comma."""
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else 0.0
    if kind is int or kind is bool:
        return float(value)  # finite, or OverflowError as before
    if value is None or value == "":
        return 0.0
    if isinstance(value, int | float):
        return float(value) if math.isfinite(float(value)) else 0.0
    text = _DECIMAL_COMMA.sub(r".\1", str(value).strip())
    cleaned = re.sub(r"[^0-9.\-]", "", text)
    return leading_number(cleaned)


def floatval(value: Any) -> float:
    """PHP's ``floatval``: the leading number of a string, 0 for anything else non-numeric."""
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        return leading_number(value)
    return 0.0


def filter_int(value: Any) -> int | None:
    """PHP's ``filter_var(FILTER_VALIDATE_INT)``: an int, or None when the text is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if PHP_INT_MIN <= value <= PHP_INT_MAX else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not _VALID_INT.match(text):
        return None
    number = int(text)
    return number if PHP_INT_MIN <= number <= PHP_INT_MAX else None


def php_round(value: float, places: int = 0) -> float:
    """PHP's ``round()``: half away from zero after pre-rounding to 15 significant digits."""
    number = float(value)
    if number == 0 or not math.isfinite(number):
        return 0.0 if number == 0 else number
    if abs(number) * 10.0**places >= 1e15:
        # PHP: "this value is beyond our precision, so rounding it is pointless".
        return number
    if places >= 0:
        # Already at most ``places`` decimals (money mostly is): every step of PHP's algorithm keeps
        # the scaled integer as it is, and the answer is that integer divided back.
        scale = 10.0**places
        scaled = number * scale
        if scaled.is_integer():
            return scaled / scale
    try:
        decimal = Decimal(repr(number))
    except InvalidOperation:
        return number
    exponent = decimal.adjusted()
    if 14 - exponent > places and 14 - exponent - 15 < places:
        decimal = decimal.quantize(Decimal(1).scaleb(exponent - 14), rounding=ROUND_HALF_UP)
    return float(decimal.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def route_id(raw: Any) -> int | None:
    """A public id as v4 looks it up: falsy means "no id", anything else is compared as MySQL does."""
    if not truthy(raw):
        return None
    if isinstance(raw, list | dict):
        return 0
    if isinstance(raw, bool):
        return int(raw)
    # ``public_id = '1.5'`` compares as doubles: a fraction, or a value beyond the INT column's
    # range, equals no id at all (0 is never an id), rather than the nearest one.
    number = float(raw) if isinstance(raw, int | float) else leading_number(str(raw))
    if not number.is_integer() or not INT_MIN <= number <= INT_MAX:
        return 0
    return int(number)


def filter_bool(value: Any) -> bool:
    """``filter_var($value, FILTER_VALIDATE_BOOLEAN)``: true only for 1, "1", "true", "on", "yes"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes")
    return False


_VALID_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


def valid_email(value: str) -> bool:
    """``filter_var($value, FILTER_VALIDATE_EMAIL)`` (what Laravel's ``email`` rule uses), closely enough."""
    return _VALID_EMAIL.match(value) is not None
