"""``GET|PUT /accounts``, ``GET /static`` and ``POST /register`` (reference §8, Appendix A)."""

from __future__ import annotations

from typing import Any

import httpx
from helpers.reference import entity_fields, includes_of, wrong_types

from sandbox.models.static_data import StaticData

JSON = {"Accept": "application/json"}
SECRET = "SECRET"
EMAIL = "user@example.com"
INVALID_SECRET = '{"error":{"message":"Invalid value for API_SECRET"}}'
ACCOUNT_INCLUDES = [
    "users",
    "products",
    "tax_rates",
    "expense_categories",
    "projects",
    "account_email_settings",
]


def _account(client: httpx.Client, **params: Any) -> dict[str, Any]:
    response = client.get("/accounts", params=params)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _user_accounts(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _list(client: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(path, params={"per_page": 1000, **params})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["data"]
    return rows


# --- GET /accounts ----------------------------------------------------------------------------------------


def test_get_account_fields_in_order_with_reference_types(api: httpx.Client) -> None:
    response = api.get("/accounts")
    assert response.status_code == 200
    assert response.headers["X-Ninja-Version"] == "4.5.50"
    account = response.json()["data"]
    fields = entity_fields("account")
    assert list(account) == [name for name, _ in fields] + ACCOUNT_INCLUDES
    assert wrong_types(account, fields) == {}
    settings = account["account_email_settings"]
    assert list(settings) == [name for name, _ in entity_fields("account_email_settings")]
    assert wrong_types(settings, entity_fields("account_email_settings")) == {}
    assert includes_of("account")[: len(ACCOUNT_INCLUDES)] == tuple(ACCOUNT_INCLUDES)


def test_get_account_shows_the_demo_company_settings(api: httpx.Client) -> None:
    account = _account(api)
    assert account["name"] == "Demo Company"
    assert account["city"] == "San Francisco"
    assert account["currency_id"] == 1
    assert account["country_id"] == 840
    assert account["invoice_number_counter"] == 49
    assert account["enabled_modules"] == 63
    assert account["font_size"] == 9
    assert account["enable_reminder1"] == 0
    assert account["client_view_css"] == ""
    assert account["custom_fields"] == {}
    assert account["custom_messages"] == {}
    assert account["custom_invoice_taxes1"] == account["custom_invoice_taxes2"] == 0
    assert account["account_email_settings"]["email_subject_reminder4"] is None


def test_get_account_includes_the_accounts_lists(api: httpx.Client) -> None:
    account = _account(api)
    assert [u["email"] for u in account["users"]] == ["user@example.com"]
    products = [p for p in _list(api, "/products") if p["archived_at"] is None]
    assert sorted(p["id"] for p in account["products"]) == sorted(p["id"] for p in products)
    tax_rates = [t for t in _list(api, "/tax_rates") if t["archived_at"] is None]
    assert sorted(t["id"] for t in account["tax_rates"]) == sorted(t["id"] for t in tax_rates)
    assert isinstance(account["expense_categories"], list)
    assert isinstance(account["projects"], list)
    assert "clients" not in account


def test_get_account_available_includes(api: httpx.Client) -> None:
    account = _account(api, include="clients,payments")
    assert list(account)[-2:] == ["clients", "payments"]
    assert len(account["clients"]) == 12
    assert len(account["payments"]) == len(_list(api, "/payments"))


def test_get_account_is_scoped_to_the_token(api: httpx.Client, other_api: httpx.Client) -> None:
    mine, theirs = _account(api), _account(other_api)
    assert theirs["name"] == "Second Company"
    assert theirs["account_key"] != mine["account_key"]
    assert theirs["currency_id"] == 3
    assert [u["email"] for u in theirs["users"]] == ["user2@example.com"]
    assert {p["account_key"] for p in theirs["products"]} <= {theirs["account_key"]}


def test_get_account_serializer_json(api: httpx.Client) -> None:
    body = api.get("/accounts", params={"serializer": "json"}).json()["data"]
    assert body["data"]["type"] == "account"
    assert body["data"]["id"] == body["data"]["attributes"]["account_key"]
    assert body["data"]["relationships"]["users"]["data"] == [{"type": "user", "id": "1"}]


# --- PUT /accounts ----------------------------------------------------------------------------------------


def test_put_account_updates_fillable_fields_and_answers_the_same_shape(api: httpx.Client) -> None:
    before = _account(api)
    response = api.put(
        "/accounts",
        json={
            "name": "Renamed Company",
            "city": "Oakland",
            "invoice_terms": "Net 30, please.",
            "custom_fields": {"client1": "Region", "invoice1": "", "product1": "Colour"},
            "enable_reminder1": True,
            "tax_rate1": "7.5",
            "financial_year_start": "2026-04-01",
            "account_key": "not-fillable",
            "custom_invoice_taxes1": 1,
        },
    )
    assert response.status_code == 200
    account = response.json()["data"]
    assert list(account) == list(before)
    assert account["name"] == "Renamed Company"
    assert account["city"] == "Oakland"
    assert account["invoice_terms"] == "Net 30, please."
    assert account["custom_fields"] == {"client1": "Region", "product1": "Colour"}
    assert account["custom_client_label1"] == "Region"
    assert account["custom_invoice_label1"] == ""
    assert account["custom_invoice_item_label1"] == "Colour"
    assert account["enable_reminder1"] == 1
    assert account["tax_rate1"] == 7.5
    assert account["financial_year_start"] == "2026-04-01"
    assert account["account_key"] == before["account_key"]
    assert account["custom_invoice_taxes1"] == 0
    assert account["updated_at"] >= before["updated_at"]
    assert _account(api) == account
    login = api.post("/refresh").json()["data"][0]
    assert login["name"] == "Renamed Company"
    assert login["financial_year_start"] == 4


def test_put_account_with_nothing_changed_keeps_updated_at(api: httpx.Client) -> None:
    before = _account(api)
    response = api.put("/accounts", json={"name": "Demo Company"})
    assert response.status_code == 200
    assert response.json()["data"] == before


def test_put_account_name_is_required(api: httpx.Client) -> None:
    response = api.put("/accounts", json={"city": "Oakland"}, headers=JSON)
    assert response.status_code == 422
    assert response.json() == {
        "message": "The given data was invalid.",
        "errors": {"name": ["The name field is required."]},
    }
    assert _account(api)["city"] == "San Francisco"


def test_put_account_name_required_with_api_secret_is_400(api: httpx.Client) -> None:
    response = api.put("/accounts", json={"name": "", "api_secret": "SECRET"})
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "The name field is required."}}


