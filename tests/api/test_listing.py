"""List endpoints: envelope, paging, order, filters, ``index``, ``serializer`` (reference §2.7, §3.1-§3.6)."""

from __future__ import annotations

import re
from typing import Any

import httpx
from helpers.api import archive_contact

SEEDED_CLIENTS = 12
XHR = {"X-Requested-With": "XMLHttpRequest"}


def _pagination(body: dict[str, Any]) -> dict[str, Any]:
    pagination: dict[str, Any] = body["meta"]["pagination"]
    return pagination


def _all_clients(api: httpx.Client) -> list[dict[str, Any]]:
    response = api.get("/clients", params={"per_page": 100})
    assert response.status_code == 200
    clients: list[dict[str, Any]] = response.json()["data"]
    return clients


def _all_contacts(api: httpx.Client) -> list[dict[str, Any]]:
    response = api.get("/contacts", params={"per_page": 1000})
    assert response.status_code == 200
    contacts: list[dict[str, Any]] = response.json()["data"]
    return contacts


# --- envelope ---------------------------------------------------------------------------------------------


def test_list_clients_envelope_has_data_and_pagination_meta(api: httpx.Client) -> None:
    response = api.get("/clients")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["data", "meta"]
    assert list(body["meta"]) == ["pagination"]
    assert _pagination(body) == {
        "total": SEEDED_CLIENTS,
        "count": SEEDED_CLIENTS,
        "per_page": 15,
        "current_page": 1,
        "total_pages": 1,
        "links": [],
    }
    assert isinstance(body["data"], list)
    assert len(body["data"]) == SEEDED_CLIENTS


def test_list_clients_single_page_links_are_an_empty_json_list(api: httpx.Client) -> None:
    response = api.get("/clients")
    assert response.status_code == 200
    assert _pagination(response.json())["links"] == []
    assert '"links": []' in response.text


