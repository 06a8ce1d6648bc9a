"""PHP casts as v4's transformers apply them (``?: ''``, ``(int)``, ``(float)``, ``(bool)``)."""

from __future__ import annotations

from typing import Any

from sandbox.models.php import mysql_int, truthy
from sandbox.phpjson import php_float


def text(value: Any) -> str:
    """``$value ?: ''``."""
    return str(value) if truthy(value) else ""


def integer(value: Any) -> int:
    """``(int) ($value ?: 0)``."""
    return mysql_int(value) or 0


def money(value: Any) -> float | int:
    """``(float) $value``, printed as PHP prints floats."""
    return php_float(float(value) if value not in (None, "") else 0.0)


def flag(value: Any) -> bool:
    """``(bool) $value``."""
    return truthy(value)


def timestamp(value: Any) -> int | None:
    """``getTimestamp()``: unix seconds, or null."""
    return None if value is None else int(value)
