"""``GET /__admin/coverage``: the v4 routes and error paths the journal has seen, and the gaps."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sandbox.api.upstream import UPSTREAM_ROUTES

JSON = {"Accept": "application/json"}


def _coverage(admin: httpx.Client, **params: str) -> dict[str, Any]:
    response = admin.get("/coverage", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _row(report: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    [row] = [r for r in report["routes"] if (r["method"], r["path"]) == (method, "/api/v1" + path)]
    return row


def _kinds(report: dict[str, Any], method: str, path: str) -> list[str]:
    return [error["kind"] for error in _row(report, method, path)["errors"]]


@pytest.fixture(autouse=True)
def _fresh_count(admin: httpx.Client) -> None:
    """Coverage outlives resets, so each test here starts its own count."""
    response = admin.delete("/coverage")
    assert response.status_code == 200
    assert response.json() == {"cleared": True}


def test_an_empty_journal_has_seen_nothing(admin: httpx.Client) -> None:
    report = _coverage(admin)
    since = report["totals"].pop("since")
    assert isinstance(since, float)
    assert list(report) == ["totals", "routes", "paths", "kinds"]
    total = sum(len(row["errors"]) for row in report["routes"]) + len(report["paths"])
    assert report["totals"] == {
        "routes": {"seen": 0, "total": 140, "percent": 0.0},
        "error_paths": {"seen": 0, "total": total, "percent": 0.0},
        "requests": 0,
        "unmatched": 0,
    }
    assert [(row["method"], row["path"]) for row in report["routes"]] == [
        (route.method, "/api/v1" + route.path) for route in UPSTREAM_ROUTES
    ]
    assert _row(report, "GET", "/clients") == {
        "method": "GET",
        "path": "/api/v1/clients",
        "action": "ClientApiController@index",
        "requests": 0,
        "statuses": {},
        "errors": [{"kind": "invalid_token", "statuses": [403], "seen": 0}],
        "other_errors": [],
    }
    assert report["paths"][:2] == [
        {"path": "/api/v1/ping", "methods": ["GET"], "method_not_allowed": 0},
        {"path": "/api/v1/login", "methods": ["POST"], "method_not_allowed": 0},
    ]
    assert set(report["kinds"]) == {
        "invalid_token", "invalid_secret", "throttled", "not_found", "forbidden", "validation",
        "unsupported_action", "invalid_credentials", "method_not_allowed",
    }  # fmt: skip


def test_error_paths_follow_each_routes_declaration(admin: httpx.Client) -> None:
    report = _coverage(admin)
    expected = {
        ("POST", "/login"): ["invalid_secret", "throttled", "invalid_credentials"],
        ("GET", "/clients/create"): ["invalid_token"],  # v4 answers 500 to everything past ApiCheck
        ("GET", "/clients/{id}"): ["invalid_token", "not_found", "forbidden"],
        ("PUT", "/invoices/{id}"): [
            "invalid_token",
            "not_found",
            "forbidden",
            "validation",
            "unsupported_action",
        ],
        ("POST", "/payments"): ["invalid_token", "not_found", "forbidden", "validation"],
        ("POST", "/tasks"): ["invalid_token"],  # no Form Request: no policy, no validation
        ("PUT", "/tasks/{id}"): [
            "invalid_token",
            "not_found",
            "forbidden",
            "validation",
            "unsupported_action",
        ],
        ("DELETE", "/vendors/{id}"): ["invalid_token", "not_found", "forbidden"],
        ("PUT", "/accounts"): ["invalid_token", "validation"],
        ("GET", "/dashboard"): ["invalid_token"],
    }
    assert {key: _kinds(report, *key) for key in expected} == expected
    validation = next(e for e in _row(report, "POST", "/products")["errors"] if e["kind"] == "validation")
    assert validation == {"kind": "validation", "statuses": [422, 302, 400], "seen": 0}


def test_journaled_answers_mark_routes_and_error_paths_seen(
    api: httpx.Client, anonymous: httpx.Client, admin: httpx.Client
) -> None:
    assert api.get("/clients").status_code == 200
    assert api.head("/clients").status_code == 200
    assert anonymous.get("/clients", headers=JSON).status_code == 403
    assert api.get("/clients/999999").status_code == 404
    assert api.post("/products", json={}, headers=JSON).status_code == 422
    assert api.put("/clients/1", params={"action": "bogus"}, json={}).status_code == 400
    assert api.get("/clients/create", headers=JSON).status_code == 500
    assert api.get("/hooks", headers=JSON).status_code == 405
    assert api.get("/no_such_thing").status_code == 404
    assert anonymous.post("/login", json={}, headers=JSON).status_code == 403
    throttled = api.get("/products", headers={"X-Sandbox-Fault": "error=403-throttle"})
    assert throttled.status_code == 403

    report = _coverage(admin)

    assert report["totals"]["routes"] == {"seen": 7, "total": 140, "percent": 5.0}
    # token, not found, unsupported action, validation, secret, and the 405 on /hooks
    assert report["totals"]["error_paths"]["seen"] == 6
    assert {k: report["totals"][k] for k in ("requests", "unmatched")} == {
        "requests": 11,
        "unmatched": 1,
    }
    clients = _row(report, "GET", "/clients")
    assert (clients["requests"], clients["statuses"], clients["errors"]) == (
        3,
        {"200": 2, "403": 1},
        [{"kind": "invalid_token", "statuses": [403], "seen": 1}],
    )
    assert {e["kind"]: e["seen"] for e in _row(report, "GET", "/clients/{id}")["errors"]} == {
        "invalid_token": 0,
        "not_found": 1,
        "forbidden": 0,
    }
    assert [e for e in _row(report, "PUT", "/clients/{id}")["errors"] if e["seen"]] == [
        {"kind": "unsupported_action", "statuses": [400], "seen": 1}
    ]
    assert [e["kind"] for e in _row(report, "POST", "/products")["errors"] if e["seen"]] == ["validation"]
    assert [e["kind"] for e in _row(report, "POST", "/login")["errors"] if e["seen"]] == ["invalid_secret"]
    created = _row(report, "GET", "/clients/create")
    assert (created["statuses"], created["other_errors"]) == ({"500": 1}, [])
    # A throttle answer on a route that self-hosted v4 never throttles (here, a fault) is listed apart.
    assert _row(report, "GET", "/products")["other_errors"] == [{"kind": "throttled", "seen": 1}]
    hooks = [p for p in report["paths"] if p["path"] == "/api/v1/hooks"]
    assert hooks == [{"path": "/api/v1/hooks", "methods": ["POST"], "method_not_allowed": 1}]


def test_unseen_lists_only_the_gaps(api: httpx.Client, anonymous: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/clients").status_code == 200
    assert anonymous.get("/clients", headers=JSON).status_code == 403
    assert api.get("/clients/1").status_code == 200
    assert api.post("/hooks", json={}).status_code != 405
    assert api.get("/hooks", headers=JSON).status_code == 405

    full = _coverage(admin)
    gaps = _coverage(admin, unseen="true")

    assert gaps["totals"] == full["totals"]
    listed = {(row["method"], row["path"]) for row in gaps["routes"]}
    assert ("GET", "/api/v1/clients") not in listed  # requested, and its one error path seen
    assert len(listed) == 139
    shown = _row(gaps, "GET", "/clients/{id}")
    assert (shown["requests"], [e["kind"] for e in shown["errors"]]) == (
        1,
        ["invalid_token", "not_found", "forbidden"],
    )
    assert all(error["seen"] == 0 for row in gaps["routes"] for error in row["errors"])
    assert "/api/v1/hooks" not in {row["path"] for row in gaps["paths"]}
    assert len(gaps["paths"]) == len(full["paths"]) - 1
    assert _coverage(admin, unseen="false") == full


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"unseen": "maybe"}, "unseen must be true or false"),
        ({"unseen_only": "true"}, "unknown parameter unseen_only; known parameters: unseen"),
    ],
)
def test_bad_parameters_are_400(admin: httpx.Client, params: dict[str, str], error: str) -> None:
    response = admin.get("/coverage", params=params)
    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_the_count_outlives_resets_until_cleared(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/clients").status_code == 200
    assert admin.post("/reset").status_code == 200
    assert api.get("/clients/999999").status_code == 404
    assert admin.get("/requests").json()["total"] == 1  # the journal was emptied by the reset
    report = _coverage(admin)
    assert report["totals"]["requests"] == 2
    assert _row(report, "GET", "/clients")["requests"] == 1
    assert _row(report, "GET", "/clients/{id}")["statuses"] == {"404": 1}
    assert admin.delete("/coverage").status_code == 200
    assert _coverage(admin)["totals"]["requests"] == 0