def test_put_account_name_required_plain_request_redirects(api: httpx.Client) -> None:
    response = api.put("/accounts", json={})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("http://127.0.0.1:")


def test_put_account_logo_must_be_an_image_upload(api: httpx.Client) -> None:
    response = api.put("/accounts", json={"name": "X", "logo": "logo.png"}, headers=JSON)
    assert response.status_code == 422
    assert response.json()["errors"] == {"logo": ["The logo must be a file of type: jpeg, gif, png."]}


def test_put_account_array_for_text_is_a_validation_error(api: httpx.Client) -> None:
    response = api.put("/accounts", json={"name": "X", "city": ["a"]}, headers=JSON)
    assert response.status_code == 422
    assert response.json()["errors"] == {"city": ["The city must be a string."]}


def test_put_account_changes_only_the_callers_account(api: httpx.Client, other_api: httpx.Client) -> None:
    theirs = _account(other_api)
    assert api.put("/accounts", json={"name": "Mine Only"}).status_code == 200
    assert _account(other_api) == theirs


def test_put_account_without_token_is_403(anonymous: httpx.Client) -> None:
    response = anonymous.put("/accounts", json={"name": "X"})
    assert response.status_code == 403
    assert response.text == '{"error":{"message":"Invalid token"}}'


# --- GET /static ------------------------------------------------------------------------------------------


CACHED_TABLES = [
    "currencies",
    "sizes",
    "industries",
    "timezones",
    "dateFormats",
    "datetimeFormats",
    "languages",
    "paymentTypes",
    "countries",
    "invoiceDesigns",
    "invoiceStatus",
    "frequencies",
    "gateways",
    "gatewayTypes",
    "fonts",
    "banks",
]


