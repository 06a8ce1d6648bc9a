"""``/__admin/clock``: the sandbox's time, which can be frozen, set and advanced.

Moving the time forward runs v4's scheduled jobs for the time passed over (recurring invoices and
reminder emails, see :mod:`sandbox.models.recurring_job`); the answer says what they did.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import orjson
from aiohttp import web

from sandbox.admin.replies import admin_error, json_response
from sandbox.admin.table import AdminRoute
from sandbox.api.effects import deliver
from sandbox.models.accounts import Env
from sandbox.models.overdue import overdue_invoices, past_due_from, status_label
from sandbox.models.recurring_job import ScheduledJobs
from sandbox.namespaces import runtime_of
from sandbox.runtime import Runtime
from sandbox.store import StorageFailure

OPTIONS = ("advance", "freeze", "to", "jobs")
#: 9999-12-31T23:59:59Z: the last second every date computation can still name.
LATEST = 253402300799


class ClockInputError(ValueError):
    """An option the clock cannot take; its text is the 400 answer."""


def _moment(value: Any, name: str) -> float:
    """A unix time, or an ISO 8601 date or date-time (UTC unless it names an offset)."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ClockInputError(
                f"{name} must be a unix time or an ISO 8601 date-time, not {value!r}"
            ) from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        moment = parsed.timestamp()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = float(value)
    else:
        raise ClockInputError(f"{name} must be a unix time or an ISO 8601 date-time")
    if not 0 <= moment <= LATEST:
        raise ClockInputError(f"{name} must lie between 1970 and 9999")
    return moment


def _state(runtime: Runtime) -> dict[str, Any]:
    clock = runtime.clock
    return {"now": clock.now(), "frozen": clock.frozen, "iso": clock.iso()}


async def get_clock(request: web.Request) -> web.Response:
    """``GET /__admin/clock``: the sandbox's time and whether it is frozen."""
    return json_response(_state(runtime_of(request)))


def _apply(runtime: Runtime, options: dict[str, Any]) -> None:
    """Freeze or unfreeze, then jump, then advance; an invalid option changes nothing."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ClockInputError(f"unknown field {unknown[0]}; known fields: {', '.join(OPTIONS)}")
    freeze, to, advance = options.get("freeze"), options.get("to"), options.get("advance")
    if options.get("jobs") is not None and not isinstance(options.get("jobs"), bool):
        raise ClockInputError("jobs must be true or false")
    freeze_at = None if freeze is None or isinstance(freeze, bool) else _moment(freeze, "freeze")
    jump = None if to is None else _moment(to, "to")
    if advance is not None and (
        isinstance(advance, bool) or not isinstance(advance, int | float) or not math.isfinite(advance)
    ):
        raise ClockInputError("advance must be a number of seconds")
    start = jump if jump is not None else freeze_at if freeze_at is not None else runtime.clock.now()
    if advance is not None and not 0 <= start + float(advance) <= LATEST:
        raise ClockInputError("advance would move the time outside 1970 to 9999")
    clock = runtime.clock
    if freeze is True:
        clock.freeze()
    elif freeze is False:
        clock.unfreeze()
    elif freeze_at is not None:
        clock.freeze(freeze_at)
    if jump is not None:
        clock.set(jump)
    if advance is not None:
        clock.advance(float(advance))


def run_jobs(runtime: Runtime, base_url: str, start: float, end: float) -> dict[str, Any]:
    """v4's scheduled jobs for every moment in ``(start, end]``, and what they did."""

    def hand_on(env: Env, moment: int) -> None:
        deliver(runtime, env, float(moment))

    jobs = ScheduledJobs(runtime.store, runtime.static, runtime.rng, base_url, hand_on)
    report = jobs.run(math.floor(start), math.floor(end))
    return {
        "jobs": {"from": start, "to": end},
        "recurring": {"created": report.created},
        "reminders": report.reminders,
        "overdue": report.overdue,
        "errors": report.errors,
    }


async def set_clock(request: web.Request) -> web.Response:
    """``POST /__admin/clock``: ``{"advance": s, "freeze": true|false|time, "to": time, "jobs": bool}``.

    Moving forward runs v4's recurring-invoice and reminder jobs for the time passed (unless
    ``jobs`` is false) and answers what they did.
    """
    runtime = runtime_of(request)
    try:
        options = orjson.loads(await request.read() or b"{}")
    except orjson.JSONDecodeError:
        return admin_error(400, "the body must be a JSON object")
    if not isinstance(options, dict):
        return admin_error(400, "the body must be a JSON object")
    before = runtime.clock.now()
    try:
        _apply(runtime, options)
    except ClockInputError as error:
        return admin_error(400, str(error))
    after = runtime.clock.now()
    done: dict[str, Any] = {
        "jobs": None,
        "recurring": {"created": []},
        "reminders": [],
        "overdue": [],
        "errors": [],
    }
    if options.get("jobs", True) and after > before:
        try:
            done = run_jobs(runtime, f"{request.scheme}://{request.host}", before, after)
        except StorageFailure as error:
            return admin_error(500, f"the data file could not be written: {error}")
    return json_response({**_state(runtime), **done})


async def list_overdue(request: web.Request) -> web.Response:
    """``GET /__admin/clock/overdue``: invoices past due at the sandbox's time (``?account_key=``)."""
    runtime = runtime_of(request)
    now = runtime.clock.now()
    account_key = request.query.get("account_key")
    keys = {int(row["doc_id"]): row.get("account_key") for row in runtime.store.all("accounts")}
    invoices = [
        {
            "account_key": keys.get(int(row["account_id"])),
            "id": row["public_id"],
            "invoice_number": row.get("invoice_number"),
            "invoice_type_id": row.get("invoice_type_id"),
            "due_date": row.get("partial_due_date") or row.get("due_date"),
            "balance": row.get("balance"),
            "since": past_due_from(row),
            "label": status_label(row, now),
        }
        for _, row in sorted(overdue_invoices(runtime.store, now).items())
        if account_key is None or keys.get(int(row["account_id"])) == account_key
    ]
    return json_response({"now": now, "invoices": invoices, "total": len(invoices)})


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/clock", get_clock, "get_clock", "the sandbox's time"),
    AdminRoute(
        "POST", "/clock", set_clock, "set_clock", "advance, set, freeze or unfreeze the time; runs v4's jobs"
    ),
    AdminRoute(
        "GET", "/clock/overdue", list_overdue, "list_overdue", "invoices past due at the sandbox's time"
    ),
)
