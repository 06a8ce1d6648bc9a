"""The webhook admin API: the delivery log, redelivery, waits, and per-subscription settings."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest
from helpers.receiver import webhook_receiver


def _subscribe(api: httpx.Client, event: str, url: str) -> int:
    response = api.post("/hooks", json={"event": event, "target_url": url})
    assert response.status_code == 201
    subscription: int = response.json()["id"]
    return subscription


def _client(api: httpx.Client, name: str) -> dict[str, Any]:
    response = api.post("/clients", json={"name": name})
    assert response.status_code == 200
    data: dict[str, Any] = response.json()["data"]
    return data


def _wait(admin: httpx.Client, **body: Any) -> list[dict[str, Any]]:
    response = admin.post("/webhooks/wait", json={"timeout_ms": 10_000, **body})
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["deliveries", "total", "waited_ms"]
    deliveries: list[dict[str, Any]] = response.json()["deliveries"]
    return deliveries


def _listed(admin: httpx.Client, **params: Any) -> dict[str, Any]:
    response = admin.get("/webhooks", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert list(body) == ["deliveries", "total", "dropped"]
    return body


def _account_key(admin: httpx.Client) -> str:
    key: str = admin.get("/webhooks/subscriptions").json()["subscriptions"][0]["account_key"]
    return key


# --- the log ----------------------------------------------------------------------------------------------


def test_list_filters_and_pages(api: httpx.Client, admin: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        created = _subscribe(api, "create_client", f"{receiver.url}/created")
        updated = _subscribe(api, "update_client", f"{receiver.url}/updated")
        client = _client(api, "One")
        _client(api, "Two")
        assert api.put(f"/clients/{client['id']}", json={"name": "One!"}).status_code == 200
        done = _wait(admin, count=3)
    assert len(receiver.received) == 3
    ids = [d["id"] for d in done]
    first = done[0]
    assert list(first) == [
        "id", "time", "account_key", "subscription_id", "event", "target_url", "request_body", "status",
        "response_body", "error", "duration_ms", "unsubscribed", "done", "redelivery_of", "delay_ms",
        "simulated",
    ]  # fmt: skip
    assert (first["event"], first["subscription_id"], first["status"], first["response_body"]) == (
        "create_client",
        created,
        200,
        "ok",
    )
    assert (first["redelivery_of"], first["delay_ms"], first["simulated"], first["done"]) == (
        None,
        0,
        False,
        True,
    )
    every = _listed(admin)
    assert ([d["id"] for d in every["deliveries"]], every["total"], every["dropped"]) == (ids, 3, 0)
    by_event = _listed(admin, event="update_client")
    assert ([d["subscription_id"] for d in by_event["deliveries"]], by_event["total"]) == ([updated], 1)
    assert _listed(admin, subscription_id=created)["total"] == 2
    assert _listed(admin, status=200)["total"] == 3
    assert _listed(admin, status="error")["total"] == 0
    assert _listed(admin, status="pending")["total"] == 0
    assert _listed(admin, target_url="/updated")["total"] == 1
    assert _listed(admin, target_url=receiver.url)["total"] == 3
    assert _listed(admin, account_key=first["account_key"])["total"] == 3
    assert _listed(admin, account_key="nope")["total"] == 0
    paged = _listed(admin, limit=1, offset=1)
    assert ([d["id"] for d in paged["deliveries"]], paged["total"]) == (ids[1:2], 3)
    one = admin.get(f"/webhooks/{ids[0]}")
    assert one.status_code == 200
    assert one.json() == first
    assert admin.delete("/webhooks").json() == {"cleared": True}
    assert _listed(admin) == {"deliveries": [], "total": 0, "dropped": 0}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "bad"}, "status must be an HTTP status, error or pending"),
        ({"subscription_id": "x"}, "subscription_id must be an integer of at least 0"),
        ({"limit": "-2"}, "limit must be an integer of at least 0"),
    ],
)
def test_list_rejects_bad_filters(admin: httpx.Client, params: dict[str, str], message: str) -> None:
    response = admin.get("/webhooks", params=params)
    assert response.status_code == 400
    assert response.json() == {"error": message}


@pytest.mark.parametrize("path", ["/webhooks/999999", "/webhooks/x"])
def test_unknown_delivery_is_404(admin: httpx.Client, path: str) -> None:
    response = admin.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": f"no delivery {path.rsplit('/', 1)[1]} in the log"}
    redelivered = admin.post(path + "/redeliver")
    assert redelivered.status_code == 404
    assert redelivered.json() == {"error": f"no delivery {path.rsplit('/', 1)[1]} in the log"}


# --- redeliver --------------------------------------------------------------------------------------------


def test_redeliver_sends_the_same_body_again_and_answers_the_finished_delivery(
    api: httpx.Client, admin: httpx.Client
) -> None:
    with webhook_receiver() as receiver:
        subscription = _subscribe(api, "create_client", f"{receiver.url}/hook")
        client = _client(api, "Again")
        original = _wait(admin)[0]
        response = admin.post(f"/webhooks/{original['id']}/redeliver")
        assert response.status_code == 200
        received = receiver.wait_for(2)
    again = response.json()
    assert again["id"] > original["id"]
    assert again == {
        **original,
        "id": again["id"],
        "time": again["time"],
        "duration_ms": again["duration_ms"],
        "redelivery_of": original["id"],
    }
    assert (again["status"], again["done"], again["subscription_id"]) == (200, True, subscription)
    assert [item.path for item in received] == ["/hook", "/hook"]
    assert received[0].body == received[1].body
    assert received[1].body["id"] == client["id"]
    assert [d["id"] for d in _listed(admin)["deliveries"]] == [original["id"], again["id"]]
    assert admin.get(f"/webhooks/{again['id']}").json() == again


def test_redeliver_to_a_stopped_receiver_logs_the_error(api: httpx.Client, admin: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        subscription = _subscribe(api, "create_client", f"{receiver.url}/hook")
        _client(api, "Ok")
        original = _wait(admin)[0]
        assert original["status"] == 200
    # The receiver is gone: the redelivery fails to connect and says so.
    response = admin.post(f"/webhooks/{original['id']}/redeliver")
    assert response.status_code == 200
    again = response.json()
    assert (again["status"], again["done"], again["redelivery_of"]) == (None, True, original["id"])
    assert again["error"]
    assert _listed(admin, status="error")["total"] == 1
    listed = admin.get("/webhooks/subscriptions").json()["subscriptions"]
    assert [(s["id"], s["deleted_at"]) for s in listed] == [(subscription, None)]


# --- wait -------------------------------------------------------------------------------------------------


def test_wait_is_satisfied_by_a_concurrent_api_request(api: httpx.Client, base_url: str) -> None:
    with webhook_receiver() as receiver:
        _subscribe(api, "create_client", f"{receiver.url}/created")
        _subscribe(api, "update_client", f"{receiver.url}/updated")
        answer: dict[str, httpx.Response] = {}

        def wait() -> None:
            body = {"event": "update_client", "timeout_ms": 10_000}
            answer["wait"] = httpx.post(f"{base_url}/__admin/webhooks/wait", json=body, timeout=20)

        waiter = threading.Thread(target=wait)
        started = time.monotonic()
        waiter.start()
        client = _client(api, "Waited")  # create_client: does not match, the wait goes on
        assert api.put(f"/clients/{client['id']}", json={"name": "Waited 2"}).status_code == 200
        waiter.join(20)
    assert not waiter.is_alive()
    assert time.monotonic() - started < 10
    response = answer["wait"]
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    delivery = body["deliveries"][0]
    assert (delivery["event"], delivery["status"], delivery["done"]) == ("update_client", 200, True)
    assert delivery["target_url"] == f"{receiver.url}/updated"


def test_wait_times_out_with_408(api: httpx.Client, admin: httpx.Client) -> None:
    started = time.monotonic()
    response = admin.post("/webhooks/wait", json={"event": "create_task", "count": 2, "timeout_ms": 200})
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 408
    body = response.json()
    assert body == {
        "error": 'timed out after 200 ms waiting for 2 finished deliveries matching {"event":"create_task"}; '
        "0 matched",
        "total": 0,
        "waited_ms": body["waited_ms"],
    }
    assert body["waited_ms"] >= 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[]", "the body must be a JSON object"),
        (
            '{"evnt": "x"}',
            "unknown field evnt; known fields: account_key, count, event, status, "
            "subscription_id, target_url, timeout_ms",
        ),
        ('{"count": -1}', "count must be an integer of at least 1"),
        ('{"timeout_ms": 60000}', "timeout_ms must be a number of milliseconds from 0 to 30000"),
        ('{"status": "done"}', "status must be an HTTP status, error or pending"),
    ],
)
def test_wait_rejects_bad_bodies(admin: httpx.Client, body: str, message: str) -> None:
    response = admin.post("/webhooks/wait", content=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}


# --- subscriptions and settings ---------------------------------------------------------------------------


def test_subscriptions_of_every_account_with_their_settings(
    api: httpx.Client, other_api: httpx.Client, admin: httpx.Client
) -> None:
    empty = admin.get("/webhooks/subscriptions")
    assert empty.status_code == 200
    assert empty.json() == {"subscriptions": [], "total": 0}
    mine = _subscribe(api, "create_client", "http://127.0.0.1:9/mine")
    theirs = _subscribe(other_api, "create_invoice", "http://127.0.0.1:9/theirs")
    response = admin.get("/webhooks/subscriptions")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    first, second = body["subscriptions"]
    assert list(first) == [
        "account_key", "id", "event_id", "event", "target_url", "format", "created_at", "updated_at",
        "deleted_at", "settings",
    ]  # fmt: skip
    assert (first["id"], first["event_id"], first["event"], first["target_url"], first["format"]) == (
        mine,
        1,
        "create_client",
        "http://127.0.0.1:9/mine",
        "JSON",
    )
    assert (first["deleted_at"], first["settings"]) == (None, {"delay_ms": 0, "fail": None})
    assert (second["id"], second["event"]) == (theirs, "create_invoice")
    assert first["account_key"] != second["account_key"]
    only = admin.get("/webhooks/subscriptions", params={"account_key": second["account_key"]}).json()
    assert only == {"subscriptions": [second], "total": 1}
    by_event = admin.get("/webhooks/subscriptions", params={"event": "create_client"}).json()
    assert by_event == {"subscriptions": [first], "total": 1}
    assert api.delete(f"/hooks/{mine}").status_code == 200
    deleted = admin.get("/webhooks/subscriptions").json()["subscriptions"][0]
    assert deleted["deleted_at"] is not None


def test_settings_default_replace_and_reset(api: httpx.Client, admin: httpx.Client, base_url: str) -> None:
    subscription = _subscribe(api, "create_client", "http://127.0.0.1:9/x")
    key = _account_key(admin)
    path = f"/webhooks/subscriptions/{subscription}/settings"
    default = admin.get(path)
    assert default.status_code == 200
    assert default.json() == {
        "account_key": key,
        "subscription_id": subscription,
        "delay_ms": 0,
        "fail": None,
    }
    changed = admin.put(path, json={"delay_ms": 250, "fail": {"status": 503}})
    assert changed.status_code == 200
    expected = {"account_key": key, "subscription_id": subscription, "delay_ms": 250, "fail": {"status": 503}}
    assert changed.json() == expected
    assert admin.get(path).json() == expected
    listed = admin.get("/webhooks/subscriptions").json()["subscriptions"][0]["settings"]
    assert listed == {"delay_ms": 250, "fail": {"status": 503}}
    replaced = admin.put(path, json={"fail": "drop"})  # PUT replaces: the delay goes back to 0
    assert replaced.json() == {**expected, "delay_ms": 0, "fail": "drop"}
    assert httpx.post(f"{base_url}/__admin/reset").status_code == 200
    assert admin.get(path).status_code == 404  # the seed has no subscriptions
    assert _subscribe(api, "create_client", "http://127.0.0.1:9/x") == subscription
    assert admin.get(path).json() == {**expected, "delay_ms": 0, "fail": None}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"delay_ms": -1}, "delay_ms must be an integer from 0 to 30000"),
        ({"delay_ms": 1.5}, "delay_ms must be an integer from 0 to 30000"),
        ({"fail": {"status": 200}}, "fail.status must be an HTTP error status from 400 to 599"),
        ({"fail": {"status": 500, "body": "x"}}, 'fail must be null, {"status": 400..599} or "drop"'),
        ({"fail": "explode"}, 'fail must be null, {"status": 400..599} or "drop"'),
        ({"delay": 5}, "unknown field delay; known fields: delay_ms, fail"),
        ([], "the body must be a JSON object"),
    ],
)
def test_settings_reject_bad_bodies(api: httpx.Client, admin: httpx.Client, body: Any, message: str) -> None:
    subscription = _subscribe(api, "create_client", "http://127.0.0.1:9/x")
    response = admin.put(f"/webhooks/subscriptions/{subscription}/settings", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_settings_of_an_unknown_or_ambiguous_subscription(
    api: httpx.Client, other_api: httpx.Client, admin: httpx.Client
) -> None:
    missing = admin.get("/webhooks/subscriptions/7/settings")
    assert missing.status_code == 404
    assert missing.json() == {"error": "no subscription 7"}
    assert admin.put("/webhooks/subscriptions/x/settings", json={}).json() == {"error": "no subscription x"}
    mine = _subscribe(api, "create_client", "http://127.0.0.1:9/mine")
    theirs = _subscribe(other_api, "create_client", "http://127.0.0.1:9/theirs")
    assert mine == theirs == 1
    ambiguous = admin.put("/webhooks/subscriptions/1/settings", json={"fail": "drop"})
    assert ambiguous.status_code == 400
    assert ambiguous.json() == {"error": "subscription 1 exists in 2 accounts; add ?account_key= to choose"}
    their_key = admin.get("/webhooks/subscriptions").json()["subscriptions"][1]["account_key"]
    chosen = admin.put(
        "/webhooks/subscriptions/1/settings", params={"account_key": their_key}, json={"fail": "drop"}
    )
    assert chosen.status_code == 200
    assert chosen.json() == {"account_key": their_key, "subscription_id": 1, "delay_ms": 0, "fail": "drop"}
    settings = [s["settings"]["fail"] for s in admin.get("/webhooks/subscriptions").json()["subscriptions"]]
    assert settings == [None, "drop"]


# --- delay and simulated failures -------------------------------------------------------------------------


def test_delay_holds_a_delivery_back(api: httpx.Client, admin: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        subscription = _subscribe(api, "create_client", f"{receiver.url}/late")
        put = admin.put(f"/webhooks/subscriptions/{subscription}/settings", json={"delay_ms": 400})
        assert put.status_code == 200
        started = time.monotonic()
        _client(api, "Late")
        pending = _listed(admin, status="pending")
        assert pending["total"] == 1
        assert (pending["deliveries"][0]["delay_ms"], pending["deliveries"][0]["done"]) == (400, False)
        delivered = _wait(admin)[0]
        assert time.monotonic() - started >= 0.4
        assert len(receiver.wait_for(1)) == 1
    assert (delivered["status"], delivered["delay_ms"], delivered["simulated"]) == (200, 400, False)
    assert delivered["duration_ms"] < 400  # the delay is not part of the send


def test_simulated_error_status_never_contacts_the_receiver(api: httpx.Client, admin: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        subscription = _subscribe(api, "create_client", f"{receiver.url}/hook")
        put = admin.put(f"/webhooks/subscriptions/{subscription}/settings", json={"fail": {"status": 500}})
        assert put.status_code == 200
        _client(api, "Failing")
        failed = _wait(admin, status=500)[0]
        assert (failed["status"], failed["response_body"], failed["error"]) == (500, "", None)
        assert (failed["simulated"], failed["done"], failed["unsubscribed"]) == (True, True, False)
        # While the failure is set, a redelivery fails the same way; once cleared, it goes through.
        assert admin.post(f"/webhooks/{failed['id']}/redeliver").json()["status"] == 500
        assert admin.put(f"/webhooks/subscriptions/{subscription}/settings", json={}).status_code == 200
        fixed = admin.post(f"/webhooks/{failed['id']}/redeliver").json()
        received = receiver.wait_for(1)
    assert (fixed["status"], fixed["simulated"], fixed["redelivery_of"]) == (200, False, failed["id"])
    assert len(received) == 1
    assert received[0].body["name"] == "Failing"


def test_simulated_drop_logs_a_connection_error(api: httpx.Client, admin: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        subscription = _subscribe(api, "create_client", f"{receiver.url}/hook")
        admin.put(f"/webhooks/subscriptions/{subscription}/settings", json={"fail": "drop"})
        _client(api, "Dropped")
        dropped = _wait(admin, status="error")[0]
        assert receiver.received == []
    assert (dropped["status"], dropped["response_body"], dropped["simulated"]) == (None, None, True)
    assert dropped["error"] == "simulated failure: the connection was dropped before an answer"


def test_simulated_410_unsubscribes_like_a_real_one(api: httpx.Client, admin: httpx.Client) -> None:
    subscription = _subscribe(api, "create_client", "http://127.0.0.1:9/never")
    admin.put(f"/webhooks/subscriptions/{subscription}/settings", json={"fail": {"status": 410}})
    _client(api, "Gone")
    gone = _wait(admin)[0]
    assert (gone["status"], gone["unsubscribed"], gone["simulated"]) == (410, True, True)
    listed = admin.get("/webhooks/subscriptions").json()["subscriptions"][0]
    assert listed["deleted_at"] is not None
    _client(api, "Nobody listens")
    assert _listed(admin)["total"] == 1


def test_reset_cancels_a_delayed_delivery(api: httpx.Client, admin: httpx.Client, base_url: str) -> None:
    with webhook_receiver() as receiver:
        subscription = _subscribe(api, "create_client", f"{receiver.url}/late")
        admin.put(f"/webhooks/subscriptions/{subscription}/settings", json={"delay_ms": 300})
        _client(api, "Never sent")
        assert _listed(admin, status="pending")["total"] == 1
        assert httpx.post(f"{base_url}/__admin/reset").status_code == 200
        assert _listed(admin) == {"deliveries": [], "total": 0, "dropped": 0}
        # Twice the delay: a delivery that was not cancelled would have arrived by then.
        assert receiver.wait_for(1, timeout=0.6) == []
