"""PHP's ``strtotime`` for the date texts API clients send, in v4's server time zone (UTC).

It reads the common absolute forms (ISO 8601 with or without a time and offset, ``Y/m/d``,
American ``m/d/Y``, European ``d-m-Y`` and ``d.m.Y``, month names, RFC 2822, ``@<unix>``), times
of day with ``am``/``pm``, the keywords ``now``, ``today``, ``midnight``, ``noon``, ``tomorrow`` and
``yesterday``, weekday names, and relative offsets (``+1 day``, ``2 hours ago``, ``next week``).
Like PHP, a text it cannot read gives no time at all (``false``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

_MONTHS = {
    name: index + 1
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_UNITS = {
    "sec": 1,
    "second": 1,
    "min": 60,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "fortnight": 14 * 86400,
    "month": 0,
    "year": 0,
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = "(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\.?"
_UNIT = "(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")s?"
_ZONE = r"(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)(?![\w:])"
_TIME = r"t?(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([ap])\.?m\.?)?(?:\s*" + _ZONE + ")?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("at", r"@(-?\d+)(?:\.\d+)?"),
        ("iso", r"(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[\sTt,])"),
        ("compact", r"(\d{4})(\d{2})(\d{2})(?=t\d|$|\s)"),
        ("ymd_slash", r"(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)"),
        ("us", r"(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?!\d)"),
        ("eu", r"(\d{1,2})[-.](\d{1,2})[-.](\d{4})(?!\d)"),
        ("month_day", _MONTH + r"\s*(\d{1,2})(?:st|nd|rd|th)?(?!\d|:)(?:,?\s*(\d{4})(?!:))?"),
        ("day_month", r"(\d{1,2})(?:st|nd|rd|th)?[\s-]*" + _MONTH + r"(?:[\s,-]*(\d{4})(?!:))?"),
        ("month_year", _MONTH + r"\s+(\d{4})(?!:)"),
        ("time", _TIME),
        ("hour_ampm", r"(\d{1,2})\s*([ap])\.?m\.?(?![a-z])"),
        ("relative", r"([+-]?)\s*(\d+)\s*" + _UNIT + r"(?![a-z])(\s+ago)?"),
        ("zone", r"(z|utc|gmt|[+-]\d{4})(?![\w:])"),
        ("step", r"(next|last|previous|this)\s+" + _UNIT + r"(?![a-z])"),
        ("step_day", r"(next|last|previous|this)\s+" + _WEEKDAY + r"(?![a-z])"),
        ("weekday", _WEEKDAY + r"(?![a-z])"),
        ("keyword", r"(now|today|midnight|noon|tomorrow|yesterday)(?![a-z])"),
    )
)
_SEPARATORS = re.compile(r"[\s,]+")


@dataclass
class _Parse:
    """What the text said so far: an absolute date and time, a zone, and relative moves."""

    day: date
    hour: int
    minute: int
    second: int
    zone: int | None = None
    months: int = 0
    seconds: int = 0
    weekday: tuple[int, int] | None = None  # (weekday, direction)
    seen: set[str] = field(default_factory=set)

    def set_date(self, year: int, month: int, day: int) -> None:
        if not 1 <= month <= 12 or not 0 <= day <= 31:
            raise ValueError("date out of range")
        self.day = _overflow_date(year, month, day)
        if "time" not in self.seen:
            self.hour = self.minute = self.second = 0

    def set_time(self, hour: int, minute: int, second: int = 0) -> None:
        if hour > 24 or minute > 59 or second > 60:
            raise ValueError("time out of range")
        self.hour, self.minute, self.second = hour, minute, second
        self.seen.add("time")


def _overflow_date(year: int, month: int, day: int) -> date:
    """A date whose month or day may overflow, rolled forward as PHP rolls it."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1) + timedelta(days=day - 1)


def _year(text: str) -> int:
    value = int(text)
    if len(text) <= 2:
        return value + (2000 if value < 70 else 1900)
    return value


def _twelve_hour(hour: int, meridiem: str | None) -> int:
    if meridiem is None:
        return hour
    if hour < 1 or hour > 12:
        raise ValueError("bad 12-hour time")
    return hour % 12 + (12 if meridiem == "p" else 0)


