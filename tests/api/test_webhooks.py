"""``POST /hooks``: real deliveries of v4's payloads to a receiver on 127.0.0.1 (reference §7)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from helpers.receiver import webhook_receiver

ITEMS = [{"product_key": "HOOK", "notes": "Hooked", "cost": 7, "qty": 2}]


def _subscribe(api: httpx.Client, event: str, url: str) -> int:
    response = api.post("/hooks", json={"event": event, "target_url": url})
    assert response.status_code == 201
    assert list(response.json()) == ["id"]
    subscription: int = response.json()["id"]
    return subscription


def _invoice(api: httpx.Client, **body: Any) -> dict[str, Any]:
    response = api.post("/invoices", json={"client_id": 1, "invoice_items": ITEMS, **body})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def test_every_api_event_is_delivered_with_the_v4_payload(api: httpx.Client) -> None:
    events = [
        "create_client", "update_client", "delete_client",
        "create_invoice", "update_invoice", "delete_invoice",
        "create_quote", "update_quote", "delete_quote",
        "create_payment", "delete_payment",
    ]  # fmt: skip
    with webhook_receiver() as receiver:
        for event in events:
            _subscribe(api, event, f"{receiver.url}/{event}")
        client = api.post(
            "/clients", json={"name": "Hooked Ltd", "contact": {"email": "h@hooked.test"}}
        ).json()["data"]
        api.put(f"/clients/{client['id']}", json={"name": "Hooked Ltd 2"})
        invoice = _invoice(api, client_id=client["id"])
        api.put(f"/invoices/{invoice['id']}", json={"invoice_items": ITEMS, "po_number": "9"})
        quote = _invoice(api, client_id=client["id"], is_quote=True)
        api.put(f"/invoices/{quote['id']}", json={"invoice_items": ITEMS})
        api.delete(f"/invoices/{quote['id']}")
        payment = api.post("/payments", json={"invoice_id": invoice["id"], "amount": 4}).json()["data"]
        api.delete(f"/payments/{payment['id']}")
        api.delete(f"/invoices/{invoice['id']}")
        api.delete(f"/clients/{client['id']}")
        received = receiver.wait_for(len(events))
    by_event = {item.path.strip("/"): item for item in received}
    assert set(by_event) == set(events)
    created = by_event["create_invoice"].body
    assert created["id"] == invoice["id"]
    assert created["user_id"] == 1
    assert created["invoice_items"][0]["product_key"] == "HOOK"
    assert created["client"]["id"] == client["id"]
    assert created["client"]["contacts"]
    assert created["client_name"] == "Hooked Ltd 2"
    assert "data" not in created
    assert by_event["create_invoice"].headers["Content-Type"] == "application/json"
    paid = by_event["create_payment"].body
    assert paid["invoice"]["id"] == invoice["id"]
    assert paid["client"]["id"] == client["id"]
    assert "client_name" not in paid  # payments have no client_id, so v4 adds no name
    assert by_event["delete_invoice"].body["is_deleted"] is True
    assert by_event["update_client"].body["name"] == "Hooked Ltd 2"
    assert "user_id" not in by_event["update_client"].body


def test_a_slow_receiver_does_not_slow_the_api(api: httpx.Client, admin: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        _subscribe(api, "create_invoice", f"{receiver.url}/slow")
        started = time.perf_counter()
        _invoice(api)
        elapsed = time.perf_counter() - started
        assert elapsed < receiver.delay / 2
        delivered = receiver.wait_for(1)
    assert len(delivered) == 1
    log = admin.get("/webhooks").json()["deliveries"]
    assert log[0]["event"] == "create_invoice"
    assert log[0]["target_url"].endswith("/slow")


def test_410_unsubscribes_and_the_log_keeps_each_attempt(api: httpx.Client, admin: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        _subscribe(api, "create_client", f"{receiver.url}/gone")
        api.post("/clients", json={"name": "One"})
        receiver.wait_for(1)
        deadline = time.monotonic() + 5
        while not admin.get("/webhooks").json()["deliveries"][0]["done"] and time.monotonic() < deadline:
            receiver.wait_for(2, timeout=0.05)  # poll the admin log, which completes right after the answer
        api.post("/clients", json={"name": "Two"})
        assert len(receiver.wait_for(2, timeout=1.0)) == 1
    log = admin.get("/webhooks").json()["deliveries"]
    assert [(d["status"], d["unsubscribed"]) for d in log] == [(410, True)]


def test_subscription_errors(api: httpx.Client) -> None:
    bad = api.post("/hooks", json={"event": "archive_client", "target_url": "http://127.0.0.1:9/x"})
    assert bad.status_code == 500
    assert bad.json() == "Event is invalid"
    subscription = _subscribe(api, "create_client", "")
    assert api.delete(f"/hooks/{subscription}").json() == {"data": "success"}
    again = api.delete(f"/hooks/{subscription}")
    assert again.status_code == 404
    assert again.json() == {"message": "record does not exist"}


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/closed", "not a url"])
def test_unreachable_targets_are_logged_not_raised(api: httpx.Client, admin: httpx.Client, url: str) -> None:
    _subscribe(api, "create_client", url)
    assert api.post("/clients", json={"name": "Lonely"}).status_code == 200
    deadline = time.monotonic() + 5
    log = admin.get("/webhooks").json()["deliveries"]
    while not log[0]["done"] and time.monotonic() < deadline:
        log = admin.get("/webhooks").json()["deliveries"]
    assert log[0]["error"]
    assert log[0]["status"] is None
