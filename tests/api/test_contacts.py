"""Contacts: list, show, create, update, actions (v4-api-behaviour.md §4.0, §4.2, §5, Appendix A)."""

from __future__ import annotations

import re

import httpx
from helpers.reference import entity_fields, wrong_types

CONTACT_FIELDS = entity_fields("contact")

XHR = {"X-Requested-With": "XMLHttpRequest"}
NOT_FOUND = {"message": "record does not exist"}
INVALID = "The given data was invalid."
KEY_PATTERN = re.compile(r"^[a-z0-9]{32}$")
CONTACT_1 = {"first_name": "Andrej", "last_name": "Seip", "email": "andrej.seip@roskothev.example"}
CONTACT_2 = {"first_name": "Birgitt", "last_name": "Heintze", "email": "birgitt.heintze@roskothev.example"}
NEW_CONTACT = {"first_name": "Jane", "last_name": "Doe", "email": "jane@example.com", "client_id": 1}


def shown_keys() -> list[str]:
    return [name for name, _ in CONTACT_FIELDS if name != "user_id"]


# --- GET -----------------------------------------------------------------------------------------------


def test_list_contacts_returns_all_account_contacts(api: httpx.Client) -> None:
    response = api.get("/contacts", params={"per_page": 50})
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["pagination"]["total"] == 21
    assert sorted(c["id"] for c in body["data"]) == list(range(1, 22))
    for contact in body["data"]:
        assert list(contact) == shown_keys()


def test_list_contacts_default_page_has_15(api: httpx.Client) -> None:
    response = api.get("/contacts")
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 15
    assert body["meta"]["pagination"]["total"] == 21
    assert body["meta"]["pagination"]["total_pages"] == 2


def test_list_contacts_newest_created_first(api: httpx.Client) -> None:
    created = api.post("/contacts", json=NEW_CONTACT)
    assert created.status_code == 200
    response = api.get("/contacts")
    assert response.status_code == 200
    first = response.json()["data"][0]
    assert first["id"] == 22
    assert first["first_name"] == "Jane"


def test_list_contacts_includes_archived(api: httpx.Client) -> None:
    archived = api.put("/contacts/2", params={"action": "archive"}, json=CONTACT_2)
    assert archived.status_code == 200
    response = api.get("/contacts", params={"per_page": 50})
    assert response.status_code == 200
    by_id = {c["id"]: c for c in response.json()["data"]}
    assert len(by_id) == 21
    assert isinstance(by_id[2]["archived_at"], int)
    assert by_id[1]["archived_at"] is None


def test_list_contacts_other_account_sees_only_its_own(other_api: httpx.Client) -> None:
    response = other_api.get("/contacts", params={"per_page": 50})
    assert response.status_code == 200
    body = response.json()
    ids = sorted(c["id"] for c in body["data"])
    assert ids == list(range(1, len(ids) + 1))
    assert body["meta"]["pagination"]["total"] == len(ids)
    assert all("roskothev" not in c["email"] for c in body["data"])


def test_get_contact_fields_in_reference_order(api: httpx.Client) -> None:
    response = api.get("/contacts/1")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["data"]
    data = body["data"]
    assert list(data) == shown_keys()
    assert "client_id" not in data
    assert "is_deleted" not in data
    assert wrong_types(data, CONTACT_FIELDS) == {}
    assert {k: data[k] for k in CONTACT_1} == CONTACT_1
    assert data["is_primary"] is True
    assert KEY_PATTERN.match(data["contact_key"])
    assert isinstance(data["updated_at"], int)


def test_get_contact_unknown_id_returns_404(api: httpx.Client) -> None:
    response = api.get("/contacts/999")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- POST /contacts ------------------------------------------------------------------------------------


def test_create_contact_without_fields_returns_422_with_xhr(api: httpx.Client) -> None:
    response = api.post("/contacts", json={}, headers=XHR)
    assert response.status_code == 422
    assert response.json() == {
        "message": INVALID,
        "errors": {
            "first_name": ["The first name field is required."],
            "last_name": ["The last name field is required."],
            "email": ["The email field is required."],
            "client_id": ["The client id field is required."],
        },
    }


def test_create_contact_missing_client_id_returns_422(api: httpx.Client) -> None:
    body = {k: v for k, v in NEW_CONTACT.items() if k != "client_id"}
    response = api.post("/contacts", json=body, headers=XHR)
    assert response.status_code == 422
    assert response.json() == {
        "message": INVALID,
        "errors": {"client_id": ["The client id field is required."]},
    }


def test_create_contact_for_client_with_contacts_is_not_primary(api: httpx.Client) -> None:
    response = api.post("/contacts", json=NEW_CONTACT)
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == [name for name, _ in CONTACT_FIELDS]
    assert data["user_id"] == 1
    assert data["id"] == 22
    assert {k: data[k] for k in ("first_name", "last_name", "email")} == {
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane@example.com",
    }
    assert data["is_primary"] is False
    assert data["archived_at"] is None
    assert wrong_types(data, CONTACT_FIELDS) == {}
    client = api.get("/clients/1").json()["data"]
    assert [c["id"] for c in client["contacts"]] == [1, 2, 22]
    assert client["display_name"] == "Roskoth e.V."


