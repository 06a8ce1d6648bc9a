"""Vendors and their contacts (v4-api-behaviour.md §3, §4.10, §5, §7; Appendix A)."""

from __future__ import annotations

from typing import Any

import httpx
from helpers.receiver import webhook_receiver
from helpers.reference import entity_fields, wrong_types

VENDOR_FIELDS = entity_fields("vendor")
VENDOR_CONTACT_FIELDS = entity_fields("vendor_contact")
NOT_FOUND = {"message": "record does not exist"}
JSON = {"Accept": "application/json"}
NAME_REQUIRED = {
    "message": "The given data was invalid.",
    "errors": {"name": ["The name field is required."]},
}


def names(fields: tuple[tuple[str, str], ...], *, user_id: bool = False) -> list[str]:
    return [name for name, _ in fields if user_id or name != "user_id"]


def create(api: httpx.Client, **body: Any) -> dict[str, Any]:
    response = api.post("/vendors", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def contact_names(vendor: dict[str, Any]) -> list[tuple[str, bool]]:
    return [(c["first_name"], c["is_primary"]) for c in vendor["vendor_contacts"]]


# --- listing and showing ---------------------------------------------------------------------------


def test_list_shows_seeded_vendors_with_contacts_in_reference_shape(api: httpx.Client) -> None:
    response = api.get("/vendors")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["pagination"]["total"] >= 4
    stamps = [row["updated_at"] for row in body["data"]]
    assert stamps == sorted(stamps, reverse=True)
    for vendor in body["data"]:
        assert list(vendor) == [*names(VENDOR_FIELDS), "vendor_contacts"]
        assert wrong_types(vendor, VENDOR_FIELDS) == {}
        assert (vendor["balance"], vendor["paid_to_date"], vendor["last_login"]) == (0, 0, "")
        assert vendor["vendor_contacts"], vendor
        assert vendor["vendor_contacts"][0]["is_primary"] is True
        for contact in vendor["vendor_contacts"]:
            assert list(contact) == names(VENDOR_CONTACT_FIELDS)
            assert wrong_types(contact, VENDOR_CONTACT_FIELDS) == {}


def test_show_vendor_and_the_three_not_found_answers(api: httpx.Client) -> None:
    shown = api.get("/vendors/1")
    assert shown.status_code == 200
    assert shown.json()["data"]["id"] == 1
    assert "user_id" not in shown.json()["data"]
    missing = api.get("/vendors/999")
    assert missing.status_code == 404
    assert missing.json() == NOT_FOUND
    empty = api.get("/vendors/0")
    assert empty.status_code == 404
    assert empty.json() == {"error": "Record not found"}


def test_unknown_includes_and_client_id_are_ignored(api: httpx.Client) -> None:
    plain = api.get("/vendors").json()
    response = api.get("/vendors", params={"include": "invoices", "client_id": 1})
    assert response.status_code == 200
    assert response.json() == plain
    assert "invoices" not in api.get("/vendors/1", params={"include": "invoices"}).json()["data"]


def test_json_api_shows_vendor_contacts_as_contacts(api: httpx.Client) -> None:
    response = api.get("/vendors/1", params={"serializer": "json"})
    assert response.status_code == 200
    body = response.json()["data"]
    assert body["data"]["type"] == "vendor"
    assert body["data"]["relationships"]["vendor_contacts"]["data"][0]["type"] == "contact"
    assert {item["type"] for item in body["included"]} == {"contact"}


def test_other_account_never_sees_these_vendors(api: httpx.Client, other_api: httpx.Client) -> None:
    vendor = create(api, name="Only Mine GmbH")
    theirs = other_api.get("/vendors", params={"per_page": -1})
    assert theirs.status_code == 200
    assert "Only Mine GmbH" not in {row["name"] for row in theirs.json()["data"]}
    mine = {row["account_key"] for row in api.get("/vendors").json()["data"]}
    assert mine.isdisjoint({row["account_key"] for row in theirs.json()["data"]})
    same_id = other_api.get(f"/vendors/{vendor['id']}")
    assert same_id.status_code in (200, 404)
    assert same_id.json().get("data", {}).get("name") != "Only Mine GmbH"


# --- create --------------------------------------------------------------------------------------------


def test_create_requires_a_name_in_every_error_shape(api: httpx.Client) -> None:
    json_error = api.post("/vendors", json={"city": "Nowhere"}, headers=JSON)
    assert json_error.status_code == 422
    assert json_error.json() == NAME_REQUIRED
    secret = api.post("/vendors", json={"name": " ", "api_secret": "x"})
    assert secret.status_code == 400
    assert secret.json() == {"error": {"message": "The name field is required."}}
    redirect = api.post("/vendors", json={})
    assert redirect.status_code == 302
    assert "Redirecting to" in redirect.text
    assert api.get("/vendors").json()["meta"]["pagination"]["total"] == 5


def test_create_vendor_with_contacts_first_is_primary_no_user_id(api: httpx.Client) -> None:
    vendor = create(
        api,
        name="Paper Co",
        city="Springfield",
        country_id="840",
        private_notes="net 30",
        balance=99,
        vendor_contacts=[
            {"first_name": "Ann", "email": "ann@paper.example", "phone": "555"},
            {"first_name": "Bob", "last_name": "Stone"},
        ],
    )
    assert list(vendor) == [*names(VENDOR_FIELDS), "vendor_contacts"]
    assert (vendor["name"], vendor["city"], vendor["country_id"]) == ("Paper Co", "Springfield", 840)
    assert (vendor["private_notes"], vendor["balance"], vendor["is_deleted"]) == ("net 30", 0, False)
    assert contact_names(vendor) == [("Ann", True), ("Bob", False)]
    assert vendor["vendor_contacts"][0]["email"] == "ann@paper.example"
    assert vendor["vendor_contacts"][0]["phone"] == "555"
    assert api.get(f"/vendors/{vendor['id']}").json()["data"] == vendor


def test_create_contact_keys_single_empty_and_missing(api: httpx.Client) -> None:
    single = create(api, name="One", vendor_contact={"first_name": "Solo"})
    assert contact_names(single) == [("Solo", True)]
    none = create(api, name="None", vendor_contacts=[])
    assert none["vendor_contacts"] == []
    blank = create(api, name="Blank")
    assert len(blank["vendor_contacts"]) == 1
    assert blank["vendor_contacts"][0]["first_name"] == ""
    assert blank["vendor_contacts"][0]["is_primary"] is True


def test_is_primary_on_every_contact_moves_the_primary_first(api: httpx.Client) -> None:
    vendor = create(
        api,
        name="Order",
        vendor_contacts=[{"first_name": "B", "is_primary": False}, {"first_name": "A", "is_primary": True}],
    )
    assert contact_names(vendor) == [("A", True), ("B", False)]


def test_create_ignores_contact_ids_and_post_with_public_id_updates(api: httpx.Client) -> None:
    vendor = create(api, name="First", vendor_contacts=[{"id": 1, "first_name": "New"}])
    assert vendor["vendor_contacts"][0]["id"] > 5
    updated = api.post("/vendors", json={"name": "Renamed", "public_id": vendor["id"]})
    assert updated.status_code == 200
    assert updated.json()["data"]["id"] == vendor["id"]
    assert updated.json()["data"]["name"] == "Renamed"
    negative = create(api, name="Negative means new", public_id=-1)
    assert negative["id"] == vendor["id"] + 1


def test_post_with_public_id_of_an_archived_vendor_is_not_found(api: httpx.Client) -> None:
    vendor = create(api, name="Shelved")
    assert api.delete(f"/vendors/{vendor['id']}").status_code == 200
    response = api.post("/vendors", json={"name": "Back", "public_id": vendor["id"]})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_a_field_no_column_can_hold_is_a_validation_error(api: httpx.Client) -> None:
    response = api.post("/vendors", json={"name": "X", "city": ["a"], "vendor_contacts": ["x"]}, headers=JSON)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "city": ["The city must be a string."],
        "vendor_contacts.0": ["The vendor_contacts.0 must be an array."],
    }


