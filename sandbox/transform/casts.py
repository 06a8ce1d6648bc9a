"""PHP casts as v4's transformers apply them (``?: ''``, ``(int)``, ``(float)``, ``(bool)``)."""

from __future__ import annotations

from typing import Any

from sandbox.models.php import mysql_int, truthy
from sandbox.phpjson import php_float

# Each cast answers the common stored type first: they run for every field of every record shown.


def text(value: Any) -> str:
    """``$value ?: ''``."""
    if value.__class__ is str:
        return value if value and value != "0" else ""
    if value is None:
        return ""
    return str(value) if truthy(value) else ""


def integer(value: Any) -> int:
    """``(int) ($value ?: 0)``."""
    if value.__class__ is int:
        return value
    return mysql_int(value) or 0


def money(value: Any) -> float | int:
    """``(float) $value``, printed as PHP prints floats."""
    if value.__class__ is float:
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return php_float(float(value) if value not in (None, "") else 0.0)


def flag(value: Any) -> bool:
    """``(bool) $value``."""
    if value is True or value is False:
        return value
    if value is None:
        return False
    return truthy(value)


def timestamp(value: Any) -> int | None:
    """``getTimestamp()``: unix seconds, or null."""
    return None if value is None else int(value)
