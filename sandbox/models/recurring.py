"""When v4's recurring job sends a template, and the due date it gives the new invoice.

``ninja:send-invoices`` runs hourly (``Kernel::schedule``, on the hour, server time UTC). A template
is picked up when it is recurring, public, not deleted, has a frequency, and its start date has come
(``start_date <= now`` in SQL, and not in the future in the account's time zone), until its end date
(``end_date >= now`` in SQL and not past in the account's time zone, so the end date's own day is
already too late). A template never sent goes at once; after that ``HasRecurrence::getNextSendDate``
gives the next occurrence of its ``Recurr`` rule, started from the last send date at the account's
``recurring_hour``, and the job sends when the account's clock has reached it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sandbox.models.account_settings import setting
from sandbox.models.dates import default_due_date
from sandbox.models.static_data import StaticData
from sandbox.models.strtotime import strtotime

HOUR = 3600
#: ``Account::getTimezone`` when the account has none.
DEFAULT_TIMEZONE = "US/Eastern"
#: ``FREQUENCY_*``: the rule of each frequency, as weeks or as months (``getRecurrenceRule``).
FREQUENCY_WEEKS = {1: 1, 2: 2, 3: 4}
FREQUENCY_MONTHS = {4: 1, 5: 2, 6: 3, 7: 4, 8: 6, 9: 12, 10: 24}


def account_zone(static: StaticData, account: Mapping[str, Any]) -> tzinfo:
    """``Account::getTimezone`` as a time zone (UTC if the name is unknown to this system)."""
    name = DEFAULT_TIMEZONE
    timezone_id = account.get("timezone_id")
    if timezone_id:
        for row in static.tables.get("timezones", []):
            if row.get("id") == timezone_id:
                name = str(row.get("name") or DEFAULT_TIMEZONE)
                break
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _at(day: date, zone: tzinfo, hour: int = 0) -> int:
    """``Carbon::parse("Y-m-d H:00:00", zone)``: a wall-clock time of ``day`` in ``zone`` (DST included)."""
    # Aware datetimes add wall-clock time, so the offset is the one in force at that hour.
    return int((datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(hours=hour)).timestamp())


def add_months(day: date, months: int) -> date:
    """``Recurr`` with ``enableLastDayOfMonthFix``: the same day, or the month's last day when shorter."""
    index = day.month - 1 + months
    first = date(day.year + index // 12, index % 12 + 1, 1)
    return first.replace(day=min(day.day, _last_day(first)))


def next_send_at(template: Mapping[str, Any], account: Mapping[str, Any], zone: tzinfo) -> int | None:
    """``getNextSendDate`` once a template was sent: its rule's next occurrence after the last send."""
    last = _day(template.get("last_sent_date"))
    frequency = int(template.get("frequency_id") or 0)
    if last is None or not template.get("start_date"):
        return None
    hour = int(setting(dict(account), "recurring_hour") or 0)
    if frequency in FREQUENCY_WEEKS:
        following = last + timedelta(weeks=FREQUENCY_WEEKS[frequency])
    elif frequency in FREQUENCY_MONTHS:
        following = add_months(last, FREQUENCY_MONTHS[frequency])
    else:
        return None
    end = _day(template.get("end_date"))
    if end is not None and following > end:
        return None  # the rule's UNTIL (the end date at 24:00) leaves no second occurrence
    return _at(following, zone, hour)


def is_candidate(template: Mapping[str, Any]) -> bool:
    """The job's query, less its dates: recurring, public, not deleted, with a frequency."""
    return (
        bool(template.get("is_recurring"))
        and bool(template.get("is_public"))
        and not template.get("is_deleted")
        and template.get("deleted_at") is None
        and int(template.get("frequency_id") or 0) > 0
        and _day(template.get("start_date")) is not None
    )


def send_window(
    template: Mapping[str, Any], account: Mapping[str, Any], zone: tzinfo
) -> tuple[int, int | None] | None:
    """From when (and until when, inclusive) the hourly job would send the template next; None: never."""
    if not is_candidate(template):
        return None
    start = _day(template.get("start_date"))
    assert start is not None
    earliest = max(_at(start, UTC), _at(start, zone))
    if template.get("last_sent_date"):
        following = next_send_at(template, account, zone)
        if following is None:
            return None
        earliest = max(earliest, following)
    end = _day(template.get("end_date"))
    latest = None if end is None else min(_at(end, UTC), _at(end, zone))
    if latest is not None and latest < earliest:
        return None
    return earliest, latest


def next_tick(after: int, window: tuple[int, int | None]) -> int | None:
    """The first hourly run after ``after`` inside ``window``, or None."""
    earliest, latest = window
    moment = max(after + 1, earliest)
    tick = -(-moment // HOUR) * HOUR
    if latest is not None and tick > latest:
        return None
    return tick


def _nth_weekday_after(today: date, ordinal: int, weekday: int) -> date:
    """PHP's ``strtotime("first sunday")`` and the like: the n-th such day after today."""
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead + 7 * (ordinal - 1))


def recurring_due_date(
    template: Mapping[str, Any], account: Mapping[str, Any], client: Mapping[str, Any], now: int
) -> str | None:
    """``Invoice::getDueDate`` of a template: its coded due day, else the payment terms from ``now``.

    A template's ``due_date`` is a code: in January (the web UI writes 1998-01-DD) it means "day DD
    of the month", the next one after today; in February (1998-02-DD) it means "the first to fourth
    Sunday to Saturday after today", DD counting through them. Another month gives no due date.
    """
    today = datetime.fromtimestamp(now, UTC).date()
    coded = template.get("due_date")
    if coded and str(coded) != "0000-00-00":
        moment = strtotime(str(coded), now) or 0
        month_day = datetime.fromtimestamp(moment, UTC).date()
        if month_day.month == 1:
            due = _day_of_month(today, month_day.day)
            return due.isoformat()
        if month_day.month == 2:
            ordinal = -(-month_day.day // 7)
            weekday = (month_day.day - 1) % 7  # 0 is Sunday
            return _nth_weekday_after(today, ordinal, (weekday - 1) % 7).isoformat()
        return None
    return default_due_date(dict(account), dict(client), today)


def _last_day(day: date) -> int:
    return (date(day.year + (day.month == 12), day.month % 12 + 1, 1) - timedelta(days=1)).day


def _day_of_month(today: date, wanted: int) -> date:
    """Day ``wanted`` of this month (the month's last day at most) if still ahead, else of the next."""
    day = min(wanted, _last_day(today))
    if today.day < day:
        return date(today.year, today.month, day)
    following = add_months(date(today.year, today.month, 1), 1)
    return date(following.year, following.month, min(wanted, _last_day(following)))
