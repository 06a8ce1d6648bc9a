"""Payment terms: the list with the global defaults, show, create, delete by days (§4.15, Appendix A)."""

from __future__ import annotations

from typing import Any

import httpx
from helpers.reference import entity_fields, wrong_types

TERM_FIELDS = entity_fields("payment_term")
SHOWN = [name for name, _ in TERM_FIELDS if name != "user_id"]
XHR = {"X-Requested-With": "XMLHttpRequest"}
INVALID = "The given data was invalid."
CANNOT_DELETE = {"error": {"message": "Cannot delete a default or non existent Payment Term"}}
#: The global defaults (account 0) and the demo account's own Net 45, by ``num_days``.
SEEDED_DAYS = [-1, 7, 10, 14, 15, 30, 45, 60, 90]


def _terms(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/payment_terms", params={"per_page": 50, **params})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["data"]
    return rows


def _days(client: httpx.Client, **params: Any) -> list[int]:
    return [term["num_days"] for term in _terms(client, **params)]


def _invalid(message: str) -> dict[str, Any]:
    return {"message": INVALID, "errors": {"num_days": [message]}}


# --- GET /payment_terms ---------------------------------------------------------------------------------


def test_list_has_defaults_and_own_terms_by_days_without_id(api: httpx.Client) -> None:
    response = api.get("/payment_terms")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["pagination"]["total"] == 9
    rows = body["data"]
    assert [t["num_days"] for t in rows] == SEEDED_DAYS
    assert [t["name"] for t in rows] == [f"Net {max(d, 0)}" for d in SEEDED_DAYS]
    account_key = api.get("/products/1").json()["data"]["account_key"]
    for term in rows:
        assert list(term) == SHOWN
        assert "id" not in term
        assert wrong_types(term, TERM_FIELDS) == {}
        assert term["account_key"] == account_key
        assert term["archived_at"] is None
        own = term["num_days"] == 45
        assert (term["is_default"], term["is_owner"]) == (not own, own)


def test_list_pages_like_every_list(api: httpx.Client) -> None:
    response = api.get("/payment_terms", params={"per_page": 4, "page": 3})
    assert response.status_code == 200
    body = response.json()
    assert [t["num_days"] for t in body["data"]] == [90]
    assert body["meta"]["pagination"]["total_pages"] == 3
    assert list(body["meta"]["pagination"]["links"]) == ["previous"]


def test_list_updated_at_filter_binds_to_the_defaults_only(api: httpx.Client) -> None:
    # v4's ``orWhere('account_id', 0)`` is not grouped: the account's own terms always pass.
    assert _days(api, updated_at=1541743430) == [-1, 45]
    assert _days(api, updated_at=4102444800) == [45]
    assert _days(api, updated_at=0) == SEEDED_DAYS


def test_list_ignores_client_id(api: httpx.Client) -> None:
    assert _days(api, client_id=1) == SEEDED_DAYS


def test_list_json_api_uses_the_public_id(api: httpx.Client) -> None:
    response = api.get("/payment_terms", params={"serializer": "json", "per_page": 50})
    assert response.status_code == 200
    resources = response.json()["data"]["data"]
    assert [(r["type"], r["id"]) for r in resources][:3] == [
        ("payment_term", "0"),
        ("payment_term", "1"),
        ("payment_term", "2"),
    ]
    own = next(r for r in resources if r["attributes"]["num_days"] == 45)
    assert own["id"] == "1"
    for resource in resources:
        assert list(resource["attributes"]) == SHOWN
        assert wrong_types(resource["attributes"], TERM_FIELDS) == {}


# --- GET /payment_terms/{id} ----------------------------------------------------------------------------


def test_show_by_public_id(api: httpx.Client) -> None:
    response = api.get("/payment_terms/1")
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == SHOWN
    assert [data[k] for k in ("num_days", "name", "is_default", "is_owner")] == [45, "Net 45", False, True]


def test_show_json_api(api: httpx.Client) -> None:
    response = api.get("/payment_terms/1", params={"serializer": "json"})
    assert response.status_code == 200
    resource = response.json()["data"]["data"]
    assert (resource["type"], resource["id"]) == ("payment_term", "1")
    assert list(resource["attributes"]) == SHOWN


def test_show_unknown_or_empty_id(api: httpx.Client) -> None:
    unknown = api.get("/payment_terms/7")
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "record does not exist"}
    empty = api.get("/payment_terms/0")
    assert empty.status_code == 404
    assert empty.json() == {"error": "Record not found"}


# --- POST /payment_terms --------------------------------------------------------------------------------


