"""``/__admin/faults``: fault rules for ``/api/v1`` requests, and the switch for v4's hosted throttle.

A rule is ``{"match": <matcher>, "fault": <fault>, "probability": 0..1, "count": n}``: the matcher
is the journal's language (:mod:`sandbox.admin.matching`) without ``status``, since the fault is
chosen before there is a response; the fault is described in :mod:`sandbox.faults`. ``match``
defaults to ``{}`` (every API request), ``probability`` to 1 and ``count`` to no limit. Rules are
tried in the order they were created; reset deletes them all and puts the throttle back as
``--throttle`` set it.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from sandbox.admin.matching import MatcherError, parse_matcher
from sandbox.admin.replies import admin_error, json_response
from sandbox.admin.table import AdminRoute
from sandbox.faults import FaultRule, Faults, FaultSpecError, parse_fault
from sandbox.namespaces import runtime_of
from sandbox.throttle import ThrottleConfig

_RULE_KEYS = ("match", "fault", "probability", "count")
_THROTTLE_KEYS = ("enabled", "limit", "period_s")


class _BadInput(ValueError):
    """A bad admin body; answered as 400 ``{"error": message}``."""


def _faults(request: web.Request) -> Faults:
    return runtime_of(request).faults


async def _json_object(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        data = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError as exc:
        raise _BadInput("the body must be a JSON object") from exc
    if not isinstance(data, dict):
        raise _BadInput("the body must be a JSON object")
    return data


def _unknown(data: dict[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(str(key) for key in data if key not in known)
    if unknown:
        raise _BadInput(f"unknown key: {unknown[0]} (known keys: {', '.join(known)})")


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _BadInput(f"{name} must be a positive integer")
    return value


def _rule(faults: Faults, data: dict[str, Any]) -> FaultRule:
    _unknown(data, _RULE_KEYS)
    if "fault" not in data:
        raise _BadInput('fault is required, e.g. {"error": 500} or {"latency_ms": 200}')
    match = data.get("match", {})
    if isinstance(match, dict) and "status" in match:
        raise _BadInput("status cannot choose a fault: faults are chosen before there is a response")
    matcher = parse_matcher(match)
    fault = parse_fault(data["fault"])
    probability = data.get("probability", 1)
    if isinstance(probability, bool) or not isinstance(probability, int | float) or not 0 <= probability <= 1:
        raise _BadInput("probability must be a number from 0 to 1")
    count = data.get("count")
    if count is not None:
        count = _positive_int(count, "count (or null for no limit)")
    return faults.add(matcher, fault, float(probability), count)


def _rule_id(request: web.Request) -> int | None:
    text = request.match_info["id"]
    return int(text) if text.isascii() and text.isdigit() else None


async def list_faults(request: web.Request) -> web.Response:
    """``GET /__admin/faults``: every fault rule with its remaining count and hits, in the order tried."""
    rules = _faults(request).rules
    return json_response({"faults": [rule.to_json() for rule in rules], "total": len(rules)})


async def create_fault(request: web.Request) -> web.Response:
    """``POST /__admin/faults``: add a rule, tried after the existing ones; 201 with the rule."""
    try:
        rule = _rule(_faults(request), await _json_object(request))
    except (_BadInput, MatcherError, FaultSpecError) as exc:
        return admin_error(400, str(exc))
    return json_response(rule.to_json(), 201)


async def get_fault(request: web.Request) -> web.Response:
    """``GET /__admin/faults/{id}``: one rule."""
    rule_id = _rule_id(request)
    rule = None if rule_id is None else _faults(request).get(rule_id)
    if rule is None:
        return admin_error(404, f"no fault rule {request.match_info['id']}")
    return json_response(rule.to_json())


async def delete_fault(request: web.Request) -> web.Response:
    """``DELETE /__admin/faults/{id}``: delete one rule."""
    rule_id = _rule_id(request)
    if rule_id is None or not _faults(request).remove(rule_id):
        return admin_error(404, f"no fault rule {request.match_info['id']}")
    return json_response({"deleted": True, "id": rule_id})


async def clear_faults(request: web.Request) -> web.Response:
    """``DELETE /__admin/faults``: delete every rule (the throttle switch stays as it is)."""
    _faults(request).clear()
    return json_response({"cleared": True})


async def get_throttle(request: web.Request) -> web.Response:
    """``GET /__admin/faults/throttle``: whether v4's hosted throttle is on, its numbers and its buckets."""
    return json_response(_faults(request).throttle.to_json())


async def set_throttle(request: web.Request) -> web.Response:
    """``PUT /__admin/faults/throttle``: ``{"enabled": true, "limit": 1000, "period_s": 3600}``."""
    try:
        data = await _json_object(request)
        _unknown(data, _THROTTLE_KEYS)
        enabled = data.get("enabled")
        if not isinstance(enabled, bool):
            raise _BadInput("enabled must be true or false")
        limit = _positive_int(data.get("limit", 1000), "limit")
        period = _positive_int(data.get("period_s", 3600), "period_s")
    except _BadInput as exc:
        return admin_error(400, str(exc))
    throttle = _faults(request).throttle
    throttle.configure(ThrottleConfig(limit, period) if enabled else None)
    return json_response(throttle.to_json())


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute(
        "GET", "/faults", list_faults, "list_faults", "fault rules with their remaining counts and hits"
    ),
    AdminRoute("POST", "/faults", create_fault, "create_fault", "add a fault rule for matching API requests"),
    AdminRoute("DELETE", "/faults", clear_faults, "clear_faults", "delete every fault rule"),
    # Before ``/faults/{id}``, which would otherwise take ``throttle`` for an id.
    AdminRoute(
        "GET", "/faults/throttle", get_throttle, "get_throttle", "v4's hosted throttle: switch and buckets"
    ),
    AdminRoute(
        "PUT", "/faults/throttle", set_throttle, "set_throttle", "switch v4's hosted throttle on or off"
    ),
    AdminRoute("GET", "/faults/{id}", get_fault, "get_fault", "one fault rule"),
    AdminRoute("DELETE", "/faults/{id}", delete_fault, "delete_fault", "delete one fault rule"),
)