def _zone_seconds(text: str) -> int:
    if text in ("z", "utc", "gmt"):
        return 0
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4] or 0)
    return sign * (hours * 3600 + minutes * 60)


def _apply(state: _Parse, name: str, match: re.Match[str]) -> None:
    g = match.groups()
    if name in ("iso", "compact", "ymd_slash"):
        state.set_date(int(g[0]), int(g[1]), int(g[2]))
    elif name == "us":
        state.set_date(_year(g[2]) if g[2] else state.day.year, int(g[0]), int(g[1]))
    elif name == "eu":
        state.set_date(int(g[2]), int(g[1]), int(g[0]))
    elif name == "month_day":
        state.set_date(int(g[2]) if g[2] else state.day.year, _MONTHS[g[0]], int(g[1]))
    elif name == "day_month":
        state.set_date(int(g[2]) if g[2] else state.day.year, _MONTHS[g[1]], int(g[0]))
    elif name == "month_year":
        state.set_date(int(g[1]), _MONTHS[g[0]], 1)
    elif name == "time":
        state.set_time(_twelve_hour(int(g[0]), g[3]), int(g[1]), int(g[2] or 0))
        if g[4]:
            state.zone = _zone_seconds(g[4])
    elif name == "hour_ampm":
        state.set_time(_twelve_hour(int(g[0]), g[1]), 0)
    elif name == "zone":
        state.zone = _zone_seconds(g[0])
    elif name == "relative":
        amount = int(g[1]) * (-1 if g[0] == "-" else 1) * (-1 if g[3] else 1)
        _move(state, g[2], amount)
    elif name == "step":
        _move(state, g[1], {"next": 1, "this": 0}.get(g[0], -1))
    elif name in ("step_day", "weekday"):
        direction = 0 if name == "weekday" else {"next": 1, "this": 0}.get(g[0], -1)
        state.weekday = (_WEEKDAYS[g[-1]], direction)
        if "time" not in state.seen:
            state.hour = state.minute = state.second = 0
    else:
        _keyword(state, g[0])


def _move(state: _Parse, unit: str, amount: int) -> None:
    if unit == "month":
        state.months += amount
    elif unit == "year":
        state.months += 12 * amount
    else:
        state.seconds += _UNITS[unit] * amount


def _keyword(state: _Parse, word: str) -> None:
    if word == "now":
        return
    state.hour = 12 if word == "noon" else 0
    state.minute = state.second = 0
    if word == "tomorrow":
        state.seconds += 86400
    elif word == "yesterday":
        state.seconds -= 86400


def _resolve_weekday(day: date, weekday: int, direction: int) -> date:
    ahead = (weekday - day.weekday()) % 7
    if direction > 0:
        return day + timedelta(days=ahead or 7)
    if direction < 0:
        behind = (day.weekday() - weekday) % 7
        return day - timedelta(days=behind or 7)
    return day + timedelta(days=ahead)


def strtotime(text: object, now: int) -> int | None:
    """Unix seconds for ``text`` read relative to ``now``, or None where PHP answers ``false``."""
    if not isinstance(text, str):
        return None
    source = text.strip().lower()
    if not source:
        return None
    moment = datetime.fromtimestamp(now, UTC)
    state = _Parse(moment.date(), moment.hour, moment.minute, moment.second)
    position = 0
    try:
        while position < len(source):
            gap = _SEPARATORS.match(source, position)
            if gap:
                position = gap.end()
                continue
            for name, pattern in _PATTERNS:
                match = pattern.match(source, position)
                if match and match.end() > position:
                    if name == "at":
                        state.seen.add("at")
                        state.day, state.zone = date(1970, 1, 1), 0
                        state.seconds += int(match.group(1))
                        state.hour = state.minute = state.second = 0
                    else:
                        _apply(state, name, match)
                    position = match.end()
                    break
            else:
                return None
        day = _overflow_date(state.day.year, state.day.month + state.months, state.day.day)
        if state.weekday is not None:
            day = _resolve_weekday(day, *state.weekday)
        base = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
    except (ValueError, OverflowError):
        return None
    clock = state.hour * 3600 + state.minute * 60 + state.second
    return int(base) + clock + state.seconds - (state.zone or 0)
