"""``POST /login``, ``refresh``, ``register``, ``oauth_login``, ``GET /user_accounts`` (reference §8, §2)."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from helpers.reference import entity_fields, wrong_types

from sandbox import SandboxServer, Settings
from sandbox.api import api_routes
from sandbox.models.static_data import StaticData
from sandbox.seed import build_state

EMAIL = "user@example.com"
PASSWORD = "password"
SECRET = "SECRET"
INVALID_CREDENTIALS = {"error": {"message": "Invalid credentials"}}
INVALID_SECRET = '{"error":{"message":"Invalid value for API_SECRET"}}'
#: RFC 6238's SHA-1 test secret ("12345678901234567890") and its code at T=59, cut to six digits.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
RFC_CODE_AT_59 = "287082"

State = dict[str, dict[str, dict[str, Any]]]


def _login(client: httpx.Client, **fields: Any) -> httpx.Response:
    body = {"email": EMAIL, "password": PASSWORD, "api_secret": SECRET, **fields}
    return client.post("/login", json=body)


def _accounts(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


@cache
def _demo_state() -> bytes:
    return build_state("demo", 1, "TOKEN", StaticData.load())


@pytest.fixture
def load_state(admin: httpx.Client, tmp_path: Path) -> Iterator[Callable[[Callable[[State], None]], None]]:
    """Reset the server to the demo data with some change applied; back to the demo afterwards."""

    def load(change: Callable[[State], None]) -> None:
        state: State = orjson.loads(_demo_state())
        change(state)
        path = tmp_path / "state.json"
        path.write_bytes(orjson.dumps(state))
        response = admin.post("/reset", json={"fixtures": str(path), "seed": 1})
        assert response.status_code == 200, response.text

    yield load
    assert admin.post("/reset", json={"fixtures": "demo", "seed": 1}).status_code == 200


def _set_user(state: State, email: str, **fields: Any) -> None:
    for user in state["users"].values():
        if user["email"] == email:
            user.update(fields)


# --- success ----------------------------------------------------------------------------------------------


def test_login_returns_one_user_account_with_a_new_token(anonymous: httpx.Client) -> None:
    response = _login(anonymous, token_name="my app")
    accounts = _accounts(response)
    assert response.headers["X-Ninja-Version"] == "4.5.50"
    assert "meta" not in response.json()
    assert len(accounts) == 1
    account = accounts[0]
    fields = entity_fields("user_account")
    assert list(account) == [name for name, _ in fields] + ["user"]
    assert wrong_types(account, fields) == {}
    assert account["name"] == "Demo Company"
    assert account["user_id"] == 1
    assert len(account["token"]) == 32
    assert account["token"] == account["token"].lower()
    assert account["user"]["email"] == EMAIL
    assert account["user"]["id"] == 1
    assert account["default_url"].startswith("http://127.0.0.1:")
    assert account["email_subject_invoice"] == "New invoice $number from $account"
    assert account["email_footer"] == "<p><div>Regards,\n<br>$account</div></p>"


def test_login_token_works_on_every_list_route(anonymous: httpx.Client, base_url: str) -> None:
    token = _accounts(_login(anonymous, token_name="every route"))[0]["token"]
    lists = [
        r for r in api_routes() if r.method == "GET" and "{" not in r.path and not r.name.endswith(".create")
    ]
    assert len(lists) >= 8
    with httpx.Client(base_url=base_url + "/api/v1", headers={"X-Ninja-Token": token}, timeout=10) as client:
        for route in lists:
            response = client.get(route.path)
            assert response.status_code == 200, (route.path, response.text[:200])
        assert client.get("/clients").json()["meta"]["pagination"]["total"] == 12


def test_login_again_with_the_same_token_name_reuses_the_token(anonymous: httpx.Client) -> None:
    first = _accounts(_login(anonymous, token_name="phone"))[0]["token"]
    second = _accounts(_login(anonymous, token_name="phone"))[0]["token"]
    other = _accounts(_login(anonymous, token_name="tablet"))[0]["token"]
    assert first == second
    assert other != first


def test_login_token_name_matches_case_insensitively_but_shows_only_the_exact_name(
    anonymous: httpx.Client,
) -> None:
    token = _accounts(_login(anonymous, token_name="phone"))[0]["token"]
    # MySQL finds the existing token, so none is created; getToken then compares names with ===.
    assert _accounts(_login(anonymous, token_name="PHONE"))[0]["token"] is None
    assert _accounts(_login(anonymous, token_name="phone"))[0]["token"] == token


def test_login_without_token_name_shows_null_token_but_creates_token(anonymous: httpx.Client) -> None:
    assert _accounts(_login(anonymous))[0]["token"] is None
    created = _accounts(_login(anonymous, token_name="TOKEN"))[0]["token"]
    assert created is not None
    response = anonymous.get("/accounts", headers={"X-Ninja-Token": created})
    assert response.status_code == 200
    assert response.json()["data"]["name"] == "Demo Company"


def test_login_email_is_case_insensitive(anonymous: httpx.Client) -> None:
    accounts = _accounts(_login(anonymous, email="USER@Example.com", token_name="x"))
    assert accounts[0]["user"]["email"] == EMAIL


def test_login_with_include_static_wraps_accounts_static_and_version(anonymous: httpx.Client) -> None:
    response = _login(anonymous, token_name="s", include_static=1)
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == ["accounts", "static", "version"]
    assert data["version"] == "4.5.50"
    assert data["accounts"][0]["name"] == "Demo Company"
    static = data["static"]
    assert "defaultPaymentTerms" not in static
    assert list(static)[:3] == ["currencies", "sizes", "industries"]
    names = [row["name"] for row in static["paymentTypes"]]
    assert "SEPA Direct Debit" in names
    assert names == sorted(names)  # translated, then sorted as PHP compares strings
    countries = [row["name"] for row in static["countries"]]
    assert countries[-1] == "Åland Islands"


def test_login_serializer_json_gives_user_account_resources(anonymous: httpx.Client) -> None:
    response = _login(anonymous, token_name="j", serializer="json")
    assert response.status_code == 200
    resource = response.json()["data"]["data"][0]
    assert resource["type"] == "user_account"
    assert resource["id"] == resource["attributes"]["account_key"]
    assert resource["relationships"]["user"]["data"] == {"type": "user", "id": "1"}


def test_login_include_users_and_account_email_settings(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/login",
        params={"include": "users,account_email_settings,task_statuses,custom_payment_terms"},
        json={"email": EMAIL, "password": PASSWORD, "api_secret": SECRET, "token_name": "i"},
    )
    account = _accounts(response)[0]
    assert [u["email"] for u in account["users"]] == [EMAIL]
    assert account["account_email_settings"]["email_subject_invoice"] == ""
    assert isinstance(account["task_statuses"], list)
    assert isinstance(account["custom_payment_terms"], list)


def test_login_second_account_sees_only_its_own(anonymous: httpx.Client, api: httpx.Client) -> None:
    accounts = _accounts(_login(anonymous, email="user2@example.com", token_name="b"))
    assert [a["name"] for a in accounts] == ["Second Company"]
    token = accounts[0]["token"]
    mine = api.get("/accounts").json()["data"]["account_key"]
    theirs = anonymous.get("/accounts", headers={"X-Ninja-Token": token}).json()["data"]["account_key"]
    assert theirs == accounts[0]["account_key"] != mine
    clients = anonymous.get("/clients", headers={"X-Ninja-Token": token}).json()
    assert clients["meta"]["pagination"]["total"] == 4


# --- failures ---------------------------------------------------------------------------------------------


def test_login_wrong_secret_is_403(anonymous: httpx.Client) -> None:
    response = _login(anonymous, api_secret="nope", token_name="x")
    assert response.status_code == 403
    assert response.text == INVALID_SECRET
    assert response.headers["X-Ninja-Version"] == "4.5.50"


def test_login_secret_header_works_without_body_secret(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/login",
        json={"email": EMAIL, "password": PASSWORD, "token_name": "h"},
        headers={"X-Ninja-Secret": SECRET},
    )
    assert _accounts(response)[0]["name"] == "Demo Company"


def test_login_wrong_password_is_401_invalid_credentials(anonymous: httpx.Client) -> None:
    response = _login(anonymous, password="wrong", token_name="x")
    assert response.status_code == 401
    assert response.json() == INVALID_CREDENTIALS
    assert response.headers["X-Ninja-Version"] == "4.5.50"


def test_login_unknown_email_is_401(anonymous: httpx.Client) -> None:
    response = _login(anonymous, email="nobody@example.com")
    assert response.status_code == 401
    assert response.json() == INVALID_CREDENTIALS


def test_login_nine_failures_then_success_resets_the_count(anonymous: httpx.Client) -> None:
    for _ in range(9):
        assert _login(anonymous, password="wrong").status_code == 401
    assert _login(anonymous, token_name="x").status_code == 200
    for _ in range(9):
        assert _login(anonymous, password="wrong").status_code == 401
    assert _login(anonymous, token_name="x").status_code == 200


def test_login_ten_failures_lock_the_user_out(anonymous: httpx.Client) -> None:
    for _ in range(10):
        assert _login(anonymous, password="wrong").status_code == 401
    response = _login(anonymous, token_name="x")
    assert response.status_code == 401
    assert response.json() == INVALID_CREDENTIALS
    # Only that user is locked; the other account still logs in.
    assert _login(anonymous, email="user2@example.com", token_name="x").status_code == 200


@pytest.fixture(scope="module")
def slow_server() -> Iterator[SandboxServer]:
    """A sandbox with a measurable error delay."""
    with SandboxServer(Settings(port=0, data=":memory:", error_delay=0.3, seed=1)) as running:
        yield running


@pytest.mark.parametrize(
    ("fields", "status"),
    [({"api_secret": "nope"}, 403), ({"password": "wrong"}, 401)],
    ids=["secret", "password"],
)
def test_login_failures_wait_the_error_delay(
    slow_server: SandboxServer, fields: dict[str, str], status: int
) -> None:
    with httpx.Client(base_url=slow_server.url + "/api/v1", timeout=10) as client:
        started = time.monotonic()
        response = _login(client, **fields)
        elapsed = time.monotonic() - started
        assert response.status_code == status
        assert elapsed >= 0.3
        started = time.monotonic()
        assert _login(client, token_name="fast").status_code == 200
        assert time.monotonic() - started < 0.3


# --- one-time passwords -----------------------------------------------------------------------------------


def test_login_otp_rules(
    load_state: Callable[[Callable[[State], None]], None], admin: httpx.Client, anonymous: httpx.Client
) -> None:
    load_state(lambda state: _set_user(state, EMAIL, google_2fa_secret=RFC_SECRET))
    assert admin.post("/clock", json={"freeze": 59}).status_code == 200
    required = _login(anonymous, token_name="invoice-ninja-ios")
    assert required.status_code == 401
    assert required.json() == {"error": {"message": "OTP_REQUIRED"}}
    wrong = _login(anonymous, token_name="invoice-ninja-ios", one_time_password="000000")
    assert wrong.status_code == 401
    assert wrong.json() == {"error": {"message": "Invalid one time password"}}
    right = _login(anonymous, token_name="invoice-ninja-ios", one_time_password=RFC_CODE_AT_59)
    assert _accounts(right)[0]["token"] is not None
    # Other token names skip the second factor (a shim for legacy apps).
    assert _accounts(_login(anonymous, token_name="zapier"))[0]["token"] is not None
    # The password is still checked first.
    assert _login(anonymous, token_name="invoice-ninja-x", password="bad").json() == INVALID_CREDENTIALS


# --- refresh and user_accounts ----------------------------------------------------------------------------


def test_refresh_lists_accounts_without_creating_tokens(api: httpx.Client) -> None:
    response = api.post("/refresh", json={"token_name": "Demo token"})
    accounts = _accounts(response)
    assert accounts[0]["token"] == "TOKEN"
    assert _accounts(api.post("/refresh", json={"token_name": "new name"}))[0]["token"] is None
    assert _accounts(api.post("/refresh", json={"token_name": "new name"}))[0]["token"] is None


def test_refresh_honours_include_static(api: httpx.Client) -> None:
    data = api.post("/refresh", json={"include_static": "1"}).json()["data"]
    assert list(data) == ["accounts", "static", "version"]


def test_user_accounts_shows_token_by_name_and_ignores_include_static(api: httpx.Client) -> None:
    accounts = _accounts(api.get("/user_accounts", params={"token_name": "Demo token", "include_static": 1}))
    assert accounts[0]["token"] == "TOKEN"
    assert accounts[0]["user"]["id"] == 1
    assert _accounts(api.get("/user_accounts"))[0]["token"] is None


def test_user_accounts_without_token_is_403(anonymous: httpx.Client) -> None:
    response = anonymous.get("/user_accounts")
    assert response.status_code == 403
    assert response.text == '{"error":{"message":"Invalid token"}}'


def test_linked_accounts_get_a_token_each(
    load_state: Callable[[Callable[[State], None]], None], anonymous: httpx.Client
) -> None:
    load_state(lambda state: state.update({"user_accounts": {"1": {"user_id1": 1, "user_id2": 2}}}))
    accounts = _accounts(_login(anonymous, token_name="both"))
    assert [a["name"] for a in accounts] == ["Demo Company", "Second Company"]
    assert [a["user"]["email"] for a in accounts] == [EMAIL, "user2@example.com"]
    second = accounts[1]["token"]
    clients = anonymous.get("/clients", headers={"X-Ninja-Token": second}).json()
    assert clients["meta"]["pagination"]["total"] == 4


def test_custom_invoice_taxes2_repeats_custom_invoice_taxes1(
    load_state: Callable[[Callable[[State], None]], None],
    anonymous: httpx.Client,
) -> None:
    def change(state: State) -> None:
        state["accounts"]["1"].update({"custom_invoice_taxes1": True, "custom_invoice_taxes2": False})

    load_state(change)
    account = _accounts(_login(anonymous, token_name="t"))[0]
    assert account["custom_invoice_taxes1"] is True
    assert account["custom_invoice_taxes2"] is True
    shown = anonymous.get("/accounts", headers={"X-Ninja-Token": "TOKEN"}).json()["data"]
    assert shown["custom_invoice_taxes1"] == 1
    assert shown["custom_invoice_taxes2"] == 1


# --- oauth_login ------------------------------------------------------------------------------------------


def _id_token(sub: str) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part({'sub': sub, 'email': EMAIL})}.signature"


def test_oauth_login_finds_the_user_by_google_subject(
    load_state: Callable[[Callable[[State], None]], None], anonymous: httpx.Client
) -> None:
    load_state(
        lambda state: _set_user(
            state, EMAIL, oauth_user_id="10769150350006150715113082367", oauth_provider_id=1
        )
    )
    body = {"provider": "google", "token": _id_token("10769150350006150715113082367"), "api_secret": SECRET}
    accounts = _accounts(anonymous.post("/oauth_login", json={**body, "token_name": "g"}))
    assert accounts[0]["name"] == "Demo Company"
    assert accounts[0]["user"]["oauth_user_id"] == "10769150350006150715113082367"
    assert accounts[0]["user"]["oauth_provider_id"] == 1
    unknown = anonymous.post("/oauth_login", json={**body, "token": _id_token("1")})
    assert unknown.status_code == 401
    assert unknown.json() == INVALID_CREDENTIALS


def test_oauth_login_other_provider_is_401(anonymous: httpx.Client) -> None:
    response = anonymous.post("/oauth_login", json={"provider": "github", "token": "x", "api_secret": SECRET})
    assert response.status_code == 401
    assert response.json() == INVALID_CREDENTIALS
