"""Mobile-only endpoints on a self-hosted install (reference §8, §2.8): devices, upgrade, iOS, throttle."""

from __future__ import annotations

from typing import Any

import httpx

SECRET = "SECRET"
DEVICE = {"token": "push-1", "email": "user@example.com", "device": "ios"}


def _data(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["X-Ninja-Version"] == "4.5.50"
    return response.json()["data"]


def _login(client: httpx.Client, **fields: Any) -> httpx.Response:
    body = {"email": "user@example.com", "password": "password", "api_secret": SECRET, **fields}
    return client.post("/login", json=body)


def _account_key(client: httpx.Client) -> str:
    key: str = client.get("/accounts").json()["data"]["account_key"]
    return key


# --- add_token --------------------------------------------------------------------------------------------


def test_add_token_registers_a_device(api: httpx.Client) -> None:
    data = _data(api.post("/add_token", json=DEVICE))
    assert data == {
        "token": "push-1",
        "email": "user@example.com",
        "device": "ios",
        "account_key": _account_key(api),
        "notify_sent": True,
        "notify_viewed": True,
        "notify_approved": True,
        "notify_paid": True,
    }


def test_add_token_again_for_the_same_email_replaces_token_and_device(api: httpx.Client) -> None:
    _data(api.post("/add_token", json=DEVICE))
    data = _data(api.post("/add_token", json={**DEVICE, "token": "push-2", "device": "android"}))
    assert data["token"] == "push-2"
    assert data["device"] == "android"
    assert list(data) == [
        "token",
        "email",
        "device",
        "account_key",
        "notify_sent",
        "notify_viewed",
        "notify_approved",
        "notify_paid",
    ]
    # Still one device: removing the old token changes nothing, the new one still updates.
    _data(api.post("/remove_token", json={"token": "push-1"}))
    updated = _data(api.post("/update_notifications", json={"notify_sent": False}))
    assert updated["token"] == "push-2"


def test_devices_are_kept_per_account(api: httpx.Client, other_api: httpx.Client) -> None:
    _data(api.post("/add_token", json=DEVICE))
    response = other_api.post("/update_notifications", json={"notify_paid": False})
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "No registered devices."}}


# --- remove_token -----------------------------------------------------------------------------------------


def test_remove_token_answers_success(api: httpx.Client) -> None:
    _data(api.post("/add_token", json=DEVICE))
    assert _data(api.post("/remove_token", json={"token": "push-1"})) == ["success"]
    response = api.post("/update_notifications", json={"notify_sent": False})
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "No registered devices."}}


def test_remove_token_with_no_devices_still_answers_success(api: httpx.Client) -> None:
    assert _data(api.post("/remove_token", json={"token": "nothing"})) == ["success"]


# --- update_notifications ---------------------------------------------------------------------------------


def test_update_notifications_without_devices_is_400(api: httpx.Client) -> None:
    response = api.post("/update_notifications", json={"notify_sent": False})
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "No registered devices."}}
    assert response.headers["X-Ninja-Version"] == "4.5.50"


def test_update_notifications_sets_the_callers_device_flags_as_sent(api: httpx.Client) -> None:
    _data(api.post("/add_token", json=DEVICE))
    data = _data(
        api.post(
            "/update_notifications",
            json={"notify_sent": False, "notify_viewed": True, "notify_approved": "1"},
        )
    )
    assert data == {
        "token": "push-1",
        "email": "user@example.com",
        "device": "ios",
        "account_key": _account_key(api),
        "notify_sent": False,
        "notify_viewed": True,
        "notify_approved": "1",
        "notify_paid": None,
    }


def test_update_notifications_for_another_users_device_answers_empty(api: httpx.Client) -> None:
    _data(api.post("/add_token", json={**DEVICE, "email": "someone@example.com"}))
    response = api.post("/update_notifications", json={"notify_sent": False})
    assert response.status_code == 200
    assert response.text == ""
    assert response.headers["Content-Type"].startswith("text/html")


# --- upgrade and ios_subscription_status ------------------------------------------------------------------


def test_upgrade_sets_the_plan_once(api: httpx.Client) -> None:
    response = api.post("/upgrade", json={"order_id": "A1", "product_id": "v1_enterprise_5_yearly"})
    assert response.status_code == 200
    assert response.text == '{"message":"success"}'
    assert response.headers["Content-Type"].startswith("text/html")
    assert api.post("/refresh").json()["data"][0]["plan"] == "enterprise"
    again = api.post("/upgrade", json={"order_id": "A2", "product_id": "v1_pro_yearly"})
    assert again.status_code == 200
    assert again.text == '{"message":"error"}'
    assert api.post("/refresh").json()["data"][0]["plan"] == "enterprise"


def test_upgrade_is_per_account(api: httpx.Client, other_api: httpx.Client) -> None:
    assert api.post("/upgrade", json={"order_id": "A1", "product_id": "v1_pro_yearly"}).status_code == 200
    assert other_api.post("/refresh").json()["data"][0]["plan"] == ""
    assert other_api.post("/upgrade", json={"order_id": "B1"}).text == '{"message":"success"}'


def test_upgrade_needs_a_token(anonymous: httpx.Client) -> None:
    response = anonymous.post("/upgrade", json={"order_id": "A1"})
    assert response.status_code == 403
    assert response.text == '{"error":{"message":"Invalid token"}}'


def test_ios_subscription_status_is_an_empty_200_with_the_secret(anonymous: httpx.Client) -> None:
    response = anonymous.post("/ios_subscription_status", json={"api_secret": "SECRET"})
    assert response.status_code == 200
    assert response.text == ""
    wrong = anonymous.post("/ios_subscription_status", json={"api_secret": "nope"})
    assert wrong.status_code == 403
    assert wrong.text == '{"error":{"message":"Invalid value for API_SECRET"}}'


# --- throttle ---------------------------------------------------------------------------------------------


def test_login_routes_are_throttled_per_address(anonymous: httpx.Client, admin: httpx.Client) -> None:
    assert admin.post("/clock", json={"freeze": True}).status_code == 200
    allowed = 0
    while True:
        response = anonymous.post("/ios_subscription_status", json={"api_secret": SECRET})
        if response.status_code != 200:
            break
        allowed += 1
        assert allowed <= 1001
    # The first request starts the bucket at 0; each later one adds 3.6 s; above an hour it refuses.
    assert allowed == 1001
    assert response.status_code == 403
    assert response.text == '"Please wait 4 second(s)"'
    assert response.headers["X-Ninja-Version"] == "4.5.50"
    assert _login(anonymous, token_name="x").status_code == 403
    # Token routes are not throttled on a self-hosted install.
    assert anonymous.get("/clients", headers={"X-Ninja-Token": "TOKEN"}).status_code == 200
    assert admin.post("/clock", json={"advance": 4}).status_code == 200
    assert _login(anonymous, token_name="x").status_code == 200