def test_create_term(api: httpx.Client) -> None:
    response = api.post("/payment_terms", json={"num_days": "21", "name": "ignored"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == [name for name, _ in TERM_FIELDS]
    assert wrong_types(data, TERM_FIELDS) == {}
    assert (data["user_id"], data["num_days"], data["name"]) == (1, 21, "Net 21")
    assert (data["is_default"], data["is_owner"], data["archived_at"]) == (False, True, None)
    assert _days(api) == [-1, 7, 10, 14, 15, 21, 30, 45, 60, 90]
    shown = api.get("/payment_terms/2")
    assert shown.status_code == 200
    assert shown.json()["data"] == {k: v for k, v in data.items() if k != "user_id"}


def test_create_term_requires_num_days(api: httpx.Client) -> None:
    for body in ({}, {"num_days": ""}, {"num_days": None}):
        response = api.post("/payment_terms", json=body, headers=XHR)
        assert response.status_code == 422
        assert response.json() == _invalid("The num days field is required.")
    assert _days(api) == SEEDED_DAYS


def test_create_term_requires_a_number(api: httpx.Client) -> None:
    for value in ("abc", "12 ", True, [3]):
        response = api.post("/payment_terms", json={"num_days": value}, headers=XHR)
        assert response.status_code == 422
        assert response.json() == _invalid("The num days must be a number.")
    assert _days(api) == SEEDED_DAYS


def test_create_term_must_be_unique_in_account_and_defaults(api: httpx.Client) -> None:
    for value in (45, "30", "-1", "1e1", " 7"):
        response = api.post("/payment_terms", json={"num_days": value}, headers=XHR)
        assert response.status_code == 422
        assert response.json() == _invalid("The num days has already been taken.")
    assert _days(api) == SEEDED_DAYS


def test_create_term_validation_without_xhr_redirects(api: httpx.Client) -> None:
    response = api.post("/payment_terms", json={"num_days": 30})
    assert response.status_code == 302
    assert "Redirecting to" in response.text


def test_archived_term_does_not_block_a_new_one(api: httpx.Client) -> None:
    assert api.delete("/payment_terms/45").status_code == 200
    response = api.post("/payment_terms", json={"num_days": 45})
    assert response.status_code == 200
    assert response.json()["data"]["num_days"] == 45
    assert api.get("/payment_terms/2").json()["data"]["archived_at"] is None
    assert isinstance(api.get("/payment_terms/1").json()["data"]["archived_at"], int)


def test_create_term_keeps_only_the_digits(api: httpx.Client) -> None:
    # ``Utils::parseInt`` drops every non-digit after validation: "-5" is 5 and "1.5" is 15.
    minus = api.post("/payment_terms", json={"num_days": "-5"})
    assert minus.status_code == 200
    assert (minus.json()["data"]["num_days"], minus.json()["data"]["name"]) == (5, "Net 5")
    decimal = api.post("/payment_terms", json={"num_days": "1.5"})
    assert decimal.status_code == 200
    assert decimal.json()["data"]["num_days"] == 15
    assert _days(api) == [-1, 5, 7, 10, 14, 15, 15, 30, 45, 60, 90]


# --- PUT /payment_terms/{id}: no update in v4 -----------------------------------------------------------


def test_update_is_method_not_allowed(api: httpx.Client) -> None:
    for method in ("PUT", "PATCH"):
        response = api.request(method, "/payment_terms/1", json={"num_days": 50}, headers=XHR)
        assert response.status_code == 405
        assert response.headers["Allow"] == "GET, HEAD, DELETE"
        assert response.json() == {
            "message": f"The {method} method is not supported for this route. "
            "Supported methods: GET, HEAD, DELETE."
        }
    assert api.get("/payment_terms/1").json()["data"]["num_days"] == 45


def test_update_needs_a_token_first(anonymous: httpx.Client) -> None:
    response = anonymous.put("/payment_terms/1", json={"num_days": 50})
    assert response.status_code == 403
    assert response.json() == {"error": {"message": "Invalid token"}}


# --- DELETE /payment_terms/{num_days} -------------------------------------------------------------------


def test_delete_archives_the_term_with_those_days(api: httpx.Client) -> None:
    response = api.delete("/payment_terms/45")
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == SHOWN
    assert (data["num_days"], data["is_default"]) == (45, False)
    assert isinstance(data["archived_at"], int)
    assert _days(api) == [d for d in SEEDED_DAYS if d != 45]
    assert api.get("/payment_terms/1").json()["data"] == data
    again = api.delete("/payment_terms/45")
    assert again.status_code == 400
    assert again.json() == CANNOT_DELETE


def test_delete_default_or_missing_term_is_400(api: httpx.Client) -> None:
    for days in ("30", "-1", "999", "1"):
        response = api.delete(f"/payment_terms/{days}")
        assert response.status_code == 400
        assert response.json() == CANNOT_DELETE
    assert _days(api) == SEEDED_DAYS


def test_delete_reads_the_segment_as_a_number(api: httpx.Client) -> None:
    assert api.post("/payment_terms", json={"num_days": "0"}).status_code == 200
    response = api.delete("/payment_terms/abc")
    assert response.status_code == 200
    assert (response.json()["data"]["num_days"], response.json()["data"]["name"]) == (0, "Net 0")
    assert _days(api) == SEEDED_DAYS


def test_create_and_edit_routes_are_v4_500s(api: httpx.Client) -> None:
    for path in ("/payment_terms/create", "/payment_terms/1/edit"):
        response = api.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 500
        assert response.json() == {"message": "Server Error"}


# --- isolation ------------------------------------------------------------------------------------------


def test_other_account_never_sees_or_deletes_these_terms(api: httpx.Client, other_api: httpx.Client) -> None:
    created = other_api.post("/payment_terms", json={"num_days": 21})
    assert created.status_code == 200
    assert 21 not in _days(api)
    assert _days(other_api) == [-1, 7, 10, 14, 15, 21, 30, 45, 60, 90]
    # v4 looks the days up in every account; the sandbox only in the caller's.
    response = api.delete("/payment_terms/21")
    assert response.status_code == 400
    assert response.json() == CANNOT_DELETE
    assert 21 in _days(other_api)
    assert api.get("/payment_terms/2").status_code == 404
    mine = api.post("/payment_terms", json={"num_days": 21})
    assert mine.status_code == 200
    assert api.delete("/payment_terms/45").status_code == 200
    assert 45 in _days(other_api)
    other_keys = {term["account_key"] for term in _terms(other_api)}
    assert len(other_keys) == 1
    assert other_keys != {term["account_key"] for term in _terms(api)}