# --- update --------------------------------------------------------------------------------------------


def test_update_requires_a_name_after_the_lookup(api: httpx.Client) -> None:
    missing = api.put("/vendors/999", json={})
    assert missing.status_code == 404
    assert missing.json() == NOT_FOUND
    response = api.put("/vendors/1", json={"city": "X"}, headers=JSON)
    assert response.status_code == 422
    assert response.json() == NAME_REQUIRED
    archive = api.put("/vendors/1", params={"action": "archive"}, json={}, headers=JSON)
    assert archive.status_code == 422
    assert api.get("/vendors/1").json()["data"]["archived_at"] is None


def test_update_keeps_named_contacts_and_archives_the_rest(api: httpx.Client) -> None:
    vendor = create(api, name="Keep", vendor_contacts=[{"first_name": "A"}, {"first_name": "B"}])
    first, second = vendor["vendor_contacts"]
    response = api.put(
        f"/vendors/{vendor['id']}",
        json={
            "name": "Keep",
            "vendor_contacts": [{"id": second["id"], "first_name": "B2"}, {"first_name": "C"}],
        },
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert "user_id" not in data
    assert [(c["id"], c["first_name"], c["is_primary"]) for c in data["vendor_contacts"]] == [
        (second["id"], "B2", True),
        (second["id"] + 1, "C", False),
    ]
    assert first["id"] not in {
        c["id"] for c in api.get(f"/vendors/{vendor['id']}").json()["data"]["vendor_contacts"]
    }


def test_update_without_contact_keys_replaces_contacts_with_a_blank_one(api: httpx.Client) -> None:
    vendor = create(api, name="Replace", vendor_contacts=[{"first_name": "A"}])
    data = api.put(f"/vendors/{vendor['id']}", json={"name": "Replace", "city": "Oslo"}).json()["data"]
    assert data["city"] == "Oslo"
    assert [(c["first_name"], c["is_primary"]) for c in data["vendor_contacts"]] == [("", True)]
    assert data["vendor_contacts"][0]["id"] != vendor["vendor_contacts"][0]["id"]


def test_update_naming_another_vendors_contact_is_404_after_saving_the_vendor(api: httpx.Client) -> None:
    vendor = create(api, name="Before", vendor_contacts=[{"first_name": "A"}])
    response = api.put(
        f"/vendors/{vendor['id']}", json={"name": "After", "vendor_contacts": [{"id": 1, "first_name": "X"}]}
    )
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert api.get(f"/vendors/{vendor['id']}").json()["data"]["name"] == "After"
    assert api.get("/vendors/1").json()["data"]["vendor_contacts"][0]["first_name"] != "X"


def test_updating_a_deleted_vendor_changes_nothing(api: httpx.Client) -> None:
    vendor = create(api, name="Gone")
    deleted = api.delete(f"/vendors/{vendor['id']}").json()["data"]
    response = api.put(f"/vendors/{vendor['id']}", json={"name": "Alive", "vendor_contacts": []})
    assert response.status_code == 200
    assert response.json()["data"] == deleted


# --- actions and delete --------------------------------------------------------------------------------


def test_archive_restore_delete_and_unknown_actions(api: httpx.Client) -> None:
    vendor = create(api, name="Cycle")
    path = f"/vendors/{vendor['id']}"
    archived = api.put(path, params={"action": "archive"}, json={"name": "Cycle"})
    assert archived.status_code == 200
    assert archived.json()["data"]["archived_at"] is not None
    assert archived.json()["data"]["is_deleted"] is False
    restored = api.put(path, params={"action": "restore"}, json={"name": "Cycle"}).json()["data"]
    assert restored["archived_at"] is None
    bad = api.put(path, params={"action": "markPaid"}, json={"name": "Cycle"})
    assert bad.status_code == 400
    assert bad.json() == {"error": "Action [markPaid] is not supported"}
    deleted = api.delete(path)
    assert deleted.status_code == 200
    assert deleted.json()["data"]["is_deleted"] is True
    assert deleted.json()["data"]["archived_at"] is not None
    listed = {row["id"]: row for row in api.get("/vendors", params={"per_page": -1}).json()["data"]}
    assert listed[vendor["id"]]["is_deleted"] is True
    assert vendor["id"] not in {
        row["id"] for row in api.get("/vendors", params={"filter_active": 1}).json()["data"]
    }


def test_delete_of_an_unknown_vendor(api: httpx.Client) -> None:
    response = api.delete("/vendors/999")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- webhooks -------------------------------------------------------------------------------------------


def _subscribe(api: httpx.Client, event: str, url: str) -> None:
    response = api.post("/hooks", json={"event": event, "target_url": url})
    assert response.status_code == 201


def test_create_and_update_payloads_show_the_contacts_before_the_save(api: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        for event in ("create_vendor", "update_vendor"):
            _subscribe(api, event, f"{receiver.url}/{event}")
        vendor = create(api, name="Hooked", vendor_contacts=[{"first_name": "Old"}])
        api.put(
            f"/vendors/{vendor['id']}",
            json={"name": "Hooked 2", "vendor_contacts": [{"first_name": "New"}]},
        )
        received = receiver.wait_for(2)
    by_event = {item.path.strip("/"): item.body for item in received}
    created, updated = by_event["create_vendor"], by_event["update_vendor"]
    assert list(created) == [*names(VENDOR_FIELDS, user_id=True), "vendor_contacts"]
    assert created["user_id"] == 1
    assert created["name"] == "Hooked"
    assert created["vendor_contacts"] == []
    assert "user_id" not in updated
    assert updated["name"] == "Hooked 2"
    assert [c["first_name"] for c in updated["vendor_contacts"]] == ["Old"]
    assert "client_name" not in created


def test_unchanged_save_fires_no_update(api: httpx.Client, admin: httpx.Client) -> None:
    vendor = create(api, name="Quiet", vendor_contact={"first_name": "A"})
    contact = vendor["vendor_contacts"][0]
    with webhook_receiver() as receiver:
        _subscribe(api, "update_vendor", f"{receiver.url}/update")
        body = {"name": "Quiet", "vendor_contact": {"id": contact["id"], "first_name": "B"}}
        response = api.put(f"/vendors/{vendor['id']}", json=body)
        assert response.status_code == 200
        assert response.json()["data"]["vendor_contacts"][0]["first_name"] == "B"
        # Deliveries are logged when they start, inside the request that caused them.
        assert admin.get("/webhooks").json()["deliveries"] == []


def test_archive_fires_delete_vendor_and_delete_fires_update_then_delete_twice(api: httpx.Client) -> None:
    archived_vendor = create(api, name="Archived")
    deleted_vendor = create(api, name="Deleted")
    with webhook_receiver() as receiver:
        for event in ("update_vendor", "delete_vendor"):
            _subscribe(api, event, f"{receiver.url}/{event}")
        api.put(f"/vendors/{archived_vendor['id']}", params={"action": "archive"}, json={"name": "Archived"})
        received = receiver.wait_for(1)
        assert [(r.path, r.body["id"]) for r in received] == [("/delete_vendor", archived_vendor["id"])]
        api.delete(f"/vendors/{deleted_vendor['id']}")
        received = receiver.wait_for(4)
        api.put(f"/vendors/{deleted_vendor['id']}", params={"action": "restore"}, json={"name": "Deleted"})
        received = receiver.wait_for(6)
    later = [(r.path, r.body["id"], r.body["is_deleted"]) for r in received[1:]]
    assert sorted(later[:3]) == sorted(
        [
            ("/update_vendor", deleted_vendor["id"], True),
            ("/delete_vendor", deleted_vendor["id"], True),
            ("/delete_vendor", deleted_vendor["id"], True),
        ]
    )
    assert later[3:] == [("/update_vendor", deleted_vendor["id"], False)] * 2
