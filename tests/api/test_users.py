"""``/users`` (reference §4.13, Appendix A): the list, the caller-only update, and the built intents."""

from __future__ import annotations

from typing import Any

import httpx
from helpers.reference import entity_fields, wrong_types

JSON = {"Accept": "application/json"}
ME = {"first_name": "Demo", "last_name": "User", "email": "user@example.com"}
NEW_USER = {
    "first_name": "Nina",
    "last_name": "Clerk",
    "email": "nina@example.com",
    "password": "nina-pass",
    "is_admin": False,
    "permissions": ["view_client", "create_invoice"],
}
RECORD_DOES_NOT_EXIST = {"message": "record does not exist"}


def _data(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _login_token(client: httpx.Client, email: str, password: str) -> str:
    response = client.post(
        "/login", json={"email": email, "password": password, "api_secret": "SECRET", "token_name": "t"}
    )
    token: str = _data(response)[0]["token"]
    return token


def _as(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url + "/api/v1", headers={"X-Ninja-Token": token}, timeout=10)


# --- list -------------------------------------------------------------------------------------------------


def test_list_users_shows_the_owner_with_id_1(api: httpx.Client) -> None:
    response = api.get("/users")
    body = response.json()
    assert response.status_code == 200
    assert body["meta"]["pagination"]["total"] == 1
    user = body["data"][0]
    fields = entity_fields("user")
    assert list(user) == [name for name, _ in fields]
    assert wrong_types(user, fields) == {}
    assert user["id"] == 1
    assert user["email"] == "user@example.com"
    assert user["is_admin"] is True
    assert user["permissions"] == []
    assert user["deleted_at"] is None


def test_list_users_is_scoped_to_the_account(api: httpx.Client, other_api: httpx.Client) -> None:
    assert api.post("/users", json=NEW_USER).status_code == 200
    theirs = _data(other_api.get("/users"))
    assert [u["email"] for u in theirs] == ["user2@example.com"]
    assert other_api.get("/users/2").json() == RECORD_DOES_NOT_EXIST


def test_list_users_newest_first_and_non_admins_see_only_themselves(api: httpx.Client, base_url: str) -> None:
    created = _data(api.post("/users", json=NEW_USER))
    assert [u["id"] for u in _data(api.get("/users"))] == [2, 1]
    token = _login_token(api, "nina@example.com", "nina-pass")
    with _as(base_url, token) as nina:
        mine = _data(nina.get("/users"))
        assert mine == [created]
        assert nina.get("/users/1").status_code == 404
        assert nina.get("/users/1").json() == RECORD_DOES_NOT_EXIST


# --- show (built intent) ----------------------------------------------------------------------------------


def test_show_user_by_shown_id(api: httpx.Client) -> None:
    created = _data(api.post("/users", json=NEW_USER))
    assert _data(api.get("/users/2")) == created
    assert _data(api.get("/users/1"))["email"] == "user@example.com"


def test_show_user_unknown_or_zero_id(api: httpx.Client) -> None:
    unknown = api.get("/users/9")
    assert unknown.status_code == 404
    assert unknown.json() == RECORD_DOES_NOT_EXIST
    zero = api.get("/users/0")
    assert zero.status_code == 404
    assert zero.json() == {"error": "Record not found"}


# --- create (built intent) --------------------------------------------------------------------------------


def test_create_user_adds_a_user_who_can_log_in(api: httpx.Client, base_url: str) -> None:
    user = _data(api.post("/users", json=NEW_USER))
    assert user["id"] == 2
    assert user["first_name"] == "Nina"
    assert user["email"] == "nina@example.com"
    assert user["is_admin"] is False
    assert user["registered"] is True
    assert user["confirmed"] is False
    assert user["permissions"] == {"view_client": True, "create_invoice": True}
    assert wrong_types(user, entity_fields("user")) == {}
    token = _login_token(api, "nina@example.com", "nina-pass")
    with _as(base_url, token) as nina:
        assert _data(nina.get("/accounts"))["name"] == "Demo Company"


def test_create_user_validation(api: httpx.Client) -> None:
    response = api.post("/users", json={"email": "USER2@example.com"}, headers=JSON)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "first_name": ["The first name field is required."],
        "last_name": ["The last name field is required."],
        "email": ["The email has already been taken."],
    }
    invalid = api.post("/users", json={**NEW_USER, "email": "not an email"}, headers=JSON)
    assert invalid.json()["errors"] == {"email": ["The email must be a valid email address."]}
    assert len(_data(api.get("/users"))) == 1


def test_create_user_needs_an_admin(api: httpx.Client, base_url: str) -> None:
    assert api.post("/users", json=NEW_USER).status_code == 200
    token = _login_token(api, "nina@example.com", "nina-pass")
    with _as(base_url, token) as nina:
        response = nina.post("/users", json={**NEW_USER, "email": "other@example.com"}, headers=JSON)
        assert response.status_code == 403
        assert response.json() == {"message": "This action is unauthorized."}


