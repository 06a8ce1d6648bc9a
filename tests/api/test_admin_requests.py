"""The journal's admin API: paging, find, count, verify (with waiting), unmatched and HAR export."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import httpx
import pytest

from tests.conftest import OTHER_TOKEN, TOKEN

TYPO = "/invoice/5"  # no such v4 route: the router answers 404


def _items() -> list[dict[str, Any]]:
    return [{"product_key": "P", "notes": "n", "cost": 10, "qty": 2}]


def _paths(body: dict[str, Any]) -> list[str]:
    return [entry["path"] for entry in body["requests"]]


# --- list and paging --------------------------------------------------------------------------------------


def test_list_pages_with_limit_and_offset(api: httpx.Client, admin: httpx.Client) -> None:
    for client_id in (1, 2, 3, 4, 5):
        assert api.get(f"/clients/{client_id}").status_code == 200
    response = admin.get("/requests", params={"limit": 2, "offset": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["dropped"]) == (5, 0)
    assert _paths(body) == ["/api/v1/clients/2", "/api/v1/clients/3"]
    tail = admin.get("/requests", params={"offset": 4}).json()
    assert (tail["total"], _paths(tail)) == (5, ["/api/v1/clients/5"])
    past = admin.get("/requests", params={"offset": 9, "limit": 3}).json()
    assert (past["total"], past["requests"]) == (5, [])


def test_list_paging_applies_after_the_filters(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/clients/1").status_code == 200
    assert api.post("/clients", json={"name": "One"}).status_code == 200
    assert api.post("/clients", json={"name": "Two"}).status_code == 200
    response = admin.get("/requests", params={"method": "POST", "limit": 1, "offset": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert [entry["body"] for entry in body["requests"]] == ['{"name":"Two"}']


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "-1"}, "limit must be a non-negative integer"),
        ({"offset": "x"}, "offset must be a non-negative integer"),
        ({"status": "abc"}, "status must be an integer"),
    ],
)
def test_list_bad_paging_gives_400(admin: httpx.Client, params: dict[str, str], message: str) -> None:
    response = admin.get("/requests", params=params)
    assert response.status_code == 400
    assert response.json() == {"error": message}


# --- find and count ---------------------------------------------------------------------------------------


def test_find_by_template_body_and_jsonpath(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.post("/invoices", json={"client_id": 1, "invoice_items": _items()}).status_code == 200
    assert api.post("/invoices", json={"client_id": 2, "invoice_items": _items()}).status_code == 200
    assert api.get("/invoices/1").status_code == 200
    response = admin.post("/requests/find", json={"method": "POST", "body": {"client_id": 2}})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert '"client_id":2' in body["requests"][0]["body"]
    by_template = admin.post("/requests/find", json={"path_template": "/api/v1/invoices/{id}"}).json()
    assert (by_template["total"], _paths(by_template)) == (1, ["/api/v1/invoices/1"])
    by_path = admin.post(
        "/requests/find", json={"jsonpath": {"$.invoice_items[?(@.qty > 1)].product_key": "P"}}
    ).json()
    assert by_path["total"] == 2
    paged = admin.post("/requests/find", params={"limit": 1}, json={"path": "/api/v1/invoices"}).json()
    assert (paged["total"], len(paged["requests"])) == (2, 1)


def test_find_with_empty_body_matches_everything(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/clients").status_code == 200
    assert api.get("/ping").status_code == 200
    response = admin.post("/requests/find")
    assert response.status_code == 200
    assert _paths(response.json()) == ["/api/v1/clients", "/api/v1/ping"]


def test_count_by_token_account_query_and_status(
    api: httpx.Client, other_api: httpx.Client, admin: httpx.Client
) -> None:
    account_key = api.get("/clients", params={"per_page": 1}).json()["data"][0]["account_key"]
    assert other_api.get("/clients").status_code == 200
    assert api.get("/clients", params={"page": 2, "per_page": 1}).status_code == 200
    assert api.get("/clients/99999").status_code == 404

    def count(matcher: dict[str, Any]) -> Any:
        response = admin.post("/requests/count", json=matcher)
        assert response.status_code == 200
        return response.json()

    assert count({}) == {"count": 4}
    assert count({"token": TOKEN}) == {"count": 3}
    assert count({"token": OTHER_TOKEN}) == {"count": 1}
    assert count({"account": account_key}) == {"count": 3}
    assert count({"query": {"per_page": 1}}) == {"count": 2}
    assert count({"query": {"page": "2"}, "headers": {"x-ninja-token": TOKEN}}) == {"count": 1}
    assert count({"status": [404, 500]}) == {"count": 1}
    assert count({"since": 0, "until": 1}) == {"count": 0}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"[1]", "the body must be a JSON object"),
        (b"{not json", "the body must be a JSON object"),
        (b'{"verb": "GET"}', "unknown matcher key: verb"),
        (b'{"status": "200"}', "status must be an integer or a list of integers"),
        (b'{"path_regex": "("}', "path_regex is not a valid regular expression"),
        (b'{"jsonpath": ["$.["]}', "jsonpath expression $.[ cannot be parsed"),
    ],
)
@pytest.mark.parametrize("endpoint", ["/requests/find", "/requests/count", "/requests/verify"])
def test_invalid_matcher_gives_400_naming_the_key(
    admin: httpx.Client, endpoint: str, payload: bytes, message: str
) -> None:
    response = admin.post(endpoint, content=payload, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


# --- verify -----------------------------------------------------------------------------------------------


def test_verify_passes(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.post("/clients", json={"name": "Verified"}).status_code == 200
    response = admin.post("/requests/verify", json={"method": "POST", "path": "/api/v1/clients", "count": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["pass"], body["count"], body["expected"], body["closest"]) == (True, 1, "exactly 1", [])
    assert body["message"] == (
        'Verified: 1 request matched {"method":"POST","path":"/api/v1/clients"} (expected exactly 1).'
    )


def test_verify_failure_shows_the_near_miss_with_a_diff(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.post("/clients", json={"name": "Far"}).status_code == 200
    assert api.get(TYPO).status_code == 404
    matcher = {"method": "GET", "path_template": "/api/v1/invoices/{id}"}
    response = admin.post("/requests/verify", json={"matcher": matcher})
    assert response.status_code == 200
    body = response.json()
    assert (body["pass"], body["count"], body["expected"]) == (False, 0, "at least 1")
    near, far = body["closest"]
    assert (near["request"]["path"], near["request"]["status"]) == ("/api/v1/invoice/5", 404)
    assert near["diff"] == ["path: expected /api/v1/invoices/{id}, was /api/v1/invoice/5"]
    assert far["request"]["path"] == "/api/v1/clients"
    assert far["diff"] == [
        "method: expected GET, was POST",
        "path: expected /api/v1/invoices/{id}, was /api/v1/clients",
    ]
    assert body["message"].splitlines()[:4] == [
        'Expected at least 1 request(s) matching {"method":"GET","path_template":"/api/v1/invoices/{id}"}, '
        "but 0 matched.",
        "Closest requests:",
        f"  #{near['request']['id']} GET /api/v1/invoice/5 -> 404",
        "    path: expected /api/v1/invoices/{id}, was /api/v1/invoice/5",
    ]


def test_verify_at_most_lists_the_requests_that_matched(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/clients/1").status_code == 200
    assert api.get("/clients/2").status_code == 200
    response = admin.post("/requests/verify", json={"path_template": "/api/v1/clients/{id}", "at_most": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["pass"], body["count"], body["expected"]) == (False, 2, "at most 1")
    assert [(c["request"]["path"], c["diff"]) for c in body["closest"]] == [
        ("/api/v1/clients/2", []),
        ("/api/v1/clients/1", []),
    ]
    assert body["message"].splitlines()[1] == "Matching requests (most recent first):"
    between = admin.post("/requests/verify", json={"method": "GET", "at_least": 1, "at_most": 2}).json()
    assert (between["pass"], between["expected"]) == (True, "between 1 and 2")


def test_verify_on_an_empty_journal_says_so(admin: httpx.Client) -> None:
    response = admin.post("/requests/verify", json={})
    assert response.status_code == 200
    body = response.json()
    assert (body["pass"], body["count"], body["closest"]) == (False, 0, [])
    assert (
        body["message"] == "Expected at least 1 request(s) matching {}, but 0 matched. The journal is empty."
    )


def test_verify_waits_for_a_request_sent_concurrently(base_url: str, api: httpx.Client) -> None:
    answer: dict[str, httpx.Response] = {}

    def verify() -> None:
        with httpx.Client(base_url=base_url + "/__admin", timeout=15) as admin:
            matcher = {"method": "POST", "path": "/api/v1/clients", "body": {"name": "Late"}}
            answer["verify"] = admin.post("/requests/verify", json={**matcher, "wait_ms": 10_000})

    waiter = threading.Thread(target=verify)
    started = time.monotonic()
    waiter.start()
    assert api.get("/ping").status_code == 200  # does not match: the verification keeps waiting
    assert api.post("/clients", json={"name": "Late"}).status_code == 200
    waiter.join(15)
    assert not waiter.is_alive()
    assert time.monotonic() - started < 10
    response = answer["verify"]
    assert response.status_code == 200
    body = response.json()
    assert (body["pass"], body["count"], body["expected"], body["closest"]) == (True, 1, "at least 1", [])


def test_verify_gives_up_when_the_wait_is_over(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/ping").status_code == 200
    started = time.monotonic()
    response = admin.post("/requests/verify", json={"method": "DELETE", "wait_ms": 300})
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    body = response.json()
    assert (body["pass"], body["count"]) == (False, 0)
    assert elapsed >= 0.3
    assert body["waited_ms"] >= 300
    assert body["closest"][0]["diff"] == ["method: expected DELETE, was GET"]
    assert body["message"].startswith(
        'Expected at least 1 request(s) matching {"method":"DELETE"} within 300 ms'
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"count": 1, "at_least": 1}, "count cannot be combined with at_least or at_most"),
        ({"at_least": 3, "at_most": 1}, "at_least cannot be more than at_most"),
        ({"count": -1}, "count must be a non-negative integer"),
        ({"at_most": "2"}, "at_most must be a non-negative integer"),
        ({"wait_ms": 60_000}, "wait_ms must be a number of milliseconds from 0 to 30000"),
        ({"wait_ms": True}, "wait_ms must be a number of milliseconds from 0 to 30000"),
        (
            {"matcher": {"method": "GET"}, "path": "/api/v1/ping"},
            "give the matcher under matcher or as top-level fields, not both (found path)",
        ),
        ({"matcher": "GET"}, "the matcher must be a JSON object"),
    ],
)
def test_verify_bad_expectation_gives_400(admin: httpx.Client, payload: dict[str, Any], message: str) -> None:
    response = admin.post("/requests/verify", json=payload)
    assert response.status_code == 400
    assert response.json() == {"error": message}


# --- unmatched --------------------------------------------------------------------------------------------


def test_unmatched_lists_requests_that_hit_no_route(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/clients/1").status_code == 200
    assert api.get(TYPO).status_code == 404
    assert api.request("PATCH", "/clients").status_code == 405
    assert api.get("/clients/99999").status_code == 404  # a v4 route that found no record
    response = admin.get("/requests/unmatched")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert [(e["method"], e["path"], e["status"], e["route"]) for e in body["requests"]] == [
        ("GET", "/api/v1/invoice/5", 404, None),
        ("PATCH", "/api/v1/clients", 405, None),
    ]
    only_get = admin.get("/requests/unmatched", params={"method": "GET"}).json()
    assert (only_get["total"], _paths(only_get)) == (1, ["/api/v1/invoice/5"])


# --- HAR --------------------------------------------------------------------------------------------------


def test_har_export_has_the_required_fields(api: httpx.Client, admin: httpx.Client, base_url: str) -> None:
    assert api.get("/clients", params={"per_page": 1, "page": 2}).status_code == 200
    assert api.post("/clients", json={"name": "In HAR"}).status_code == 200
    response = admin.get("/requests/har")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    log = response.json()["log"]
    assert log["version"] == "1.2"
    assert log["creator"] == {"name": "ninja-sandbox", "version": admin.get("/health").json()["version"]}
    assert len(log["entries"]) == 2
    for entry in log["entries"]:
        assert set(entry) >= {"startedDateTime", "time", "request", "response", "cache", "timings"}
        assert entry["startedDateTime"].endswith("+00:00")
        assert isinstance(entry["time"], float)
        request, response_ = entry["request"], entry["response"]
        assert set(request) >= {"method", "url", "httpVersion", "cookies", "headers", "queryString"}
        assert set(request) >= {"headersSize", "bodySize"}
        assert set(response_) >= {"status", "statusText", "httpVersion", "cookies", "headers", "content"}
        assert set(response_) >= {"redirectURL", "headersSize", "bodySize"}
        assert set(response_["content"]) >= {"size", "mimeType", "text"}
        assert set(entry["timings"]) >= {"send", "wait", "receive"}
        assert {"name": "X-Ninja-Token", "value": TOKEN} in request["headers"]
    listed, created = log["entries"]
    assert listed["request"]["url"] == base_url + "/api/v1/clients?per_page=1&page=2"
    assert listed["request"]["queryString"] == [
        {"name": "per_page", "value": "1"},
        {"name": "page", "value": "2"},
    ]
    assert "postData" not in listed["request"]
    assert (listed["response"]["status"], listed["response"]["statusText"]) == (200, "OK")
    assert created["request"]["postData"]["mimeType"] == "application/json"
    assert created["request"]["postData"]["text"] == '{"name":"In HAR"}'
    assert created["response"]["content"]["mimeType"] == "application/json"
    assert '"name": "In HAR"' in created["response"]["content"]["text"]
    assert created["response"]["content"]["size"] == len(created["response"]["content"]["text"].encode())


def test_har_export_takes_the_list_filters(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/ping").status_code == 200
    assert api.post("/clients", json={"name": "A"}).status_code == 200
    assert api.post("/clients", json={"name": "B"}).status_code == 200
    response = admin.get("/requests/har", params={"method": "POST", "offset": 1})
    assert response.status_code == 200
    entries = response.json()["log"]["entries"]
    assert [e["request"]["postData"]["text"] for e in entries] == ['{"name":"B"}']
    assert admin.get("/requests/har", params={"limit": "x"}).json() == {
        "error": "limit must be a non-negative integer"
    }


def test_the_journal_shows_headers_that_are_not_utf8_with_replacement_characters(
    base_url: str, admin: httpx.Client
) -> None:
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"GET /api/v1/clients/1 HTTP/1.1\r\nHost: sandbox\r\nX-Ninja-Token: "
            + TOKEN.encode()
            + b"\r\nX-Note: caf\xe9\r\nConnection: close\r\n\r\n"
        )
        assert sock.recv(12) == b"HTTP/1.1 200"
    response = admin.get("/requests")
    assert response.status_code == 200
    [entry] = response.json()["requests"]
    assert entry["headers"] == {
        "Host": "sandbox",
        "X-Ninja-Token": TOKEN,
        "X-Note": "caf\ufffd",
        "Connection": "close",
    }
    found = admin.post("/requests/count", json={"headers": {"x-note": "caf\ufffd"}})
    assert (found.status_code, found.json()["count"]) == (200, 1)


def test_each_entry_keeps_the_headers_of_its_own_request(api: httpx.Client, admin: httpx.Client) -> None:
    for n in (1, 2, 1):
        assert api.get("/clients/1", headers={"X-Attempt": str(n)}).status_code == 200
    entries = admin.get("/requests").json()["requests"]
    assert [entry["headers"]["X-Attempt"] for entry in entries] == ["1", "2", "1"]
    assert [entry["response_headers"]["Content-Type"] for entry in entries] == ["application/json"] * 3
