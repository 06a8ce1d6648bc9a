"""Expense categories (v4-api-behaviour.md §3.5, §4.12, §5; Appendix A)."""

from __future__ import annotations

from typing import Any

import httpx
from helpers.reference import entity_fields, wrong_types

CATEGORY_FIELDS = entity_fields("expense_category")
NOT_FOUND = {"message": "record does not exist"}
JSON = {"Accept": "application/json"}
SEEDED = 4


def invalid(message: str) -> dict[str, Any]:
    return {"message": "The given data was invalid.", "errors": {"name": [message]}}


REQUIRED = invalid("The name field is required.")
TAKEN = invalid("The name has already been taken.")


def create(api: httpx.Client, name: str) -> dict[str, Any]:
    response = api.post("/expense_categories", json={"name": name})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def test_list_newest_first_in_reference_shape(api: httpx.Client) -> None:
    response = api.get("/expense_categories")
    assert response.status_code == 200
    rows = response.json()["data"]
    assert response.json()["meta"]["pagination"]["total"] == SEEDED
    assert [row["id"] for row in rows] == list(range(SEEDED, 0, -1))
    for row in rows:
        assert list(row) == [name for name, _ in CATEGORY_FIELDS if name != "user_id"]
        assert wrong_types(row, CATEGORY_FIELDS) == {}
        assert row["name"]


def test_show_answers_the_category_instead_of_v4s_500(api: httpx.Client) -> None:
    shown = api.get("/expense_categories/2")
    assert shown.status_code == 200
    assert shown.json()["data"] == next(
        row for row in api.get("/expense_categories").json()["data"] if row["id"] == 2
    )
    missing = api.get("/expense_categories/99")
    assert missing.status_code == 404
    assert missing.json() == NOT_FOUND


def test_create_shows_user_id_and_takes_the_next_id(api: httpx.Client) -> None:
    data = create(api, "Travel abroad")
    assert list(data) == [name for name, _ in CATEGORY_FIELDS]
    assert (data["id"], data["name"], data["user_id"], data["is_owner"]) == (
        SEEDED + 1,
        "Travel abroad",
        1,
        True,
    )
    assert data["archived_at"] is None
    assert api.get("/expense_categories").json()["data"][0]["id"] == SEEDED + 1


def test_create_name_is_required_and_unique_case_insensitively(api: httpx.Client) -> None:
    missing = api.post("/expense_categories", json={"name": "  "}, headers=JSON)
    assert missing.status_code == 422
    assert missing.json() == REQUIRED
    existing = api.get("/expense_categories/1").json()["data"]["name"]
    taken = api.post("/expense_categories", json={"name": existing.upper()}, headers=JSON)
    assert taken.status_code == 422
    assert taken.json() == TAKEN
    secret = api.post("/expense_categories", json={"api_secret": "x"})
    assert secret.status_code == 400
    assert secret.json() == {"error": {"message": "The name field is required."}}
    assert api.get("/expense_categories").json()["meta"]["pagination"]["total"] == SEEDED


def test_names_are_unique_per_account_only(api: httpx.Client, other_api: httpx.Client) -> None:
    mine = create(api, "Shared Name")
    theirs = other_api.post("/expense_categories", json={"name": "Shared Name"})
    assert theirs.status_code == 200
    assert theirs.json()["data"]["account_key"] != mine["account_key"]
    listed = other_api.get("/expense_categories", params={"per_page": -1}).json()["data"]
    assert all(row["account_key"] == theirs.json()["data"]["account_key"] for row in listed)


def test_update_renames_and_keeps_its_own_name(api: httpx.Client) -> None:
    category = create(api, "Old")
    same = api.put(f"/expense_categories/{category['id']}", json={"name": "old"})
    assert same.status_code == 200
    assert same.json()["data"]["name"] == "old"
    assert "user_id" not in same.json()["data"]
    clash = api.put(f"/expense_categories/{category['id']}", json={"name": "Old"}, headers=JSON)
    assert clash.status_code == 200
    other = api.get("/expense_categories/1").json()["data"]["name"]
    taken = api.put(f"/expense_categories/{category['id']}", json={"name": other}, headers=JSON)
    assert taken.status_code == 422
    assert taken.json() == TAKEN
    missing = api.put(f"/expense_categories/{category['id']}", json={}, headers=JSON)
    assert missing.status_code == 422
    assert missing.json() == REQUIRED
    unknown = api.put("/expense_categories/99", json={"name": "x"})
    assert unknown.status_code == 404
    assert unknown.json() == NOT_FOUND


def test_an_action_is_an_ordinary_save(api: httpx.Client) -> None:
    category = create(api, "Not archived")
    response = api.put(
        f"/expense_categories/{category['id']}", params={"action": "archive"}, json={"name": "Renamed"}
    )
    assert response.status_code == 200
    assert response.json()["data"]["name"] == "Renamed"
    assert response.json()["data"]["archived_at"] is None
    bogus = api.put(
        f"/expense_categories/{category['id']}", params={"action": "bogus"}, json={"name": "Renamed"}
    )
    assert bogus.status_code == 200
    without_name = api.put(
        f"/expense_categories/{category['id']}", params={"action": "archive"}, headers=JSON
    )
    assert without_name.status_code == 422
    assert without_name.json() == REQUIRED


def test_the_body_can_name_another_category(api: httpx.Client) -> None:
    first, second = create(api, "First"), create(api, "Second")
    response = api.put(
        f"/expense_categories/{first['id']}", json={"expense_category_id": second["id"], "name": "Second 2"}
    )
    assert response.status_code == 200
    assert response.json()["data"]["id"] == second["id"]
    assert api.get(f"/expense_categories/{first['id']}").json()["data"]["name"] == "First"


def test_delete_needs_a_name_then_trashes_the_category(api: httpx.Client) -> None:
    category = create(api, "Doomed")
    path = f"/expense_categories/{category['id']}"
    refused = api.delete(path, headers=JSON)
    assert refused.status_code == 422
    assert refused.json() == REQUIRED
    deleted = api.request("DELETE", path, json={"name": "Doomed"})
    assert deleted.status_code == 200
    assert deleted.json()["data"]["id"] == category["id"]
    assert deleted.json()["data"]["archived_at"] is not None
    listed = {row["id"]: row for row in api.get("/expense_categories").json()["data"]}
    assert listed[category["id"]]["archived_at"] is not None
    assert category["id"] not in {
        row["id"] for row in api.get("/expense_categories", params={"filter_active": 1}).json()["data"]
    }
    again = api.post("/expense_categories", json={"name": "doomed"}, headers=JSON)
    assert again.status_code == 422
    assert again.json() == TAKEN
    unknown = api.request("DELETE", "/expense_categories/99", json={"name": "x"})
    assert unknown.status_code == 404
    assert unknown.json() == NOT_FOUND
