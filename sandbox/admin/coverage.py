"""``GET /__admin/coverage``: which v4 routes and error answers the sandbox has seen, and which not.

The count is kept apart from the journal and survives resets (the pytest plugin resets before every
test), so it adds up over a whole test session until ``DELETE /__admin/coverage``.
Every route of v4.5.50 (``sandbox.api.upstream``) is listed with the requests seen for
it and the error paths v4 can take on it, each marked seen or not. The error paths of a route are
derived from how it is declared, following reference §2.9 (the order of checks): the token (or, for
login and registration, the secret and its throttle) on every route, 404 on every route with an id,
the policy check and the validation of the Form Requests behind it (reference Appendix A), the
``?action=`` of the resources whose ``update`` takes one, and the 405 every path answers to another
method. Error answers a route gave that are not in its list are shown too, as ``other_errors``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.admin.replies import admin_error, json_response
from sandbox.admin.table import AdminRoute
from sandbox.api import api_routes
from sandbox.api.coverage import route_key
from sandbox.api.routing import ApiRoute, Auth, missing_controller_method
from sandbox.api.upstream import UPSTREAM_ROUTES, UpstreamRoute
from sandbox.coverage_tally import Answer, CoverageTally
from sandbox.namespaces import runtime_of

Key = tuple[str, str]


@dataclass(frozen=True)
class ErrorPath:
    """One way a route can fail: a name, the statuses it answers with, and when it happens."""

    kind: str
    statuses: tuple[int, ...]
    summary: str


INVALID_TOKEN = ErrorPath("invalid_token", (403,), "missing, unknown or revoked X-Ninja-Token (ApiCheck)")
INVALID_SECRET = ErrorPath("invalid_secret", (403,), "wrong or missing API secret (ApiCheck)")
THROTTLED = ErrorPath("throttled", (403,), 'ApiCheck\'s throttle: "Please wait N second(s)"')
NOT_FOUND = ErrorPath(
    "not_found", (404,), "the id in the path (or a record the input names) is unknown, or another account's"
)
FORBIDDEN = ErrorPath("forbidden", (403,), "the Form Request's policy refuses the user")
VALIDATION = ErrorPath(
    "validation",
    (422, 302, 400),
    "validation failed: 422 with a JSON Accept, else a 302 redirect; 400 when api_secret is sent",
)
UNSUPPORTED_ACTION = ErrorPath("unsupported_action", (400,), "?action= names an action v4 does not have")
INVALID_CREDENTIALS = ErrorPath("invalid_credentials", (401,), "wrong email, password or one-time password")
METHOD_NOT_ALLOWED = ErrorPath("method_not_allowed", (405,), "another method on this path")

#: Appendix A: the actions whose Form Request has rules (PUT's request also serves DELETE).
_VALIDATED = {
    "ClientApiController": "store update destroy",
    "ContactApiController": "store update destroy",
    "InvoiceApiController": "store update destroy",
    "PaymentApiController": "store",
    "CreditApiController": "store update destroy",
    "TaskApiController": "update destroy",
    "ProductApiController": "store update destroy",
    "ProjectApiController": "store update destroy",
    "TaxRateApiController": "store update destroy",
    "VendorApiController": "store update",
    "ExpenseCategoryApiController": "store update destroy",
    "PaymentTermApiController": "store",
    "UserApiController": "update destroy",
    "AccountApiController": "update register",
}
#: Reference §5: the resources whose ``update`` goes through ``handleAction``.
_ACTIONS = {
    "ClientApiController", "ContactApiController", "InvoiceApiController", "PaymentApiController",
    "TaskApiController", "CreditApiController", "ProductApiController", "ProjectApiController",
    "TaxRateApiController", "ExpenseApiController", "VendorApiController",
}  # fmt: skip
#: Actions without a Form Request, so without a policy check (``POST /tasks``).
_NO_POLICY = {"TaskApiController@store"}
#: Routes that look up a record named in their input and answer 404 when it is missing.
_LOOKUPS = {
    "InvoiceApiController@store",
    "InvoiceApiController@emailInvoice",
    "PaymentApiController@store",
    "DocumentAPIController@store",
}
_POLICY_VERBS = ("store", "show", "update", "destroy")
_KINDS = (
    INVALID_TOKEN,
    INVALID_SECRET,
    THROTTLED,
    NOT_FOUND,
    FORBIDDEN,
    VALIDATION,
    UNSUPPORTED_ACTION,
    INVALID_CREDENTIALS,
    METHOD_NOT_ALLOWED,
)
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no", "")


def error_paths(upstream: UpstreamRoute, served: ApiRoute | None) -> list[ErrorPath]:
    """The error paths of one route, derived from its declaration (see the module docstring)."""
    if served is None:
        return []
    paths = [INVALID_SECRET, THROTTLED] if served.auth is Auth.SECRET else [INVALID_TOKEN]
    if served.handler is missing_controller_method:
        return paths  # every request that passes ApiCheck gets v4's 500
    controller, _, verb = upstream.action.partition("@")
    if "{" in upstream.path or upstream.action in _LOOKUPS:
        paths.append(NOT_FOUND)
    if verb in _POLICY_VERBS and upstream.action not in _NO_POLICY and controller != "AccountApiController":
        paths.append(FORBIDDEN)
    if verb in _VALIDATED.get(controller, "").split():
        paths.append(VALIDATION)
    if verb == "update" and controller in _ACTIONS:
        paths.append(UNSUPPORTED_ACTION)
    if upstream.action == "AccountApiController@login":
        paths.append(INVALID_CREDENTIALS)
    return paths


def classify(answer: Answer, expected: list[ErrorPath]) -> str | None:
    """The error path a journaled answer took (None for a success), read from its status and body."""
    status, body = answer.status, answer.body
    if 200 <= status < 300:
        return None
    kinds = {
        0: "no_answer",
        302: "validation",
        401: "invalid_credentials",
        404: "not_found",
        405: "method_not_allowed",
        422: "validation",
        500: "server_error",
    }
    if status == 403:
        if "Invalid token" in body:
            return "invalid_token"
        if "API_SECRET" in body:
            return "invalid_secret"
        return "throttled" if body.lstrip().startswith('"Please wait') else "forbidden"
    if status == 400:
        if "is not supported" in body:
            return "unsupported_action"
        return "validation" if VALIDATION in expected else "bad_request"
    return kinds.get(status, f"status_{status}")


def _percent(seen: int, total: int) -> float:
    return round(100 * seen / total, 1) if total else 0.0


def _path_pattern(path: str) -> re.Pattern[str]:
    return re.compile("^/api/v1" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path)) + "/?$")


def coverage_report(tally: CoverageTally, *, unseen_only: bool = False) -> dict[str, Any]:
    """The coverage of the tallied answers over v4's routes (see the module docstring)."""
    served = {route_key(r.method, r.path): r for r in api_routes()}
    by_route: dict[Key, list[tuple[Answer, int]]] = {}
    wrong_method: Counter[str] = Counter()
    unmatched = 0
    paths = list(dict.fromkeys(route.path for route in UPSTREAM_ROUTES))
    patterns = [(path, _path_pattern(path)) for path in paths]
    for answer, count in tally.items():
        if answer.route is not None:
            method = "GET" if answer.method == "HEAD" else answer.method
            by_route.setdefault(route_key(method, answer.route), []).append((answer, count))
        elif answer.status == 405:
            found = next((path for path, pattern in patterns if pattern.match(answer.path)), None)
            if found is not None:
                wrong_method[found] += count
        elif answer.status == 404:
            unmatched += count
    rows = []
    routes_seen = errors_seen = errors_total = 0
    for upstream in UPSTREAM_ROUTES:
        key = route_key(upstream.method, upstream.path)
        route = served.get(key)
        expected = error_paths(upstream, route)
        hits = by_route.get(key, [])
        kinds: Counter[str | None] = Counter()
        statuses: Counter[int] = Counter()
        for answer, count in hits:
            kinds[classify(answer, expected)] += count
            statuses[answer.status] += count
        requests = sum(statuses.values())
        errors = [
            {"kind": path.kind, "statuses": list(path.statuses), "seen": kinds.get(path.kind, 0)}
            for path in expected
        ]
        routes_seen += bool(requests)
        errors_total += len(errors)
        errors_seen += sum(1 for error in errors if error["seen"])
        listed = {path.kind for path in expected}
        if route is not None and route.handler is missing_controller_method:
            listed.add("server_error")
        others = [
            {"kind": kind, "seen": count}
            for kind, count in sorted(kinds.items(), key=lambda item: str(item[0]))
            if kind is not None and kind not in listed
        ]
        row: dict[str, Any] = {
            "method": upstream.method,
            "path": "/api/v1" + upstream.path,
            "action": upstream.action,
            "requests": requests,
            "statuses": {str(status): count for status, count in sorted(statuses.items())},
            "errors": [error for error in errors if not (unseen_only and error["seen"])],
            "other_errors": others,
        }
        if not unseen_only or not requests or row["errors"]:
            rows.append(row)
    path_rows = [
        {"path": "/api/v1" + path, "methods": _methods(path), "method_not_allowed": wrong_method.get(path, 0)}
        for path in paths
    ]
    errors_total += len(path_rows)
    errors_seen += sum(1 for row in path_rows if row["method_not_allowed"])
    return {
        "totals": {
            "routes": {
                "seen": routes_seen,
                "total": len(UPSTREAM_ROUTES),
                "percent": _percent(routes_seen, len(UPSTREAM_ROUTES)),
            },
            "error_paths": {
                "seen": errors_seen,
                "total": errors_total,
                "percent": _percent(errors_seen, errors_total),
            },
            "requests": tally.requests,
            "unmatched": unmatched,
            "since": tally.since,
        },
        "routes": rows,
        "paths": [row for row in path_rows if not (unseen_only and row["method_not_allowed"])],
        "kinds": {path.kind: path.summary for path in _KINDS},
    }


def _methods(path: str) -> list[str]:
    return [route.method for route in UPSTREAM_ROUTES if route.path == path]


async def journal_coverage(request: web.Request) -> web.Response:
    """``GET /__admin/coverage``: v4 routes and error paths exercised by the journaled requests.

    ``?unseen=true`` lists only the gaps: routes never requested, and the error paths not yet seen.
    """
    unknown = sorted(set(request.query) - {"unseen"})
    if unknown:
        return admin_error(400, f"unknown parameter {unknown[0]}; known parameters: unseen")
    unseen = request.query.get("unseen", "false").strip().lower()
    if unseen not in _TRUE + _FALSE:
        return admin_error(400, "unseen must be true or false")
    report = coverage_report(runtime_of(request).coverage, unseen_only=unseen in _TRUE)
    return json_response(report)


async def clear_coverage(request: web.Request) -> web.Response:
    """``DELETE /__admin/coverage``: start counting again from nothing."""
    runtime = runtime_of(request)
    runtime.coverage.clear(runtime.clock.now())
    return json_response({"cleared": True})


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/coverage", journal_coverage, "coverage", "v4 routes and error paths the journal saw"),
    AdminRoute("DELETE", "/coverage", clear_coverage, "clear_coverage", "start counting coverage again"),
)