# --- update: always the caller ----------------------------------------------------------------------------


def test_update_user_ignores_the_id_and_edits_the_caller(api: httpx.Client) -> None:
    response = api.put("/users/77", json={**ME, "first_name": "Dana", "phone": "555-0100"})
    user = _data(response)
    assert user["id"] == 1
    assert user["first_name"] == "Dana"
    assert user["phone"] == "555-0100"
    assert _data(api.get("/users"))[0]["first_name"] == "Dana"


def test_update_user_rules(api: httpx.Client) -> None:
    missing = api.put("/users/1", json={"email": "user@example.com"}, headers=JSON)
    assert missing.status_code == 422
    assert missing.json()["errors"] == {
        "first_name": ["The first name field is required."],
        "last_name": ["The last name field is required."],
    }
    taken = api.put("/users/1", json={**ME, "email": "user2@example.com"}, headers=JSON)
    assert taken.json()["errors"] == {"email": ["The email has already been taken."]}
    nothing = api.put("/users/1", json={"first_name": "A", "last_name": "B"}, headers=JSON)
    assert nothing.json()["errors"] == {"email": ["The email field is required."]}
    secret = api.put("/users/1", json={"api_secret": "SECRET"})
    assert secret.status_code == 400
    assert secret.json() == {"error": {"message": "The email field is required."}}


def test_update_user_password_is_stored_unhashed(api: httpx.Client) -> None:
    assert api.put("/users/1", json={**ME, "password": "new-password"}).status_code == 200
    login = api.post(
        "/login",
        json={"email": "user@example.com", "password": "new-password", "api_secret": "SECRET"},
    )
    assert login.status_code == 401
    assert login.json() == {"error": {"message": "Invalid credentials"}}


def test_update_user_archive_action_archives_the_caller(api: httpx.Client) -> None:
    response = api.put("/users/5", params={"action": "archive"}, json=ME)
    user = _data(response)
    assert user["id"] == 1
    assert user["deleted_at"] is not None
    # The archived user's token keeps working; logging in by password does not.
    assert _data(api.get("/users"))[0]["deleted_at"] == user["deleted_at"]
    login = api.post(
        "/login", json={"email": "user@example.com", "password": "password", "api_secret": "SECRET"}
    )
    assert login.status_code == 401
    assert _data(api.get("/accounts"))["users"] == []


def test_update_user_other_action_saves(api: httpx.Client) -> None:
    user = _data(api.put("/users/1", params={"action": "delete"}, json={**ME, "last_name": "Changed"}))
    assert user["last_name"] == "Changed"
    assert user["deleted_at"] is None


# --- delete (built intent) --------------------------------------------------------------------------------


def test_delete_user_deactivates_the_named_user(api: httpx.Client) -> None:
    assert api.post("/users", json=NEW_USER).status_code == 200
    response = api.request("DELETE", "/users/2", json=ME)
    user = _data(response)
    assert user["id"] == 2
    assert user["deleted_at"] is not None
    assert [u["id"] for u in _data(api.get("/users", params={"filter_active": 1}))] == [1]
    login = api.post(
        "/login", json={"email": "nina@example.com", "password": "nina-pass", "api_secret": "SECRET"}
    )
    assert login.status_code == 401


def test_delete_user_runs_the_update_rules_first(api: httpx.Client) -> None:
    response = api.delete("/users/1", headers=JSON)
    assert response.status_code == 422
    assert response.json()["errors"]["email"] == ["The email field is required."]


def test_delete_user_of_other_account_is_not_found(api: httpx.Client, other_api: httpx.Client) -> None:
    assert api.post("/users", json=NEW_USER).status_code == 200
    body = {"first_name": "Second", "last_name": "Owner", "email": "user2@example.com"}
    response = other_api.request("DELETE", "/users/2", json=body)
    assert response.status_code == 404
    assert response.json() == RECORD_DOES_NOT_EXIST
    assert _data(api.get("/users/2"))["deleted_at"] is None


def test_non_admin_cannot_delete_another_user(api: httpx.Client, base_url: str) -> None:
    assert api.post("/users", json={**NEW_USER, "permissions": ["view_user"]}).status_code == 200
    token = _login_token(api, "nina@example.com", "nina-pass")
    body = {"first_name": "Nina", "last_name": "Clerk", "email": "nina@example.com"}
    with _as(base_url, token) as nina:
        assert [u["id"] for u in _data(nina.get("/users"))] == [2, 1]
        response = nina.request("DELETE", "/users/1", json=body, headers=JSON)
        assert response.status_code == 403
        assert response.json() == {"message": "This action is unauthorized."}
