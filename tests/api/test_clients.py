"""Clients: fields, create/update semantics and actions (v4-api-behaviour.md §4.0, §4.1, §5)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from helpers.reference import entity_fields, wrong_types

from sandbox import SandboxServer

CLIENT_FIELDS = entity_fields("client")

CONTACT_FIELDS = entity_fields("contact")

KEY_PATTERN = re.compile(r"^[a-z0-9]{32}$")
NOT_FOUND = {"message": "record does not exist"}


def keys_without_user_id(fields: tuple[tuple[str, str], ...]) -> list[str]:
    return [name for name, _ in fields if name != "user_id"]


def put(api: httpx.Client, path: str, body: dict[str, Any], **params: str) -> httpx.Response:
    return api.put(path, json=body, params=params)


# --- GET /clients/{id}: shape and types ---------------------------------------------------------------


def test_get_client_fields_in_reference_order_without_user_id(api: httpx.Client) -> None:
    response = api.get("/clients/1")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["data"]
    assert list(body["data"]) == [*keys_without_user_id(CLIENT_FIELDS), "contacts"]


def test_get_client_field_types_match_reference(api: httpx.Client) -> None:
    response = api.get("/clients/1")
    assert response.status_code == 200
    data = response.json()["data"]
    assert wrong_types(data, CLIENT_FIELDS) == {}
    assert data["custom_messages"] == "{}"
    assert KEY_PATTERN.match(data["account_key"])
    assert isinstance(data["updated_at"], int)
    assert data["archived_at"] is None


def test_get_client_contacts_have_contact_fields_in_reference_order(api: httpx.Client) -> None:
    response = api.get("/clients/1")
    assert response.status_code == 200
    contacts = response.json()["data"]["contacts"]
    assert [c["id"] for c in contacts] == [1, 2]
    for contact in contacts:
        assert list(contact) == keys_without_user_id(CONTACT_FIELDS)
        assert wrong_types(contact, CONTACT_FIELDS) == {}


def test_get_client_with_trailing_garbage_in_id_finds_client(api: httpx.Client) -> None:
    response = api.get("/clients/1abc")
    assert response.status_code == 200
    assert response.json()["data"]["id"] == 1


def test_get_client_with_non_numeric_id_returns_404(api: httpx.Client) -> None:
    response = api.get("/clients/abc")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- POST /clients -------------------------------------------------------------------------------------


def test_create_client_returns_all_fields_with_user_id(api: httpx.Client) -> None:
    response = api.post("/clients", json={"name": "Acme"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == [*(name for name, _ in CLIENT_FIELDS), "contacts"]
    assert data["user_id"] == 1
    assert wrong_types(data, CLIENT_FIELDS) == {}
    assert data["custom_messages"] == "{}"


def test_create_client_empty_body_creates_nameless_client_with_blank_contact(api: httpx.Client) -> None:
    response = api.post("/clients", json={})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 13
    assert data["name"] == ""
    assert data["display_name"] == ""
    assert data["balance"] == 0
    assert data["is_deleted"] is False
    assert len(data["contacts"]) == 1
    contact = data["contacts"][0]
    assert contact["id"] == 22
    assert (contact["first_name"], contact["last_name"], contact["email"]) == ("", "", "")
    assert contact["is_primary"] is True
    assert contact["send_invoice"] is True
    assert KEY_PATTERN.match(contact["contact_key"])
    listed = api.get("/clients/13")
    assert listed.status_code == 200
    assert listed.json()["data"]["contacts"][0]["id"] == 22


def test_create_client_display_name_falls_back_to_contact_full_name(api: httpx.Client) -> None:
    response = api.post("/clients", json={"contact": {"first_name": "Jane", "last_name": "Doe"}})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == ""
    assert data["display_name"] == "Jane Doe"


def test_create_client_display_name_falls_back_to_contact_email(api: httpx.Client) -> None:
    response = api.post("/clients", json={"contact": {"email": "jane@example.com"}})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == ""
    assert data["display_name"] == "jane@example.com"


def test_create_client_display_name_prefers_name(api: httpx.Client) -> None:
    body = {"name": "Acme", "contact": {"first_name": "Jane", "last_name": "Doe", "email": "j@example.com"}}
    response = api.post("/clients", json=body)
    assert response.status_code == 200
    assert response.json()["data"]["display_name"] == "Acme"


def test_create_client_with_contact_object_stores_contact(api: httpx.Client) -> None:
    contact = {
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane@example.com",
        "phone": "555-1234",
        "custom_value1": "a",
        "custom_value2": "b",
    }
    response = api.post("/clients", json={"name": "Acme", "contact": contact})
    assert response.status_code == 200
    contacts = response.json()["data"]["contacts"]
    assert len(contacts) == 1
    assert {k: contacts[0][k] for k in contact} == contact
    assert contacts[0]["is_primary"] is True
    assert contacts[0]["send_invoice"] is True


def test_create_client_with_contacts_list_makes_first_primary(api: httpx.Client) -> None:
    body = {
        "name": "Acme",
        "contacts": [
            {"first_name": "First", "email": "first@example.com"},
            {"first_name": "Second", "email": "second@example.com", "is_primary": True},
        ],
    }
    response = api.post("/clients", json=body)
    assert response.status_code == 200
    contacts = response.json()["data"]["contacts"]
    assert [(c["id"], c["first_name"], c["is_primary"]) for c in contacts] == [
        (22, "First", True),
        (23, "Second", False),
    ]


def test_create_client_when_every_contact_has_is_primary_sorts_primary_first(api: httpx.Client) -> None:
    body = {
        "contacts": [
            {"first_name": "Ann", "last_name": "Other", "is_primary": False},
            {"first_name": "Bob", "last_name": "Boss", "is_primary": True},
        ],
    }
    response = api.post("/clients", json=body)
    assert response.status_code == 200
    data = response.json()["data"]
    assert [(c["first_name"], c["is_primary"]) for c in data["contacts"]] == [("Bob", True), ("Ann", False)]
    assert data["display_name"] == "Bob Boss"


def test_create_client_trims_contact_email(api: httpx.Client) -> None:
    response = api.post("/clients", json={"contact": {"email": "  jane@example.com  "}})
    assert response.status_code == 200
    assert response.json()["data"]["contacts"][0]["email"] == "jane@example.com"


def test_create_client_contact_send_invoice_defaults_to_true(api: httpx.Client) -> None:
    response = api.post("/clients", json={"contacts": [{"first_name": "A"}, {"first_name": "B"}]})
    assert response.status_code == 200
    assert [c["send_invoice"] for c in response.json()["data"]["contacts"]] == [True, True]


def test_create_client_contact_key_is_32_lowercase_alphanumerics(api: httpx.Client) -> None:
    response = api.post("/clients", json={"contacts": [{"first_name": "A"}, {"first_name": "B"}]})
    assert response.status_code == 200
    keys = [c["contact_key"] for c in response.json()["data"]["contacts"]]
    assert all(KEY_PATTERN.match(key) for key in keys), keys
    assert keys[0] != keys[1]


def test_create_client_updated_at_is_int_timestamp(api: httpx.Client) -> None:
    response = api.post("/clients", json={"name": "Acme"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert isinstance(data["updated_at"], int)
    assert not isinstance(data["updated_at"], bool)
    assert data["updated_at"] > 1_500_000_000
    assert isinstance(data["contacts"][0]["updated_at"], int)


def test_create_client_with_id_creates_new_client(api: httpx.Client) -> None:
    response = api.post("/clients", json={"id": 5, "name": "New Co"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 13
    assert data["name"] == "New Co"
    existing = api.get("/clients/5")
    assert existing.status_code == 200
    assert existing.json()["data"]["name"] == "Carroll Inc"


def test_create_client_with_public_id_updates_that_client(api: httpx.Client) -> None:
    response = api.post("/clients", json={"public_id": 5, "name": "Renamed"})
    assert response.status_code == 200
    assert response.json()["data"]["id"] == 5
    assert response.json()["data"]["name"] == "Renamed"
    listed = api.get("/clients")
    assert listed.status_code == 200
    assert listed.json()["meta"]["pagination"]["total"] == 12
    assert api.get("/clients/5").json()["data"]["name"] == "Renamed"


def test_create_client_with_unknown_public_id_returns_404(api: httpx.Client) -> None:
    response = api.post("/clients", json={"public_id": 999, "name": "Ghost"})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    listed = api.get("/clients")
    assert listed.json()["meta"]["pagination"]["total"] == 12


def test_create_client_currency_code_sets_currency_id(api: httpx.Client) -> None:
    response = api.post("/clients", json={"name": "Acme", "currency_code": "eur"})
    assert response.status_code == 200
    assert response.json()["data"]["currency_id"] == 3


@pytest.mark.parametrize("code", ["DE", "DEU"])
def test_create_client_country_code_sets_country_id(api: httpx.Client, code: str) -> None:
    response = api.post("/clients", json={"name": "Acme", "country_code": code})
    assert response.status_code == 200
    assert response.json()["data"]["country_id"] == 276


def test_create_client_shipping_country_code_sets_shipping_country_id(api: httpx.Client) -> None:
    response = api.post("/clients", json={"name": "Acme", "shipping_country_code": "US"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["shipping_country_id"] == 840
    assert data["country_id"] == 0


def test_create_client_without_payment_terms_uses_account_default(api: httpx.Client) -> None:
    response = api.post("/clients", json={"name": "Acme"})
    assert response.status_code == 200
    assert response.json()["data"]["payment_terms"] == 0


def test_create_client_ignores_balance_and_paid_to_date(api: httpx.Client) -> None:
    response = api.post("/clients", json={"name": "Acme", "balance": 50, "paid_to_date": 20})
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["balance"], data["paid_to_date"]) == (0, 0)


def test_create_client_string_numbers_are_stored_as_ints(api: httpx.Client) -> None:
    response = api.post("/clients", json={"name": "Acme", "country_id": "840", "payment_terms": "30"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["country_id"] == 840
    assert isinstance(data["country_id"], int)
    assert data["payment_terms"] == 30
    assert isinstance(data["payment_terms"], int)
    fetched = api.get(f"/clients/{data['id']}").json()["data"]
    assert (fetched["country_id"], fetched["payment_terms"]) == (840, 30)


@pytest.mark.parametrize(
    ("value", "stored"),
    [("true", False), ("1", True), (True, True), (False, False)],
)
def test_create_client_send_reminders_casts_like_mysql(
    api: httpx.Client, value: object, stored: bool
) -> None:
    response = api.post("/clients", json={"name": "Acme", "send_reminders": value})
    assert response.status_code == 200
    assert response.json()["data"]["send_reminders"] is stored


# --- PUT / PATCH /clients/{id} -------------------------------------------------------------------------


def test_update_client_docs_example_keeps_named_contact_and_archives_others(api: httpx.Client) -> None:
    response = put(api, "/clients/1", {"name": "test", "contacts": [{"id": 1, "first_name": "test"}]})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 1
    assert data["name"] == "test"
    assert "user_id" not in data
    assert len(data["contacts"]) == 1
    contact = data["contacts"][0]
    assert contact["id"] == 1
    assert contact["first_name"] == "test"
    assert contact["email"] == "andrej.seip@roskothev.example"
    assert contact["is_primary"] is True
    fetched = api.get("/clients/1")
    assert [c["id"] for c in fetched.json()["data"]["contacts"]] == [1]
    archived = api.get("/contacts/2")
    assert archived.status_code == 200
    assert isinstance(archived.json()["data"]["archived_at"], int)
    assert archived.json()["data"]["first_name"] == "Birgitt"


def test_update_client_without_contacts_replaces_them_with_one_blank_contact(api: httpx.Client) -> None:
    response = put(api, "/clients/1", {"name": "Renamed"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == "Renamed"
    assert len(data["contacts"]) == 1
    contact = data["contacts"][0]
    assert contact["id"] == 22
    assert (contact["first_name"], contact["last_name"], contact["email"]) == ("", "", "")
    assert contact["is_primary"] is True
    for old in (1, 2):
        fetched = api.get(f"/contacts/{old}")
        assert fetched.status_code == 200
        assert fetched.json()["data"]["archived_at"] is not None


def test_update_client_with_other_clients_contact_returns_404_after_saving_client(api: httpx.Client) -> None:
    response = put(api, "/clients/1", {"name": "Half Saved", "contacts": [{"id": 3, "first_name": "X"}]})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    fetched = api.get("/clients/1")
    assert fetched.status_code == 200
    assert fetched.json()["data"]["name"] == "Half Saved"
    other = api.get("/contacts/3")
    assert other.json()["data"]["first_name"] == "Michael"


def test_update_client_without_payment_terms_resets_them_to_account_default(api: httpx.Client) -> None:
    first = put(api, "/clients/1", {"name": "Roskoth", "payment_terms": 30, "contacts": [{"id": 1}]})
    assert first.status_code == 200
    assert first.json()["data"]["payment_terms"] == 30
    second = put(api, "/clients/1", {"name": "Roskoth", "contacts": [{"id": 1}]})
    assert second.status_code == 200
    assert second.json()["data"]["payment_terms"] == 0
    assert api.get("/clients/1").json()["data"]["payment_terms"] == 0


def test_update_client_ignores_balance(api: httpx.Client) -> None:
    before = api.get("/clients/1").json()["data"]
    response = put(api, "/clients/1", {"name": "Roskoth", "balance": 50, "paid_to_date": 20})
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["balance"], data["paid_to_date"]) == (before["balance"], before["paid_to_date"])


def test_update_client_trims_contact_email(api: httpx.Client) -> None:
    response = put(api, "/clients/1", {"contacts": [{"id": 1, "email": "  new@example.com "}]})
    assert response.status_code == 200
    assert response.json()["data"]["contacts"][0]["email"] == "new@example.com"


def test_update_client_advances_updated_at(api: httpx.Client) -> None:
    before = api.get("/clients/1").json()["data"]["updated_at"]
    response = put(api, "/clients/1", {"name": "Later", "contacts": [{"id": 1}, {"id": 2}]})
    assert response.status_code == 200
    after = response.json()["data"]["updated_at"]
    assert isinstance(after, int)
    assert after >= before


def test_update_deleted_client_returns_it_unchanged(api: httpx.Client) -> None:
    deleted = api.delete("/clients/1")
    assert deleted.status_code == 200
    response = put(api, "/clients/1", {"name": "Resurrected", "contacts": [{"first_name": "New"}]})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == "Roskoth e.V."
    assert data["is_deleted"] is True
    fetched = api.get("/clients/1").json()["data"]
    assert fetched["name"] == "Roskoth e.V."
    assert fetched["is_deleted"] is True


def test_patch_client_behaves_like_put(api: httpx.Client) -> None:
    response = api.patch("/clients/1", json={"name": "Patched"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == "Patched"
    assert data["payment_terms"] == 0
    assert [(c["id"], c["email"]) for c in data["contacts"]] == [(22, "")]


def test_patch_client_with_docs_example_keeps_named_contact(api: httpx.Client) -> None:
    response = api.patch("/clients/1", json={"name": "test", "contacts": [{"id": 1, "first_name": "test"}]})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == "test"
    assert [(c["id"], c["first_name"]) for c in data["contacts"]] == [(1, "test")]


# --- actions and DELETE (§5) ---------------------------------------------------------------------------


def test_archive_client_sets_archived_at(api: httpx.Client) -> None:
    response = put(api, "/clients/1", {}, action="archive")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 1
    assert isinstance(data["archived_at"], int)
    assert data["is_deleted"] is False
    assert data["name"] == "Roskoth e.V."
    fetched = api.get("/clients/1").json()["data"]
    assert fetched["archived_at"] == data["archived_at"]


def test_archive_client_already_archived_is_no_op(api: httpx.Client, server: SandboxServer) -> None:
    first = put(api, "/clients/1", {}, action="archive")
    assert first.status_code == 200
    archived_at = first.json()["data"]["archived_at"]
    assert httpx.post(server.url_for("/__admin/clock"), json={"advance": 120}).status_code == 200
    second = put(api, "/clients/1", {}, action="archive")
    assert second.status_code == 200
    assert second.json()["data"]["archived_at"] == archived_at
    assert second.json()["data"]["is_deleted"] is False


def test_delete_action_client_sets_is_deleted_and_archived_at(api: httpx.Client) -> None:
    response = put(api, "/clients/1", {}, action="delete")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["is_deleted"] is True
    assert isinstance(data["archived_at"], int)


def test_restore_client_after_delete_clears_both(api: httpx.Client) -> None:
    assert put(api, "/clients/1", {}, action="delete").status_code == 200
    response = put(api, "/clients/1", {}, action="restore")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["archived_at"] is None
    assert data["is_deleted"] is False


def test_restore_client_after_archive_clears_archived_at(api: httpx.Client) -> None:
    assert put(api, "/clients/1", {}, action="archive").status_code == 200
    response = put(api, "/clients/1", {}, action="restore")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["archived_at"] is None
    assert data["is_deleted"] is False
    assert api.get("/clients/1").json()["data"]["archived_at"] is None


def test_archive_client_with_action_in_body(api: httpx.Client) -> None:
    response = put(api, "/clients/1", {"action": "archive"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert isinstance(data["archived_at"], int)
    assert data["is_deleted"] is False
    assert [c["id"] for c in data["contacts"]] == [1, 2]


def test_archive_client_action_does_not_touch_fields_or_contacts(api: httpx.Client) -> None:
    response = put(api, "/clients/1", {"name": "Ignored"}, action="archive")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == "Roskoth e.V."
    assert data["payment_terms"] == 14
    assert [c["id"] for c in data["contacts"]] == [1, 2]


def test_delete_client_returns_it_deleted(api: httpx.Client) -> None:
    response = api.delete("/clients/1")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 1
    assert data["is_deleted"] is True
    assert isinstance(data["archived_at"], int)
    fetched = api.get("/clients/1")
    assert fetched.status_code == 200
    assert fetched.json()["data"]["is_deleted"] is True


def test_delete_client_unknown_id_returns_404(api: httpx.Client) -> None:
    response = api.delete("/clients/999")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_update_client_unsupported_action_returns_400(api: httpx.Client) -> None:
    response = put(api, "/clients/1", {}, action="mark_paid")
    assert response.status_code == 400
    assert response.json() == {"error": "Action [mark_paid] is not supported"}


def test_show_client_include_invoices_invitations_adds_the_invoices_list(api: httpx.Client) -> None:
    # The docs' example: the invoices come after the contacts, each with its invitations.
    response = api.get("/clients/1", params={"include": "invoices.invitations"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data)[-2:] == ["contacts", "invoices"]
    assert data["invoices"]
    assert all(list(invoice)[-2:] == ["invoice_items", "invitations"] for invoice in data["invoices"])


def test_show_client_unknown_include_is_ignored(api: httpx.Client) -> None:
    response = api.get("/clients/1", params={"include": "expenses,nonsense"})
    assert response.status_code == 200
    assert list(response.json()["data"])[-1] == "contacts"
