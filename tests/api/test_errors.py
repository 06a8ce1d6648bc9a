"""The error catalogue of reference §2.9 as it applies to clients and contacts (also §1, §2.6, §2.7, §5)."""

from __future__ import annotations

import json

import httpx

XHR = {"X-Requested-With": "XMLHttpRequest"}
ACCEPT_JSON = {"Accept": "application/json"}
ALLOW_ITEM = "GET, HEAD, PUT, PATCH, DELETE"
INVALID_TOKEN = '{"error":{"message":"Invalid token"}}'
RECORD_DOES_NOT_EXIST = '{\n    "message": "record does not exist"\n}'
ROUTE_DOES_NOT_EXIST = '{\n    "error": {\n        "message": "Route does not exist"\n    }\n}'
CONTACT_ERRORS = {
    "first_name": ["The first name field is required."],
    "last_name": ["The last name field is required."],
    "email": ["The email field is required."],
    "client_id": ["The client id field is required."],
}


def _assert_api_headers(response: httpx.Response) -> None:
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Ninja-Version"] == "4.5.50"
    assert response.headers["X-Total-Count"] == "0"


def _client_count(api: httpx.Client) -> int:
    response = api.get("/clients")
    assert response.status_code == 200
    total: int = response.json()["meta"]["pagination"]["total"]
    return total


# --- 403 invalid token ------------------------------------------------------------------------------------


def test_list_clients_unknown_token_gives_compact_403(api: httpx.Client) -> None:
    response = api.get("/clients", headers={"X-Ninja-Token": "not-a-token"})
    assert response.status_code == 403
    assert response.text == INVALID_TOKEN
    assert response.json() == {"error": {"message": "Invalid token"}}
    _assert_api_headers(response)


def test_list_clients_missing_token_gives_compact_403(anonymous: httpx.Client) -> None:
    response = anonymous.get("/clients")
    assert response.status_code == 403
    assert response.text == INVALID_TOKEN
    _assert_api_headers(response)


def test_show_contact_empty_token_gives_compact_403(anonymous: httpx.Client) -> None:
    response = anonymous.get("/contacts/1", headers={"X-Ninja-Token": ""})
    assert response.status_code == 403
    assert response.text == INVALID_TOKEN
    _assert_api_headers(response)


def test_create_client_invalid_token_gives_403_and_creates_nothing(
    api: httpx.Client, anonymous: httpx.Client
) -> None:
    response = anonymous.post("/clients", json={"name": "Sneaky"}, headers={"X-Ninja-Token": "wrong"})
    assert response.status_code == 403
    assert response.text == INVALID_TOKEN
    assert _client_count(api) == 12


def test_list_clients_x_api_token_only_gives_403_with_hint(anonymous: httpx.Client) -> None:
    response = anonymous.get("/clients", headers={"X-API-TOKEN": "TOKEN"})
    assert response.status_code == 403
    assert response.text == INVALID_TOKEN
    _assert_api_headers(response)
    assert "X-Ninja-Token" in response.headers["X-Sandbox-Hint"]


def test_list_clients_invalid_ninja_token_gives_no_hint(anonymous: httpx.Client) -> None:
    response = anonymous.get("/clients", headers={"X-Ninja-Token": "nope"})
    assert response.status_code == 403
    assert response.text == INVALID_TOKEN
    assert "X-Sandbox-Hint" not in response.headers


# --- 404 record lookups -----------------------------------------------------------------------------------


def test_show_client_unknown_id_gives_record_does_not_exist(api: httpx.Client) -> None:
    response = api.get("/clients/999")
    assert response.status_code == 404
    assert response.text == RECORD_DOES_NOT_EXIST
    assert response.json() == {"message": "record does not exist"}
    _assert_api_headers(response)


def test_update_client_unknown_id_gives_record_does_not_exist(api: httpx.Client) -> None:
    response = api.put("/clients/999", json={"name": "Ghost"})
    assert response.status_code == 404
    assert response.text == RECORD_DOES_NOT_EXIST
    _assert_api_headers(response)
    assert _client_count(api) == 12


def test_delete_client_unknown_id_gives_record_does_not_exist(api: httpx.Client) -> None:
    response = api.delete("/clients/999")
    assert response.status_code == 404
    assert response.text == RECORD_DOES_NOT_EXIST
    _assert_api_headers(response)