def test_list_contacts_envelope_has_pagination_meta(api: httpx.Client) -> None:
    response = api.get("/contacts")
    assert response.status_code == 200
    body = response.json()
    pagination = _pagination(body)
    total = pagination["total"]
    assert total >= SEEDED_CLIENTS
    assert pagination["per_page"] == 15
    assert pagination["count"] == min(total, 15) == len(body["data"])
    assert pagination["current_page"] == 1
    assert pagination["total_pages"] == -(-total // 15)


# --- pagination -------------------------------------------------------------------------------------------


def test_list_clients_per_page_5_first_page_links_next_only(api: httpx.Client, base_url: str) -> None:
    response = api.get("/clients", params={"per_page": 5})
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 5
    assert _pagination(body) == {
        "total": 12,
        "count": 5,
        "per_page": 5,
        "current_page": 1,
        "total_pages": 3,
        "links": {"next": f"{base_url}/api/v1/clients?page=2"},
    }


def test_list_clients_per_page_5_middle_page_links_previous_and_next(
    api: httpx.Client, base_url: str
) -> None:
    response = api.get("/clients", params={"per_page": 5, "page": 2})
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 5
    assert _pagination(body) == {
        "total": 12,
        "count": 5,
        "per_page": 5,
        "current_page": 2,
        "total_pages": 3,
        "links": {
            "previous": f"{base_url}/api/v1/clients?page=1",
            "next": f"{base_url}/api/v1/clients?page=3",
        },
    }


def test_list_clients_per_page_5_last_page_has_remaining_two(api: httpx.Client, base_url: str) -> None:
    response = api.get("/clients", params={"per_page": 5, "page": 3})
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 2
    assert _pagination(body) == {
        "total": 12,
        "count": 2,
        "per_page": 5,
        "current_page": 3,
        "total_pages": 3,
        "links": {"previous": f"{base_url}/api/v1/clients?page=2"},
    }


def test_list_clients_pages_cover_every_client_once(api: httpx.Client) -> None:
    ids: list[int] = []
    for page in (1, 2, 3):
        response = api.get("/clients", params={"per_page": 5, "page": page})
        assert response.status_code == 200
        ids += [client["id"] for client in response.json()["data"]]
    assert sorted(ids) == list(range(1, 13))
    assert ids == [client["id"] for client in _all_clients(api)]


def test_list_clients_links_drop_per_page_and_filters(api: httpx.Client, base_url: str) -> None:
    response = api.get(
        "/clients",
        params={"per_page": 5, "page": 2, "filter_active": 1, "updated_at": 1, "include": "invoices"},
    )
    assert response.status_code == 200
    assert _pagination(response.json())["links"] == {
        "previous": f"{base_url}/api/v1/clients?page=1",
        "next": f"{base_url}/api/v1/clients?page=3",
    }


def test_list_clients_page_beyond_end_gives_empty_data(api: httpx.Client, base_url: str) -> None:
    response = api.get("/clients", params={"page": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == []
    assert _pagination(body) == {
        "total": 12,
        "count": 0,
        "per_page": 15,
        "current_page": 5,
        "total_pages": 1,
        "links": {"previous": f"{base_url}/api/v1/clients?page=4"},
    }


def test_list_clients_page_zero_means_first_page(api: httpx.Client) -> None:
    response = api.get("/clients", params={"page": 0, "per_page": 5})
    assert response.status_code == 200
    body = response.json()
    assert _pagination(body)["current_page"] == 1
    assert [c["id"] for c in body["data"]] == [c["id"] for c in _all_clients(api)[:5]]


def test_list_clients_page_negative_means_first_page(api: httpx.Client) -> None:
    response = api.get("/clients", params={"page": -1, "per_page": 5})
    assert response.status_code == 200
    body = response.json()
    assert _pagination(body)["current_page"] == 1
    assert len(body["data"]) == 5


def test_list_clients_page_not_a_number_means_first_page(api: httpx.Client) -> None:
    response = api.get("/clients", params={"page": "abc", "per_page": 5})
    assert response.status_code == 200
    body = response.json()
    assert _pagination(body)["current_page"] == 1
    assert len(body["data"]) == 5


def test_list_clients_per_page_default_is_15(api: httpx.Client) -> None:
    api.post("/clients", json={"name": "Extra A"}).raise_for_status()
    api.post("/clients", json={"name": "Extra B"}).raise_for_status()
    api.post("/clients", json={"name": "Extra C"}).raise_for_status()
    api.post("/clients", json={"name": "Extra D"}).raise_for_status()
    response = api.get("/clients")
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 15
    pagination = _pagination(body)
    assert pagination["per_page"] == 15
    assert pagination["total"] == 16
    assert pagination["count"] == 15
    assert pagination["total_pages"] == 2


def test_list_clients_per_page_zero_means_15(api: httpx.Client) -> None:
    response = api.get("/clients", params={"per_page": 0})
    assert response.status_code == 200
    body = response.json()
    assert _pagination(body)["per_page"] == 15
    assert _pagination(body)["total_pages"] == 1
    assert len(body["data"]) == 12


def test_list_clients_per_page_negative_returns_all_rows(api: httpx.Client) -> None:
    response = api.get("/clients", params={"per_page": -1})
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 12
    assert _pagination(body) == {
        "total": 12,
        "count": 12,
        "per_page": -1,
        "current_page": 1,
        "total_pages": 1,
        "links": [],
    }


def test_list_contacts_per_page_negative_returns_all_rows(api: httpx.Client) -> None:
    total = _pagination(api.get("/contacts").json())["total"]
    response = api.get("/contacts", params={"per_page": -3})
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == total
    assert _pagination(body)["per_page"] == -3
    assert _pagination(body)["total_pages"] == 1


# --- ordering ---------------------------------------------------------------------------------------------


def test_list_clients_ordered_by_updated_at_desc(api: httpx.Client) -> None:
    clients = _all_clients(api)
    stamps = [client["updated_at"] for client in clients]
    assert stamps == sorted(stamps, reverse=True)


def test_list_clients_new_client_comes_first(api: httpx.Client) -> None:
    created = api.post("/clients", json={"name": "Newest Ltd"})
    assert created.status_code == 200
    new_id = created.json()["data"]["id"]
    response = api.get("/clients")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data[0]["id"] == new_id
    assert data[0]["name"] == "Newest Ltd"
    assert len(data) == 13


def test_list_clients_updated_client_moves_to_front(api: httpx.Client) -> None:
    last = _all_clients(api)[-1]
    contacts = [{"id": c["id"], "first_name": c["first_name"]} for c in last["contacts"]]
    updated = api.put(f"/clients/{last['id']}", json={"name": "Touched", "contacts": contacts})
    assert updated.status_code == 200
    response = api.get("/clients")
    assert response.status_code == 200
    assert response.json()["data"][0]["id"] == last["id"]
    assert response.json()["data"][0]["name"] == "Touched"


def test_list_contacts_new_contact_comes_first(api: httpx.Client) -> None:
    created = api.post(
        "/contacts",
        json={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "client_id": 3},
    )
    assert created.status_code == 200
    new_id = created.json()["data"]["id"]
    response = api.get("/contacts")
    assert response.status_code == 200
    first = response.json()["data"][0]
    assert first["id"] == new_id
    assert first["email"] == "ada@example.com"


def test_list_contacts_not_ordered_by_updated_at(api: httpx.Client) -> None:
    # created_at desc: touching an old contact does not move it to the front
    contacts = _all_contacts(api)
    oldest = contacts[-1]
    updated = api.put(
        f"/contacts/{oldest['id']}",
        json={"first_name": "Renamed", "last_name": oldest["last_name"], "email": oldest["email"]},
    )
    assert updated.status_code == 200
    response = api.get("/contacts", params={"per_page": 1000})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data[0]["id"] != oldest["id"]
    assert next(c for c in data if c["id"] == oldest["id"])["first_name"] == "Renamed"


# --- common filters ---------------------------------------------------------------------------------------


def test_list_clients_updated_at_filter_is_inclusive(api: httpx.Client) -> None:
    clients = _all_clients(api)
    threshold = clients[4]["updated_at"]
    expected = [c["id"] for c in clients if c["updated_at"] >= threshold]
    response = api.get("/clients", params={"updated_at": threshold})
    assert response.status_code == 200
    body = response.json()
    assert [c["id"] for c in body["data"]] == expected
    assert clients[4]["id"] in expected
    assert _pagination(body)["total"] == len(expected)


def test_list_clients_updated_at_filter_in_future_gives_nothing(api: httpx.Client) -> None:
    newest = _all_clients(api)[0]["updated_at"]
    response = api.get("/clients", params={"updated_at": newest + 10})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == []
    assert _pagination(body)["total"] == 0
    assert _pagination(body)["total_pages"] == 1


def test_list_clients_updated_at_filter_zero_is_ignored(api: httpx.Client) -> None:
    response = api.get("/clients", params={"updated_at": 0})
    assert response.status_code == 200
    assert _pagination(response.json())["total"] == 12


def test_list_contacts_client_id_filter_keeps_that_clients_contacts(api: httpx.Client) -> None:
    client = api.get("/clients/2")
    assert client.status_code == 200
    expected = sorted(c["id"] for c in client.json()["data"]["contacts"])
    response = api.get("/contacts", params={"client_id": 2})
    assert response.status_code == 200
    body = response.json()
    assert sorted(c["id"] for c in body["data"]) == expected
    assert _pagination(body)["total"] == len(expected)


def test_list_contacts_client_id_filter_unknown_client_gives_nothing(api: httpx.Client) -> None:
    response = api.get("/contacts", params={"client_id": 999})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == []
    assert _pagination(body)["total"] == 0


def test_list_clients_filter_active_excludes_archived_and_deleted(api: httpx.Client) -> None:
    assert api.put("/clients/3", params={"action": "archive"}).status_code == 200
    assert api.delete("/clients/4").status_code == 200
    response = api.get("/clients", params={"filter_active": 1})
    assert response.status_code == 200
    body = response.json()
    ids = {c["id"] for c in body["data"]}
    assert ids == set(range(1, 13)) - {3, 4}
    assert _pagination(body)["total"] == 10
    assert all(c["archived_at"] is None and c["is_deleted"] is False for c in body["data"])


def test_list_clients_includes_archived_and_deleted_by_default(api: httpx.Client) -> None:
    assert api.put("/clients/3", params={"action": "archive"}).status_code == 200
    assert api.delete("/clients/4").status_code == 200
    response = api.get("/clients")
    assert response.status_code == 200
    body = response.json()
    assert _pagination(body)["total"] == 12
    by_id = {c["id"]: c for c in body["data"]}
    assert by_id[3]["archived_at"] is not None
    assert by_id[3]["is_deleted"] is False
    assert by_id[4]["archived_at"] is not None
    assert by_id[4]["is_deleted"] is True


def test_list_contacts_filter_active_excludes_archived(api: httpx.Client) -> None:
    contact = _all_contacts(api)[0]
    archived = archive_contact(api, contact)
    assert archived.status_code == 200
    assert archived.json()["data"]["archived_at"] is not None
    everything = api.get("/contacts", params={"per_page": 1000})
    active = api.get("/contacts", params={"per_page": 1000, "filter_active": 1})
    assert everything.status_code == 200
    assert active.status_code == 200
    all_ids = [c["id"] for c in everything.json()["data"]]
    assert contact["id"] in all_ids
    assert [c["id"] for c in active.json()["data"]] == [i for i in all_ids if i != contact["id"]]


# --- client-specific filters ------------------------------------------------------------------------------


def test_list_clients_email_filter_matches_contact_case_insensitively(api: httpx.Client) -> None:
    client = api.get("/clients/5").json()["data"]
    email = client["contacts"][0]["email"]
    response = api.get("/clients", params={"email": email.upper()})
    assert response.status_code == 200
    body = response.json()
    assert [c["id"] for c in body["data"]] == [5]
    assert _pagination(body)["total"] == 1


def test_list_clients_email_filter_unknown_email_gives_nothing(api: httpx.Client) -> None:
    response = api.get("/clients", params={"email": "nobody@nowhere.example"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == []
    assert _pagination(body)["total"] == 0


def test_list_clients_email_filter_ignores_archived_contact(api: httpx.Client) -> None:
    contact = api.get("/clients/6").json()["data"]["contacts"][0]
    archived = archive_contact(api, contact)
    assert archived.status_code == 200
    response = api.get("/clients", params={"email": contact["email"]})
    assert response.status_code == 200
    assert response.json()["data"] == []


def test_list_clients_id_number_filter_is_exact(api: httpx.Client) -> None:
    created = api.post("/clients", json={"name": "Numbered", "id_number": "ID-4242"})
    assert created.status_code == 200
    new_id = created.json()["data"]["id"]
    response = api.get("/clients", params={"id_number": "ID-4242"})
    assert response.status_code == 200
    body = response.json()
    assert [c["id"] for c in body["data"]] == [new_id]
    assert body["data"][0]["id_number"] == "ID-4242"
    partial = api.get("/clients", params={"id_number": "ID-42"})
    assert partial.status_code == 200
    assert partial.json()["data"] == []


def test_list_clients_email_filter_wins_over_id_number(api: httpx.Client) -> None:
    created = api.post("/clients", json={"name": "Numbered", "id_number": "ID-7"})
    assert created.status_code == 200
    email = api.get("/clients/5").json()["data"]["contacts"][0]["email"]
    response = api.get("/clients", params={"email": email, "id_number": "ID-7"})
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["data"]] == [5]


# --- index ------------------------------------------------------------------------------------------------


def test_list_clients_index_renames_data_key(api: httpx.Client) -> None:
    response = api.get("/clients", params={"index": "foo"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["foo", "meta"]
    assert len(body["foo"]) == 12
    assert _pagination(body)["total"] == 12


def test_show_client_index_renames_data_key(api: httpx.Client) -> None:
    response = api.get("/clients/1", params={"index": "client"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["client"]
    assert body["client"]["id"] == 1


def test_list_clients_index_none_drops_wrapper_and_meta(api: httpx.Client) -> None:
    response = api.get("/clients", params={"index": "none"})
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert len(body) == 12
    assert [c["id"] for c in body] == [c["id"] for c in _all_clients(api)]


def test_show_client_index_none_returns_bare_entity(api: httpx.Client) -> None:
    response = api.get("/clients/1", params={"index": "none"})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == 1
    assert "data" not in body
    assert body == api.get("/clients/1").json()["data"]


# --- serializer=json --------------------------------------------------------------------------------------


def test_list_clients_json_serializer_nests_data_twice(api: httpx.Client) -> None:
    plain = _all_clients(api)
    response = api.get("/clients", params={"serializer": "json"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["data", "meta"]
    assert list(body["data"]) == ["data", "included"]
    assert _pagination(body)["total"] == 12
    resources = body["data"]["data"]
    assert len(resources) == 12
    first, plain_first = resources[0], plain[0]
    assert first["type"] == "client"
    assert first["id"] == str(plain_first["id"])
    assert "id" not in first["attributes"]
    assert "contacts" not in first["attributes"]
    assert first["attributes"]["name"] == plain_first["name"]
    assert first["relationships"] == {
        "contacts": {"data": [{"type": "contact", "id": str(c["id"])} for c in plain_first["contacts"]]}
    }


def test_list_clients_json_serializer_includes_contacts(api: httpx.Client) -> None:
    plain = _all_clients(api)
    response = api.get("/clients", params={"serializer": "json"})
    assert response.status_code == 200
    included = response.json()["data"]["included"]
    expected = {str(c["id"]) for client in plain for c in client["contacts"]}
    assert {item["id"] for item in included} == expected
    assert all(item["type"] == "contact" for item in included)
    contact = included[0]
    assert set(contact) >= {"type", "id", "attributes"}
    assert "id" not in contact["attributes"]
    assert "email" in contact["attributes"]


def test_show_client_json_serializer_item_shape(api: httpx.Client) -> None:
    plain = api.get("/clients/1").json()["data"]
    response = api.get("/clients/1", params={"serializer": "json"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["data"]
    assert list(body["data"]) == ["data", "included"]
    item = body["data"]["data"]
    assert item["type"] == "client"
    assert item["id"] == "1"
    expected_attributes = {k: v for k, v in plain.items() if k not in ("id", "contacts")}
    assert item["attributes"] == expected_attributes
    assert item["relationships"] == {
        "contacts": {"data": [{"type": "contact", "id": str(c["id"])} for c in plain["contacts"]]}
    }
    assert [i["id"] for i in body["data"]["included"]] == [str(c["id"]) for c in plain["contacts"]]


def test_list_contacts_json_serializer_has_no_relationships(api: httpx.Client) -> None:
    response = api.get("/contacts", params={"serializer": "json", "per_page": 3})
    assert response.status_code == 200
    body = response.json()
    resources = body["data"]["data"]
    assert len(resources) == 3
    assert all(r["type"] == "contact" and isinstance(r["id"], str) for r in resources)
    assert all("id" not in r["attributes"] for r in resources)
    assert _pagination(body)["per_page"] == 3


def test_list_clients_serializer_upper_case_json_falls_back_to_array(api: httpx.Client) -> None:
    response = api.get("/clients", params={"serializer": "JSON"})
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["data"], list)
    assert body["data"] == _all_clients(api)
    assert body["data"][0]["contacts"]
    assert "attributes" not in body["data"][0]


# --- raw JSON formatting ----------------------------------------------------------------------------------


def test_list_clients_body_is_pretty_printed_with_4_spaces(api: httpx.Client) -> None:
    response = api.get("/clients")
    assert response.status_code == 200
    assert response.text.startswith('{\n    "data": [\n        {\n            "account_key": "')
    assert '\n    "meta": {\n        "pagination": {\n            "total": 12,\n' in response.text


def test_list_clients_pagination_links_escape_slashes(api: httpx.Client, base_url: str) -> None:
    response = api.get("/clients", params={"per_page": 5})
    assert response.status_code == 200
    escaped = base_url.replace("/", "\\/") + "\\/api\\/v1\\/clients?page=2"
    assert f'"next": "{escaped}"' in response.text
    assert "http://" not in response.text.split('"pagination"')[1]


def test_list_clients_integral_floats_printed_without_fraction(api: httpx.Client) -> None:
    # A client without history has a balance of exactly 0: PHP prints it as 0, not 0.0.
    created = api.post("/clients", json={"name": "Zero"}).json()["data"]
    response = api.get(f"/clients/{created['id']}")
    assert response.status_code == 200
    assert response.json()["data"]["balance"] == 0
    assert re.search(r'\n        "balance": 0,\n', response.text)
    assert re.search(r'\n        "paid_to_date": 0,\n', response.text)
    assert '"balance": 0.0' not in response.text
    assert '"task_rate": 0.0' not in response.text