def test_create_contact_generates_contact_key(api: httpx.Client) -> None:
    response = api.post("/contacts", json=NEW_CONTACT)
    assert response.status_code == 200
    assert KEY_PATTERN.match(response.json()["data"]["contact_key"])


def test_create_contact_unknown_client_returns_404(api: httpx.Client) -> None:
    response = api.post("/contacts", json={**NEW_CONTACT, "client_id": 999})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    listed = api.get("/contacts")
    assert listed.json()["meta"]["pagination"]["total"] == 21


def test_create_contact_with_public_id_updates_existing(api: httpx.Client) -> None:
    body = {
        "public_id": 2,
        "first_name": "Bea",
        "last_name": "Heintze",
        "email": "bea@example.com",
        "client_id": 1,
    }
    response = api.post("/contacts", json=body)
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 2
    assert (data["first_name"], data["email"]) == ("Bea", "bea@example.com")
    listed = api.get("/contacts")
    assert listed.json()["meta"]["pagination"]["total"] == 21
    assert api.get("/contacts/2").json()["data"]["first_name"] == "Bea"


# --- PUT /contacts/{id} --------------------------------------------------------------------------------


def test_update_contact_changes_fields(api: httpx.Client) -> None:
    body = {"first_name": "Andy", "last_name": "Seip", "email": "andy@example.com", "phone": "123"}
    response = api.put("/contacts/1", json=body)
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 1
    assert {k: data[k] for k in body} == body
    assert data["is_primary"] is True
    assert list(data) == shown_keys()
    fetched = api.get("/contacts/1").json()["data"]
    assert {k: fetched[k] for k in body} == body


def test_update_contact_without_required_fields_returns_422(api: httpx.Client) -> None:
    response = api.put("/contacts/1", json={"phone": "123"}, headers=XHR)
    assert response.status_code == 422
    assert response.json() == {
        "message": INVALID,
        "errors": {
            "first_name": ["The first name field is required."],
            "last_name": ["The last name field is required."],
            "email": ["The email field is required."],
        },
    }
    assert api.get("/contacts/1").json()["data"]["phone"] == "00636 08377"


def test_update_contact_unknown_id_returns_404(api: httpx.Client) -> None:
    response = api.put("/contacts/999", json=CONTACT_1)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_archive_contact_with_required_fields(api: httpx.Client) -> None:
    response = api.put("/contacts/2", params={"action": "archive"}, json=CONTACT_2)
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 2
    assert isinstance(data["archived_at"], int)
    assert "is_deleted" not in data
    assert isinstance(api.get("/contacts/2").json()["data"]["archived_at"], int)
    client = api.get("/clients/1").json()["data"]
    assert [c["id"] for c in client["contacts"]] == [1]


def test_archive_contact_without_required_fields_returns_422(api: httpx.Client) -> None:
    response = api.put("/contacts/2", params={"action": "archive"}, json={}, headers=XHR)
    assert response.status_code == 422
    assert response.json()["message"] == INVALID
    assert set(response.json()["errors"]) == {"first_name", "last_name", "email"}
    assert api.get("/contacts/2").json()["data"]["archived_at"] is None


def test_restore_contact_clears_archived_at(api: httpx.Client) -> None:
    assert api.put("/contacts/2", params={"action": "archive"}, json=CONTACT_2).status_code == 200
    response = api.put("/contacts/2", params={"action": "restore"}, json=CONTACT_2)
    assert response.status_code == 200
    assert response.json()["data"]["archived_at"] is None
    client = api.get("/clients/1").json()["data"]
    assert [c["id"] for c in client["contacts"]] == [1, 2]


def test_archive_contact_with_action_in_body(api: httpx.Client) -> None:
    response = api.put("/contacts/2", json={**CONTACT_2, "action": "archive"})
    assert response.status_code == 200
    assert isinstance(response.json()["data"]["archived_at"], int)


# --- DELETE /contacts/{id} -----------------------------------------------------------------------------


def test_delete_contact_with_required_fields_archives_it(api: httpx.Client) -> None:
    response = api.request("DELETE", "/contacts/2", json=CONTACT_2)
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 2
    assert isinstance(data["archived_at"], int)
    assert "is_deleted" not in data
    fetched = api.get("/contacts/2")
    assert fetched.status_code == 200
    assert isinstance(fetched.json()["data"]["archived_at"], int)


def test_delete_contact_without_required_fields_returns_422(api: httpx.Client) -> None:
    response = api.delete("/contacts/2", headers=XHR)
    assert response.status_code == 422
    assert response.json() == {
        "message": INVALID,
        "errors": {
            "first_name": ["The first name field is required."],
            "last_name": ["The last name field is required."],
            "email": ["The email field is required."],
        },
    }
    assert api.get("/contacts/2").json()["data"]["archived_at"] is None