def test_show_contact_unknown_id_gives_record_does_not_exist(api: httpx.Client) -> None:
    response = api.get("/contacts/9999")
    assert response.status_code == 404
    assert response.text == RECORD_DOES_NOT_EXIST
    _assert_api_headers(response)


def test_show_client_non_numeric_id_gives_record_does_not_exist(api: httpx.Client) -> None:
    response = api.get("/clients/abc")
    assert response.status_code == 404
    assert response.json() == {"message": "record does not exist"}


def test_show_client_id_zero_gives_record_not_found(api: httpx.Client) -> None:
    response = api.get("/clients/0")
    assert response.status_code == 404
    assert response.text == '{\n    "error": "Record not found"\n}'
    assert response.json() == {"error": "Record not found"}
    _assert_api_headers(response)


def test_show_contact_id_zero_gives_record_not_found(api: httpx.Client) -> None:
    response = api.get("/contacts/0")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    _assert_api_headers(response)


# --- 404 unknown routes -----------------------------------------------------------------------------------


def test_unknown_route_with_token_gives_route_does_not_exist(api: httpx.Client) -> None:
    response = api.get("/no_such_thing")
    assert response.status_code == 404
    assert response.text == ROUTE_DOES_NOT_EXIST
    assert response.json() == {"error": {"message": "Route does not exist"}}
    _assert_api_headers(response)


def test_unknown_route_with_invalid_token_gives_route_does_not_exist(anonymous: httpx.Client) -> None:
    response = anonymous.get("/no_such_thing", headers={"X-Ninja-Token": "bogus"})
    assert response.status_code == 404
    assert response.text == ROUTE_DOES_NOT_EXIST
    _assert_api_headers(response)


def test_unknown_nested_route_with_token_gives_route_does_not_exist(api: httpx.Client) -> None:
    response = api.get("/clients/1/contacts")
    assert response.status_code == 404
    assert response.json() == {"error": {"message": "Route does not exist"}}


def test_unknown_route_without_token_accept_json_gives_empty_message(anonymous: httpx.Client) -> None:
    response = anonymous.get("/no_such_thing", headers=ACCEPT_JSON)
    assert response.status_code == 404
    assert response.json() == {"message": ""}
    assert response.text == '{\n    "message": ""\n}'
    assert response.headers["Content-Type"].startswith("application/json")


def test_unknown_route_without_token_gives_html_not_found(anonymous: httpx.Client) -> None:
    response = anonymous.get("/no_such_thing")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Not Found" in response.text


# --- 405 wrong method -------------------------------------------------------------------------------------


def test_post_client_item_gives_405_with_allow_header(api: httpx.Client) -> None:
    response = api.post("/clients/1", json={"name": "x"})
    assert response.status_code == 405
    assert response.headers["Allow"] == ALLOW_ITEM
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text
    assert _client_count(api) == 12


def test_post_client_item_accept_json_gives_laravel_405_message(api: httpx.Client) -> None:
    response = api.post("/clients/1", json={"name": "x"}, headers=ACCEPT_JSON)
    assert response.status_code == 405
    assert response.headers["Allow"] == ALLOW_ITEM
    message = (
        "The POST method is not supported for this route. Supported methods: GET, HEAD, PUT, PATCH, DELETE."
    )
    assert response.json() == {"message": message}
    assert response.text == json.dumps({"message": message}, indent=4)


def test_post_client_item_xhr_gives_laravel_405_message(api: httpx.Client) -> None:
    response = api.post("/clients/1", json={"name": "x"}, headers=XHR)
    assert response.status_code == 405
    assert response.headers["Allow"] == ALLOW_ITEM
    assert response.json()["message"].startswith("The POST method is not supported for this route.")


def test_post_contact_item_invalid_token_still_gives_405(anonymous: httpx.Client) -> None:
    response = anonymous.post("/contacts/1", json={}, headers={"X-Ninja-Token": "bogus", **ACCEPT_JSON})
    assert response.status_code == 405
    assert response.headers["Allow"] == ALLOW_ITEM
    assert response.json() == {
        "message": "The POST method is not supported for this route. "
        "Supported methods: GET, HEAD, PUT, PATCH, DELETE."
    }


