"""Tokens, account isolation, ``/ping`` (reference §2.1, §2.2, §8) and the admin journal and reset."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox import SandboxServer, Settings

INVALID_TOKEN = '{"error":{"message":"Invalid token"}}'
RECORD_DOES_NOT_EXIST = {"message": "record does not exist"}


def _list(client: httpx.Client, path: str) -> list[dict[str, Any]]:
    response = client.get(path, params={"per_page": 1000})
    assert response.status_code == 200
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _journal(admin: httpx.Client, **params: Any) -> dict[str, Any]:
    response = admin.get("/requests", params=params)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


# --- tokens -----------------------------------------------------------------------------------------------


def test_list_clients_valid_token_gives_own_clients(api: httpx.Client) -> None:
    response = api.get("/clients")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["pagination"]["total"] == 12
    assert sorted(c["id"] for c in body["data"]) == list(range(1, 13))


def test_list_clients_lowercase_token_also_works(anonymous: httpx.Client, api: httpx.Client) -> None:
    response = anonymous.get("/clients", headers={"X-Ninja-Token": "token"})
    assert response.status_code == 200
    assert response.json() == api.get("/clients").json()


def test_list_clients_second_token_sees_only_its_four_clients(
    other_api: httpx.Client, api: httpx.Client
) -> None:
    response = other_api.get("/clients")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["pagination"]["total"] == 4
    assert sorted(c["id"] for c in body["data"]) == [1, 2, 3, 4]
    mine = {c["account_key"] for c in body["data"]}
    theirs = {c["account_key"] for c in _list(api, "/clients")}
    assert len(mine) == 1
    assert len(theirs) == 1
    assert mine != theirs


# --- account isolation ------------------------------------------------------------------------------------


def test_show_client_of_other_account_gives_record_does_not_exist(other_api: httpx.Client) -> None:
    response = other_api.get("/clients/9")
    assert response.status_code == 404
    assert response.json() == RECORD_DOES_NOT_EXIST
    assert response.headers["X-Ninja-Version"] == "4.5.50"


def test_update_client_of_other_account_gives_404_and_changes_nothing(
    other_api: httpx.Client, api: httpx.Client
) -> None:
    before = api.get("/clients/9").json()["data"]
    response = other_api.put("/clients/9", json={"name": "Hijacked"})
    assert response.status_code == 404
    assert response.json() == RECORD_DOES_NOT_EXIST
    after = api.get("/clients/9")
    assert after.status_code == 200
    assert after.json()["data"] == before


def test_delete_client_of_other_account_gives_404_and_changes_nothing(
    other_api: httpx.Client, api: httpx.Client
) -> None:
    response = other_api.delete("/clients/12")
    assert response.status_code == 404
    assert response.json() == RECORD_DOES_NOT_EXIST
    after = api.get("/clients/12")
    assert after.status_code == 200
    assert after.json()["data"]["is_deleted"] is False
    assert after.json()["data"]["archived_at"] is None


def test_archive_client_of_other_account_gives_404(other_api: httpx.Client, api: httpx.Client) -> None:
    response = other_api.put("/clients/10", params={"action": "archive"})
    assert response.status_code == 404
    assert response.json() == RECORD_DOES_NOT_EXIST
    assert api.get("/clients/10").json()["data"]["archived_at"] is None


def test_show_client_same_id_in_both_accounts_shows_different_data(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    mine = api.get("/clients/1")
    theirs = other_api.get("/clients/1")
    assert mine.status_code == 200
    assert theirs.status_code == 200
    a, b = mine.json()["data"], theirs.json()["data"]
    assert a["id"] == b["id"] == 1
    assert a["account_key"] != b["account_key"]
    assert a["name"] != b["name"]


def test_create_client_by_second_token_is_invisible_to_first(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    created = other_api.post("/clients", json={"name": "Second Account Only"})
    assert created.status_code == 200
    new = created.json()["data"]
    assert new["id"] == 5
    assert other_api.get("/clients").json()["meta"]["pagination"]["total"] == 5
    mine = _list(api, "/clients")
    assert len(mine) == 12
    assert "Second Account Only" not in {c["name"] for c in mine}
    shown = api.get("/clients/5")
    assert shown.status_code == 200
    assert shown.json()["data"]["name"] != "Second Account Only"
    assert shown.json()["data"]["account_key"] != new["account_key"]


def test_create_client_by_first_token_gets_id_13_and_is_invisible_to_second(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    created = api.post("/clients", json={"name": "First Account Only"})
    assert created.status_code == 200
    assert created.json()["data"]["id"] == 13
    response = other_api.get("/clients/13")
    assert response.status_code == 404
    assert response.json() == RECORD_DOES_NOT_EXIST


def test_list_contacts_is_scoped_to_account(api: httpx.Client, other_api: httpx.Client) -> None:
    mine = _list(api, "/contacts")
    theirs = _list(other_api, "/contacts")
    assert len(mine) >= 12
    assert 4 <= len(theirs) <= 12
    assert {c["account_key"] for c in mine}.isdisjoint({c["account_key"] for c in theirs})
    their_emails = {c["email"] for c in theirs}
    assert not their_emails & {c["email"] for c in mine}


def test_show_contact_of_other_account_gives_record_does_not_exist(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    their_ids = {c["id"] for c in _list(other_api, "/contacts")}
    only_mine = max(c["id"] for c in _list(api, "/contacts"))
    assert only_mine not in their_ids
    response = other_api.get(f"/contacts/{only_mine}")
    assert response.status_code == 404
    assert response.json() == RECORD_DOES_NOT_EXIST


def test_update_contact_of_other_account_gives_404_and_changes_nothing(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    their_ids = {c["id"] for c in _list(other_api, "/contacts")}
    target = max(_list(api, "/contacts"), key=lambda c: c["id"])
    assert target["id"] not in their_ids
    response = other_api.put(
        f"/contacts/{target['id']}", json={"first_name": "X", "last_name": "Y", "email": "x@y.example"}
    )
    assert response.status_code == 404
    assert response.json() == RECORD_DOES_NOT_EXIST
    assert api.get(f"/contacts/{target['id']}").json()["data"] == target


def test_create_contact_by_second_token_is_invisible_to_first(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    created = other_api.post(
        "/contacts",
        json={"first_name": "Only", "last_name": "Theirs", "email": "theirs@example.com", "client_id": 1},
    )
    assert created.status_code == 200
    contact = created.json()["data"]
    assert contact["email"] == "theirs@example.com"
    assert "theirs@example.com" not in {c["email"] for c in _list(api, "/contacts")}
    assert "theirs@example.com" in {c["email"] for c in _list(other_api, "/contacts")}
    assert "theirs@example.com" in {
        c["email"] for c in other_api.get("/clients/1").json()["data"]["contacts"]
    }


def test_list_clients_email_filter_does_not_cross_accounts(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    their_email = _list(other_api, "/contacts")[0]["email"]
    response = api.get("/clients", params={"email": their_email})
    assert response.status_code == 200
    assert response.json()["data"] == []


# --- ping -------------------------------------------------------------------------------------------------


def test_ping_with_token_answers_success(api: httpx.Client) -> None:
    response = api.get("/ping")
    assert response.status_code == 200
    assert response.text == "success"
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Ninja-Version"] == "4.5.50"


def test_ping_with_secret_and_no_token_answers_success(anonymous: httpx.Client) -> None:
    response = anonymous.get("/ping", headers={"X-Ninja-Secret": "SECRET"})
    assert response.status_code == 200
    assert response.text == "success"
    assert response.headers["Content-Type"] == "application/json"


def test_ping_with_wrong_secret_and_no_token_gives_403(anonymous: httpx.Client) -> None:
    response = anonymous.get("/ping", headers={"X-Ninja-Secret": "wrong"})
    assert response.status_code == 403
    assert response.text == INVALID_TOKEN


def test_ping_without_credentials_gives_403(anonymous: httpx.Client) -> None:
    response = anonymous.get("/ping")
    assert response.status_code == 403
    assert response.text == INVALID_TOKEN
    assert response.headers["X-Ninja-Version"] == "4.5.50"


# --- the journal ------------------------------------------------------------------------------------------


def test_journal_lists_api_request(api: httpx.Client, admin: httpx.Client) -> None:
    account_key = api.get("/clients/1").json()["data"]["account_key"]
    created = api.post("/clients", json={"name": "Journaled"})
    assert created.status_code == 200
    journal = _journal(admin)
    assert journal["total"] == 2
    assert len(journal["requests"]) == 2
    first, second = journal["requests"]
    assert (first["method"], first["path"], first["status"]) == ("GET", "/api/v1/clients/1", 200)
    assert (second["method"], second["path"], second["status"]) == ("POST", "/api/v1/clients", 200)
    assert second["account_key"] == account_key
    assert "Journaled" in second["body"]
    assert '"name": "Journaled"' in second["response_body"]


def test_journal_records_failed_auth_without_account(anonymous: httpx.Client, admin: httpx.Client) -> None:
    response = anonymous.get("/clients")
    assert response.status_code == 403
    journal = _journal(admin)
    assert journal["total"] == 1
    entry = journal["requests"][0]
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/api/v1/clients", 403)
    assert entry["account_key"] is None


def test_journal_never_records_admin_calls(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/ping").status_code == 200
    assert admin.get("/health").status_code == 200
    _journal(admin)
    journal = _journal(admin)
    assert journal["total"] == 1
    assert [e["path"] for e in journal["requests"]] == ["/api/v1/ping"]


def test_journal_delete_empties_it(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/clients").status_code == 200
    assert _journal(admin)["total"] == 1
    response = admin.delete("/requests")
    assert response.status_code == 200
    assert response.json() == {"cleared": True}
    journal = _journal(admin)
    assert journal["total"] == 0
    assert journal["requests"] == []


def test_journal_filters_by_method_and_status(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.get("/clients").status_code == 200
    assert api.post("/clients", json={"name": "Kept"}).status_code == 200
    assert api.post("/contacts", json={}, headers={"X-Requested-With": "XMLHttpRequest"}).status_code == 422
    journal = _journal(admin, method="POST", status=200)
    assert journal["total"] == 1
    entry = journal["requests"][0]
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/api/v1/clients", 200)
    assert _journal(admin, method="POST")["total"] == 2
    assert _journal(admin, status=422)["requests"][0]["path"] == "/api/v1/contacts"


def test_journal_bad_status_filter_gives_400(admin: httpx.Client) -> None:
    response = admin.get("/requests", params={"status": "abc"})
    assert response.status_code == 400
    assert response.json() == {"error": "status must be an integer"}


# --- reset ------------------------------------------------------------------------------------------------


def test_reset_removes_created_client_and_empties_journal(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.post("/clients", json={"name": "Temporary"}).status_code == 200
    assert api.get("/clients").json()["meta"]["pagination"]["total"] == 13
    response = admin.post("/reset")
    assert response.status_code == 200
    assert response.json()["reset"] is True
    assert _journal(admin)["total"] == 0
    clients = _list(api, "/clients")
    assert len(clients) == 12
    assert "Temporary" not in {c["name"] for c in clients}


@pytest.fixture
def restore_seed(admin: httpx.Client) -> Iterator[None]:
    """Put the demo dataset and seed 1 back whatever happens: a reset keeps the last ones for later resets."""
    yield
    admin.post("/reset", json={"fixtures": "demo", "seed": 1}).raise_for_status()


@pytest.mark.usefixtures("restore_seed")
def test_reset_with_other_seed_changes_names_and_seed_1_brings_them_back(
    api: httpx.Client, admin: httpx.Client
) -> None:
    original = [c["name"] for c in _list(api, "/clients")]
    response = admin.post("/reset", json={"seed": 2})
    assert response.status_code == 200
    assert response.json()["reset"] is True
    assert response.json()["seed"] == 2
    reseeded = [c["name"] for c in _list(api, "/clients")]
    assert len(reseeded) == 12
    assert reseeded != original
    back = admin.post("/reset", json={"seed": 1})
    assert back.status_code == 200
    assert back.json()["seed"] == 1
    assert [c["name"] for c in _list(api, "/clients")] == original


@pytest.mark.usefixtures("restore_seed")
def test_reset_with_unknown_fixtures_gives_400(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.post("/clients", json={"name": "Survivor"}).status_code == 200
    response = admin.post("/reset", json={"fixtures": "nope"})
    assert response.status_code == 400
    assert isinstance(response.json()["error"], str)
    assert "nope" in response.json()["error"]
    assert api.get("/clients").json()["meta"]["pagination"]["total"] == 13


@pytest.mark.usefixtures("restore_seed")
def test_reset_after_failed_reset_still_uses_previous_dataset(api: httpx.Client, admin: httpx.Client) -> None:
    assert admin.post("/reset", json={"fixtures": "nope"}).status_code == 400
    response = admin.post("/reset")
    assert response.status_code == 200
    assert response.json() == {"reset": True, "fixtures": "demo", "seed": 1}
    assert api.get("/clients").json()["meta"]["pagination"]["total"] == 12


def test_reset_with_non_object_body_gives_400(admin: httpx.Client) -> None:
    response = admin.post("/reset", content=b"[1]", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": "the body must be a JSON object"}


def test_invalid_token_answers_after_the_error_delay() -> None:
    settings = Settings(port=0, data=":memory:", error_delay=0.3)
    with SandboxServer(settings) as slow:
        started = time.perf_counter()
        response = httpx.get(slow.url_for("/api/v1/clients"), headers={"X-Ninja-Token": "wrong"})
        elapsed = time.perf_counter() - started
        ok = httpx.get(slow.url_for("/api/v1/clients"), headers={"X-Ninja-Token": "TOKEN"})
    assert response.status_code == 403
    assert response.json() == {"error": {"message": "Invalid token"}}
    assert elapsed >= 0.3
    assert ok.status_code == 200
