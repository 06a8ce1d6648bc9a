"""Fault injection (``/__admin/faults`` rules, the ``X-Sandbox-Fault`` header) and v4's hosted throttle."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

JSON = {"Accept": "application/json"}
FAULT = "X-Sandbox-Fault"
SERVER_ERROR = '{\n    "message": "Server Error"\n}'


def _rule(admin: httpx.Client, **rule: Any) -> dict[str, Any]:
    response = admin.post("/faults", json=rule)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _last_entry(admin: httpx.Client) -> dict[str, Any]:
    entries = admin.get("/requests").json()["requests"]
    entry: dict[str, Any] = entries[-1]
    return entry


def _product_count(api: httpx.Client) -> int:
    return len(api.get("/products", params={"per_page": 500}).json()["data"])


# --- rules ------------------------------------------------------------------------------------------------


def test_rule_targets_a_path_template_and_stops_after_its_count(
    api: httpx.Client, admin: httpx.Client
) -> None:
    rule = _rule(admin, match={"path_template": "/api/v1/clients/{id}"}, fault={"error": 500}, count=2)
    assert rule == {
        "id": 1,
        "match": {"path_template": "/api/v1/clients/{id}"},
        "probability": 1.0,
        "count": 2,
        "remaining": 2,
        "matched": 0,
        "hits": 0,
        "fault": {"error": 500},
    }
    assert api.get("/clients", headers=JSON).status_code == 200  # another route: untouched
    for _ in range(2):
        response = api.get("/clients/1", headers=JSON)
        assert (response.status_code, response.text) == (500, SERVER_ERROR)
        assert "X-Ninja-Version" not in response.headers
    response = api.get("/clients/1", headers=JSON)
    assert response.status_code == 200
    assert response.json()["data"]["id"] == 1
    shown = admin.get("/faults/1")
    assert shown.status_code == 200
    assert (shown.json()["remaining"], shown.json()["hits"], shown.json()["matched"]) == (0, 2, 2)


def test_rule_targets_an_account(api: httpx.Client, other_api: httpx.Client, admin: httpx.Client) -> None:
    assert other_api.get("/ping").status_code == 200
    other_key = _last_entry(admin)["account_key"]
    _rule(admin, match={"account": other_key, "method": "GET"}, fault={"error": "404-route"})
    response = other_api.get("/products")
    assert response.status_code == 404
    assert response.json() == {"error": {"message": "Route does not exist"}}
    assert response.headers["X-Ninja-Version"] == "4.5.50"
    assert api.get("/products").status_code == 200
    assert other_api.post("/products", json={"product_key": "x"}).status_code == 200


def test_probability_zero_never_fires(api: httpx.Client, admin: httpx.Client) -> None:
    _rule(admin, fault={"drop": True}, probability=0)
    statuses = {api.get("/ping").status_code for _ in range(20)}
    assert statuses == {200}
    rule = admin.get("/faults/1").json()
    assert (rule["matched"], rule["hits"], rule["remaining"]) == (20, 0, None)


def test_first_firing_rule_wins_and_a_custom_body_may_use_any_status(
    api: httpx.Client, admin: httpx.Client
) -> None:
    _rule(admin, match={"method": "POST"}, fault={"error": 422})
    _rule(admin, fault={"error": 429, "body": {"message": "Too Many Attempts."}})
    response = api.post("/products", json={"product_key": "k"})
    assert response.status_code == 422
    assert response.text == (
        '{"message":"The given data was invalid.","errors":{"id":["The selected id is invalid."]}}'
    )
    response = api.get("/products")
    assert (response.status_code, response.text) == (429, '{\n    "message": "Too Many Attempts."\n}')
    assert response.headers["X-Ninja-Version"] == "4.5.50"
    assert [rule["hits"] for rule in admin.get("/faults").json()["faults"]] == [1, 1]


def test_rule_latency_delays_then_answers(api: httpx.Client, admin: httpx.Client) -> None:
    _rule(admin, match={"path": "/api/v1/ping"}, fault={"latency_ms": 150})
    started = time.perf_counter()
    response = api.get("/ping")
    assert time.perf_counter() - started >= 0.15
    assert (response.status_code, response.text) == (200, "success")
    entry = _last_entry(admin)
    assert (entry["status"], entry["duration_ms"] >= 150) == (200, True)


def test_rule_drop_closes_the_connection_before_the_handler(api: httpx.Client, admin: httpx.Client) -> None:
    before = _product_count(api)
    _rule(admin, match={"method": "POST"}, fault={"drop": True}, count=1)
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        api.post("/products", json={"product_key": "dropped"})
    assert _product_count(api) == before  # the request never reached the handler
    entry = admin.get("/requests", params={"method": "POST"}).json()["requests"][0]
    assert (entry["status"], entry["response_headers"], entry["response_body"]) == (0, {}, "")


def test_rule_drop_after_keeps_the_write_but_loses_the_answer(api: httpx.Client, admin: httpx.Client) -> None:
    before = _product_count(api)
    _rule(admin, match={"method": "POST"}, fault={"drop": "after"}, count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/products", json={"product_key": "kept"})
    assert _product_count(api) == before + 1


def test_rule_truncate_sends_the_full_length_but_a_short_body(api: httpx.Client, admin: httpx.Client) -> None:
    full = api.get("/clients/1").content
    _rule(admin, match={"path": "/api/v1/clients/1"}, fault={"truncate": 10})
    with api.stream("GET", "/clients/1") as response:
        assert response.status_code == 200
        assert response.headers["Content-Length"] == str(len(full))
        with pytest.raises(httpx.RemoteProtocolError, match="received 10 bytes"):
            response.read()
    entry = _last_entry(admin)
    assert (entry["status"], entry["response_body"]) == (0, full[:10].decode())
    assert entry["response_headers"]["Content-Length"] == str(len(full))


# --- the X-Sandbox-Fault header ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "accept", "status", "body"),
    [
        ("error=500", JSON, 500, SERVER_ERROR),
        (
            "error=500-internal",
            {},
            500,
            '{\n    "error": {\n        "message": "Internal Server Error"\n    }\n}',
        ),
        ("error=403", {}, 403, '{"error":{"message":"Invalid token"}}'),
        ("error=403-throttle", {}, 403, '"Please wait 1 second(s)"'),
        ("error=403-plan", {}, 403, '{"error":{"message":"API requires pro plan"}}'),
        ("error=403-forbidden", JSON, 403, '{\n    "message": "This action is unauthorized."\n}'),
        ("error=404", {}, 404, '{\n    "message": "record does not exist"\n}'),
        ("error=404-empty", {}, 404, '{\n    "error": "Record not found"\n}'),
        ("error=401", {}, 401, '{\n    "error": {\n        "message": "Invalid credentials"\n    }\n}'),
        (
            "error=400",
            {},
            400,
            '{\n    "error": {\n        "message": "The selected id is invalid."\n    }\n}',
        ),
        ("error=503", JSON, 503, '{\n    "message": ""\n}'),
        ("error=503", {}, 503, "We're currently undergoing a brief maintenance, we'll be right back."),
        (
            "error=405",
            JSON,
            405,
            '{\n    "message": "The GET method is not supported for this route. Supported methods: POST."\n}',
        ),
        ("latency=10,error=500", JSON, 500, SERVER_ERROR),
    ],
)
def test_header_answers_v4s_error(
    api: httpx.Client, admin: httpx.Client, header: str, accept: dict[str, str], status: int, body: str
) -> None:
    before = _product_count(api)
    response = api.get("/products", headers={FAULT: header, **accept})
    assert (response.status_code, response.text) == (status, body)
    if status == 405:
        assert response.headers["Allow"] == "POST"
    entry = _last_entry(admin)
    assert (entry["status"], entry["response_body"], entry["headers"][FAULT]) == (status, body, header)
    assert _product_count(api) == before


def test_header_latency_drop_and_truncate(api: httpx.Client, admin: httpx.Client) -> None:
    started = time.perf_counter()
    assert api.get("/ping", headers={FAULT: "latency=120"}).text == "success"
    assert time.perf_counter() - started >= 0.12
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/ping", headers={FAULT: "drop"})
    with pytest.raises(httpx.RemoteProtocolError, match="received 5 bytes"):
        api.get("/clients", headers={FAULT: "truncate=5"})
    statuses = [entry["status"] for entry in admin.get("/requests").json()["requests"]]
    assert statuses == [200, 0, 0]
    # A body no longer than the cut comes whole.
    response = api.get("/ping", headers={FAULT: "truncate=100"})
    assert (response.status_code, response.text) == (200, "success")


def test_header_wins_over_rules(api: httpx.Client, admin: httpx.Client) -> None:
    _rule(admin, fault={"error": 500}, count=1)
    response = api.get("/ping", headers={FAULT: "latency=1"})
    assert (response.status_code, response.text) == (200, "success")
    assert admin.get("/faults/1").json()["hits"] == 0


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("bogus", "cannot read 'bogus'"),
        ("error=429", "v4.5.50 never answers 429"),
        ("latency=fast", "latency needs a whole number"),
        ("drop,truncate=3", "give at most one of error, drop and truncate"),
    ],
)
def test_invalid_header_answers_400_naming_it(
    api: httpx.Client, admin: httpx.Client, header: str, message: str
) -> None:
    response = api.get("/clients", headers={FAULT: header})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(f"X-Sandbox-Fault: {message}")
    entry = _last_entry(admin)
    assert (entry["status"], entry["headers"][FAULT]) == (400, header)


def test_requests_refused_before_the_fault_step_get_no_fault(
    api: httpx.Client, anonymous: httpx.Client, admin: httpx.Client
) -> None:
    _rule(admin, fault={"drop": True})
    response = api.get("/no_such_route", headers=JSON)
    assert response.status_code == 404
    assert response.json() == {"error": {"message": "Route does not exist"}}
    response = anonymous.get("/clients", headers={FAULT: "error=500"})
    assert (response.status_code, response.text) == (403, '{"error":{"message":"Invalid token"}}')
    assert admin.get("/faults/1").json()["matched"] == 0


# --- the admin API itself ---------------------------------------------------------------------------------


def test_admin_is_never_faulted(admin: httpx.Client) -> None:
    _rule(admin, fault={"drop": True})
    response = admin.get("/health", headers={FAULT: "error=500"})
    assert (response.status_code, response.json()["status"]) == (200, "ok")
    assert (
        admin.put("/faults/throttle", json={"enabled": True, "limit": 1, "period_s": 3600}).status_code == 200
    )
    for _ in range(3):
        assert admin.get("/faults").status_code == 200


def test_list_get_delete_and_clear_rules(admin: httpx.Client) -> None:
    _rule(admin, fault={"latency_ms": 5})
    _rule(admin, match={"method": ["PUT", "POST"]}, fault={"error": "403-throttle"}, probability=0.5)
    listed = admin.get("/faults").json()
    assert [rule["id"] for rule in listed["faults"]] == [1, 2]
    assert listed["total"] == 2
    assert listed["faults"][1]["fault"] == {"error": "403-throttle"}
    assert admin.delete("/faults/1").json() == {"deleted": True, "id": 1}
    missing = admin.get("/faults/1")
    assert (missing.status_code, missing.json()) == (404, {"error": "no fault rule 1"})
    assert admin.delete("/faults/1").status_code == 404
    assert admin.delete("/faults").json() == {"cleared": True}
    assert admin.get("/faults").json() == {"faults": [], "total": 0}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({}, "fault is required"),
        ({"fault": {"error": 500}, "match": {"status": 200}}, "status cannot choose a fault"),
        ({"fault": {"error": 500}, "match": {"verb": "GET"}}, "unknown matcher key: verb"),
        ({"fault": {"error": 500}, "probability": 2}, "probability must be a number from 0 to 1"),
        ({"fault": {"error": 500}, "count": 0}, "count (or null for no limit) must be a positive integer"),
        ({"fault": {"explode": True}}, "unknown fault key: explode"),
        ({"fault": {"error": 418}}, "v4.5.50 never answers 418"),
        ({"fault": {"drop": False}}, 'drop must be true, "before" or "after"'),
        ({"fault": {"latency_ms": 0}}, "the fault does nothing"),
        ({"fault": {"error": 500}, "when": 1}, "unknown key: when"),
    ],
)
def test_bad_rules_answer_400(admin: httpx.Client, rule: dict[str, Any], message: str) -> None:
    response = admin.post("/faults", json=rule)
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_reset_clears_rules_and_switches_the_throttle_back_off(admin: httpx.Client, base_url: str) -> None:
    _rule(admin, fault={"error": 500})
    assert admin.put("/faults/throttle", json={"enabled": True}).status_code == 200
    assert admin.post("/reset").status_code == 200
    assert admin.get("/faults").json() == {"faults": [], "total": 0}
    assert admin.get("/faults/throttle").json() == {
        "enabled": False,
        "limit": 1000,
        "period_s": 3600,
        "buckets": [],
    }
    assert _rule(admin, fault={"error": 500})["id"] == 1


# --- v4's hosted throttle ---------------------------------------------------------------------------------


def test_throttle_refuses_per_account_with_v4s_answer(
    api: httpx.Client, other_api: httpx.Client, admin: httpx.Client
) -> None:
    assert admin.post("/clock", json={"freeze": True}).status_code == 200
    switched = admin.put("/faults/throttle", json={"enabled": True, "limit": 3, "period_s": 10})
    assert switched.json() == {"enabled": True, "limit": 3, "period_s": 10, "buckets": []}
    # The first request starts the bucket at 0, then each adds 10/3 s: four pass back to back.
    assert [api.get("/ping").status_code for _ in range(4)] == [200] * 4
    refused = api.get("/ping", headers={FAULT: "error=500"})  # the throttle comes before any fault
    assert (refused.status_code, refused.text) == (403, '"Please wait 4 second(s)"')
    assert refused.headers["X-Ninja-Version"] == "4.5.50"
    assert refused.headers["Content-Type"] == "application/json"
    assert other_api.get("/ping").status_code == 200  # another account has its own bucket
    assert _last_entry(admin)["status"] == 200
    buckets = admin.get("/faults/throttle").json()["buckets"]
    assert [round(bucket["level"], 3) for bucket in buckets] == [10.0, 0.0]
    assert admin.post("/clock", json={"advance": 4}).status_code == 200
    assert api.get("/ping").status_code == 200
    assert api.get("/ping").status_code == 403
    assert admin.put("/faults/throttle", json={"enabled": False}).json()["enabled"] is False
    assert [api.get("/ping").status_code for _ in range(5)] == [200] * 5


def test_throttle_is_off_by_default(api: httpx.Client, admin: httpx.Client) -> None:
    assert admin.get("/faults/throttle").json()["enabled"] is False
    assert {api.get("/ping").status_code for _ in range(5)} == {200}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "enabled must be true or false"),
        ({"enabled": True, "limit": 0}, "limit must be a positive integer"),
        ({"enabled": True, "period_s": 1.5}, "period_s must be a positive integer"),
        ({"enabled": True, "burst": 3}, "unknown key: burst"),
    ],
)
def test_bad_throttle_settings_answer_400(admin: httpx.Client, body: dict[str, Any], message: str) -> None:
    response = admin.put("/faults/throttle", json=body)
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)