def test_put_clients_collection_without_token_gives_405(anonymous: httpx.Client) -> None:
    response = anonymous.put("/clients", json={}, headers=ACCEPT_JSON)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, POST"
    assert response.json() == {
        "message": "The PUT method is not supported for this route. Supported methods: GET, HEAD, POST."
    }


# --- OPTIONS ----------------------------------------------------------------------------------------------


def test_options_client_item_gives_200_empty_with_allow(anonymous: httpx.Client) -> None:
    response = anonymous.options("/clients/1")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["Allow"] == "GET,HEAD,PUT,PATCH,DELETE"


def test_options_clients_collection_gives_200_empty_with_allow(anonymous: httpx.Client) -> None:
    response = anonymous.options("/clients", headers={"X-Ninja-Token": "bogus"})
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["Allow"] == "GET,HEAD,POST"


def test_options_contacts_collection_gives_200_empty_with_allow(api: httpx.Client) -> None:
    response = api.options("/contacts")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["Allow"] == "GET,HEAD,POST"


# --- validation failures ----------------------------------------------------------------------------------


def test_create_contact_invalid_plain_request_redirects_to_app_root(api: httpx.Client, base_url: str) -> None:
    response = api.post("/contacts", json={})
    assert response.status_code == 302
    assert response.headers["Location"] == base_url
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert "Redirecting to" in response.text
    assert base_url in response.text


def test_create_contact_invalid_plain_request_redirects_to_referer(api: httpx.Client) -> None:
    referer = "http://example.test/some/page"
    response = api.post("/contacts", json={}, headers={"Referer": referer})
    assert response.status_code == 302
    assert response.headers["Location"] == referer
    assert "Redirecting to" in response.text
    assert referer in response.text


def test_create_contact_invalid_xhr_gives_compact_422(api: httpx.Client) -> None:
    before = api.get("/contacts").json()["meta"]["pagination"]["total"]
    response = api.post("/contacts", json={}, headers=XHR)
    assert response.status_code == 422
    expected = {"message": "The given data was invalid.", "errors": CONTACT_ERRORS}
    assert response.json() == expected
    assert list(response.json()["errors"]) == ["first_name", "last_name", "email", "client_id"]
    assert response.text == json.dumps(expected, separators=(",", ":"))
    assert response.headers["Content-Type"].startswith("application/json")
    assert "X-Ninja-Version" not in response.headers
    assert api.get("/contacts").json()["meta"]["pagination"]["total"] == before


def test_create_contact_invalid_accept_json_gives_422(api: httpx.Client) -> None:
    response = api.post("/contacts", json={}, headers=ACCEPT_JSON)
    assert response.status_code == 422
    expected = {"message": "The given data was invalid.", "errors": CONTACT_ERRORS}
    assert response.text == json.dumps(expected, separators=(",", ":"))


def test_create_contact_missing_email_xhr_lists_only_email(api: httpx.Client) -> None:
    response = api.post("/contacts", json={"first_name": "A", "last_name": "B", "client_id": 1}, headers=XHR)
    assert response.status_code == 422
    assert response.json() == {
        "message": "The given data was invalid.",
        "errors": {"email": ["The email field is required."]},
    }


def test_create_contact_invalid_with_api_secret_gives_pretty_400(api: httpx.Client) -> None:
    response = api.post("/contacts", json={"api_secret": "SECRET"})
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "The first name field is required."}}
    assert (
        response.text == '{\n    "error": {\n        "message": "The first name field is required."\n    }\n}'
    )
    _assert_api_headers(response)


def test_create_contact_invalid_with_api_secret_in_query_gives_400(api: httpx.Client) -> None:
    response = api.post("/contacts", params={"api_secret": "SECRET"}, json={"first_name": "A"}, headers=XHR)
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "The last name field is required."}}


def test_archive_contact_without_required_fields_fails_validation(api: httpx.Client) -> None:
    response = api.put("/contacts/1", params={"action": "archive"}, json={}, headers=XHR)
    assert response.status_code == 422
    assert response.text == json.dumps(
        {
            "message": "The given data was invalid.",
            "errors": {
                "first_name": ["The first name field is required."],
                "last_name": ["The last name field is required."],
                "email": ["The email field is required."],
            },
        },
        separators=(",", ":"),
    )
    shown = api.get("/contacts/1")
    assert shown.status_code == 200
    assert shown.json()["data"]["archived_at"] is None