def test_static_has_the_cached_tables_as_raw_rows(api: httpx.Client) -> None:
    response = api.get("/static")
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == CACHED_TABLES
    tables = StaticData.load().tables
    for name in CACHED_TABLES:
        assert sorted(data[name], key=lambda row: row["id"]) == sorted(
            tables[name], key=lambda row: row["id"]
        )
    assert data["currencies"][0] == {
        "id": 94,
        "name": "Albanian Lek",
        "symbol": "L ",
        "precision": "2",
        "thousand_separator": ".",
        "decimal_separator": ",",
        "code": "ALL",
        "swap_currency_symbol": False,
        "exchange_rate": None,
    }


def test_static_orders_tables_as_the_cache_does(api: httpx.Client) -> None:
    data = api.get("/static").json()["data"]
    countries = [row["name"] for row in data["countries"]]
    assert countries[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    assert [row["id"] for row in data["timezones"]] == sorted(row["id"] for row in data["timezones"])
    orders = [row["sort_order"] for row in data["fonts"]]
    assert orders == sorted(orders)
    languages = [row["name"] for row in data["languages"]]
    assert languages == sorted(languages, key=str.casefold)
    # Not translated here: the stored name.
    assert "SEPA" in [row["name"] for row in data["paymentTypes"]]


def test_static_without_token_is_403(anonymous: httpx.Client) -> None:
    response = anonymous.get("/static")
    assert response.status_code == 403
    assert response.text == '{"error":{"message":"Invalid token"}}'


# --- register ---------------------------------------------------------------------------------------------


REGISTRATION = {
    "email": "new@example.com",
    "first_name": "New",
    "last_name": "Person",
    "password": "secret1",
    "api_secret": SECRET,
    "token_name": "signup",
}


def test_register_creates_an_account_and_answers_like_login(
    anonymous: httpx.Client, api: httpx.Client
) -> None:
    accounts = _user_accounts(anonymous.post("/register", json=REGISTRATION))
    assert len(accounts) == 1
    account = accounts[0]
    assert account["name"] == "Untitled Company"
    assert account["user"]["email"] == "new@example.com"
    assert account["user"]["first_name"] == "New"
    assert account["user_id"] == 1
    assert account["currency_id"] == 1
    assert account["plan"] == ""
    token = account["token"]
    assert token is not None
    headers = {"X-Ninja-Token": token}
    assert anonymous.get("/clients", headers=headers).json()["meta"]["pagination"]["total"] == 0
    shown = anonymous.get("/accounts", headers=headers).json()["data"]
    assert shown["account_key"] == account["account_key"]
    assert shown["timezone_id"] == 0
    assert [u["email"] for u in shown["users"]] == ["new@example.com"]
    # The new user can log in, and nothing of the demo account is visible to them.
    again = _user_accounts(
        anonymous.post(
            "/login",
            json={
                "email": "new@example.com",
                "password": "secret1",
                "api_secret": SECRET,
                "token_name": "signup",
            },
        )
    )
    assert again[0]["token"] == token
    assert api.get("/accounts").json()["data"]["name"] == "Demo Company"


def test_register_duplicate_email_is_a_validation_error(anonymous: httpx.Client) -> None:
    response = anonymous.post("/register", json={**REGISTRATION, "email": "USER@example.com"})
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "The email has already been taken."}}
    header = anonymous.post(
        "/register",
        json={k: v for k, v in REGISTRATION.items() if k not in ("api_secret", "password")}
        | {"email": EMAIL},
        headers={"X-Ninja-Secret": SECRET, "Accept": "application/json"},
    )
    assert header.status_code == 422
    assert header.json() == {
        "message": "The given data was invalid.",
        "errors": {
            "email": ["The email has already been taken."],
            "password": ["The password field is required."],
        },
    }


def test_register_wrong_secret_is_403(anonymous: httpx.Client) -> None:
    response = anonymous.post("/register", json={**REGISTRATION, "api_secret": "bad"})
    assert response.status_code == 403
    assert response.text == INVALID_SECRET