def test_update_contact_without_required_fields_plain_redirects(api: httpx.Client, base_url: str) -> None:
    response = api.put("/contacts/1", json={"first_name": "Only"})
    assert response.status_code == 302
    assert response.headers["Location"] == base_url
    assert "Redirecting to" in response.text


# --- unsupported actions ----------------------------------------------------------------------------------


def test_update_client_unknown_action_gives_400(api: httpx.Client) -> None:
    response = api.put("/clients/1", params={"action": "foo"})
    assert response.status_code == 400
    assert response.json() == {"error": "Action [foo] is not supported"}
    assert response.text == '{\n    "error": "Action [foo] is not supported"\n}'
    _assert_api_headers(response)


def test_update_client_snake_case_mark_paid_gives_400(api: httpx.Client) -> None:
    response = api.put("/clients/1", params={"action": "mark_paid"})
    assert response.status_code == 400
    assert response.json() == {"error": "Action [mark_paid] is not supported"}
    _assert_api_headers(response)


def test_update_client_unknown_action_in_body_gives_400(api: httpx.Client) -> None:
    response = api.put("/clients/1", json={"action": "explode", "name": "Changed"})
    assert response.status_code == 400
    assert response.json() == {"error": "Action [explode] is not supported"}
    assert api.get("/clients/1").json()["data"]["name"] != "Changed"


def test_update_contact_unknown_action_gives_400(api: httpx.Client) -> None:
    contact = api.get("/contacts/1").json()["data"]
    body = {"first_name": contact["first_name"], "last_name": contact["last_name"], "email": contact["email"]}
    response = api.put("/contacts/1", params={"action": "foo"}, json=body)
    assert response.status_code == 400
    assert response.json() == {"error": "Action [foo] is not supported"}


# --- 403 authorisation ------------------------------------------------------------------------------------


def test_update_client_id_zero_accept_json_gives_unauthorized(api: httpx.Client) -> None:
    response = api.put("/clients/0", json={"name": "Zero"}, headers=ACCEPT_JSON)
    assert response.status_code == 403
    assert response.json() == {"message": "This action is unauthorized."}
    assert response.text == '{\n    "message": "This action is unauthorized."\n}'
    assert _client_count(api) == 12


def test_update_client_id_zero_plain_gives_html_403(api: httpx.Client) -> None:
    response = api.put("/clients/0", json={"name": "Zero"})
    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("text/html")
    assert "This action is unauthorized." in response.text


# --- odd bodies -------------------------------------------------------------------------------------------


def test_create_client_malformed_json_is_treated_as_empty_input(api: httpx.Client) -> None:
    response = api.post("/clients", content=b'{"name": "Broken', headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 13
    assert data["name"] == ""
    assert len(data["contacts"]) == 1
    assert _client_count(api) == 13


def test_create_client_malformed_json_with_xhr_is_not_a_server_error(api: httpx.Client) -> None:
    response = api.post("/clients", content=b"[1, 2", headers={"Content-Type": "application/json", **XHR})
    assert response.status_code == 200
    assert response.json()["data"]["name"] == ""


def test_create_client_wrong_type_name_gives_422(api: httpx.Client) -> None:
    response = api.post("/clients", json={"name": ["a"]}, headers=XHR)
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "The given data was invalid."
    assert "name" in body["errors"]
    assert "X-Ninja-Version" not in response.headers
    assert _client_count(api) == 12


def test_update_client_wrong_type_name_gives_422_and_keeps_state(api: httpx.Client) -> None:
    before = api.get("/clients/2").json()["data"]
    response = api.put("/clients/2", json={"name": {"x": 1}}, headers=XHR)
    assert response.status_code == 422
    assert response.json()["message"] == "The given data was invalid."
    assert "name" in response.json()["errors"]
    assert api.get("/clients/2").json()["data"] == before


def test_create_client_text_plain_body_is_ignored(api: httpx.Client) -> None:
    response = api.post("/clients", content=b'{"name": "Plain"}', headers={"Content-Type": "text/plain"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == ""
    assert data["id"] == 13
    assert _client_count(api) == 13
