"""Products: list, show, create, update, delete, actions (v4-api-behaviour.md §4.6, §5, Appendix A)."""

from __future__ import annotations

from typing import Any

import httpx
from helpers.reference import entity_fields, wrong_types

PRODUCT_FIELDS = entity_fields("product")
SHOWN = [name for name, _ in PRODUCT_FIELDS if name != "user_id"]
XHR = {"X-Requested-With": "XMLHttpRequest"}
NOT_FOUND = {"message": "record does not exist"}
KEY_REQUIRED = {
    "message": "The given data was invalid.",
    "errors": {"product_key": ["The product key field is required."]},
}
CONSULT = {"product_key": "CONSULT", "notes": "Consulting, per hour", "cost": 150, "qty": 1}


def _create(api: httpx.Client, **body: Any) -> dict[str, Any]:
    response = api.post("/products", json={"product_key": "WIDGET", **body})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


# --- GET ------------------------------------------------------------------------------------------------


def test_list_products_newest_first_with_reference_fields(api: httpx.Client) -> None:
    response = api.get("/products")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["pagination"] == {
        "total": 9,
        "count": 9,
        "per_page": 15,
        "current_page": 1,
        "total_pages": 1,
        "links": [],
    }
    assert [p["id"] for p in body["data"]] == list(range(9, 0, -1))
    for product in body["data"]:
        assert list(product) == SHOWN
        assert wrong_types(product, PRODUCT_FIELDS) == {}


def test_list_products_puts_updated_first_and_keeps_archived_and_deleted(api: httpx.Client) -> None:
    archived = api.put("/products/3", params={"action": "archive"}, json={"product_key": "DEV"})
    assert archived.status_code == 200
    assert api.request("DELETE", "/products/4", json={"product_key": "SUPPORT"}).status_code == 200
    response = api.get("/products")
    assert response.status_code == 200
    rows = response.json()["data"]
    assert [p["id"] for p in rows][:2] == [4, 3]
    assert len(rows) == 9
    assert (rows[0]["is_deleted"], isinstance(rows[0]["archived_at"], int)) == (True, True)
    assert (rows[1]["is_deleted"], isinstance(rows[1]["archived_at"], int)) == (False, True)
    active = api.get("/products", params={"filter_active": 1}).json()
    assert active["meta"]["pagination"]["total"] == 7


def test_list_products_ignores_client_id(api: httpx.Client) -> None:
    response = api.get("/products", params={"client_id": 1})
    assert response.status_code == 200
    assert response.json()["meta"]["pagination"]["total"] == 9


def test_get_product(api: httpx.Client) -> None:
    response = api.get("/products/1")
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == SHOWN
    assert {k: data[k] for k in CONSULT} == CONSULT
    assert (data["archived_at"], data["is_deleted"], data["is_owner"]) == (None, False, True)


def test_get_product_json_api(api: httpx.Client) -> None:
    response = api.get("/products/1", params={"serializer": "json"})
    assert response.status_code == 200
    resource = response.json()["data"]["data"]
    assert (resource["type"], resource["id"]) == ("product", "1")
    assert list(resource["attributes"]) == [name for name in SHOWN if name != "id"]


def test_get_product_unknown_and_empty_ids(api: httpx.Client) -> None:
    unknown = api.get("/products/999")
    assert unknown.status_code == 404
    assert unknown.json() == NOT_FOUND
    empty = api.get("/products/0")
    assert empty.status_code == 404
    assert empty.json() == {"error": "Record not found"}


# --- POST /products -------------------------------------------------------------------------------------


def test_create_product_fills_defaults(api: httpx.Client) -> None:
    response = api.post("/products", json={"product_key": "  WIDGET  "})
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == [name for name, _ in PRODUCT_FIELDS]
    assert wrong_types(data, PRODUCT_FIELDS) == {}
    assert data["user_id"] == 1
    assert [data[k] for k in ("id", "product_key", "notes", "cost", "qty")] == [10, "WIDGET", "", 0, 1]
    assert (data["archived_at"], data["is_deleted"]) == (None, False)
    assert "user_id" not in api.get("/products/10").json()["data"]


def test_create_product_with_every_field(api: httpx.Client) -> None:
    body = {
        "product_key": "GADGET",
        "notes": " A gadget ",
        "cost": "1,234.56",
        "qty": "2.5",
        "tax_name1": "VAT",
        "tax_rate1": "20",
        "tax_name2": "Extra",
        "tax_rate2": 1.5,
        "custom_value1": "red",
        "custom_value2": 7,
    }
    data = _create(api, **body)
    assert {k: data[k] for k in body} == {
        **body,
        "notes": "A gadget",
        "cost": 1234.56,
        "qty": 2.5,
        "tax_rate1": 20,
        "custom_value2": "7",
    }
    shown = api.get(f"/products/{data['id']}").json()["data"]
    assert shown == {k: v for k, v in data.items() if k != "user_id"}


def test_create_product_without_key_is_422_with_xhr(api: httpx.Client) -> None:
    response = api.post("/products", json={"notes": "no key"}, headers=XHR)
    assert response.status_code == 422
    assert response.json() == KEY_REQUIRED
    assert api.get("/products").json()["meta"]["pagination"]["total"] == 9


def test_create_product_without_key_redirects_without_xhr(api: httpx.Client) -> None:
    response = api.post("/products", json={"product_key": "   "})
    assert response.status_code == 302
    assert "Redirecting to" in response.text


def test_create_product_with_api_secret_input_is_400(api: httpx.Client) -> None:
    response = api.post("/products", json={"api_secret": "x"})
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "The product key field is required."}}


def test_create_product_with_an_array_for_text_is_a_validation_error(api: httpx.Client) -> None:
    response = api.post("/products", json={"product_key": "X", "notes": ["a"]}, headers=XHR)
    assert response.status_code == 422
    assert response.json()["errors"] == {"notes": ["The notes must be a string."]}


def test_create_product_with_public_id_updates_it_even_when_archived(api: httpx.Client) -> None:
    archived = api.put("/products/2", params={"action": "archive"}, json={"product_key": "DESIGN"})
    assert archived.status_code == 200
    response = api.post("/products", json={"public_id": 2, "product_key": "DESIGN2", "cost": 99})
    assert response.status_code == 200
    data = response.json()["data"]
    assert "user_id" not in data
    assert (data["id"], data["product_key"], data["cost"], data["notes"]) == (2, "DESIGN2", 99, "")
    assert isinstance(data["archived_at"], int)
    assert api.get("/products").json()["meta"]["pagination"]["total"] == 9


def test_create_product_with_public_id_of_deleted_or_unknown_is_404(api: httpx.Client) -> None:
    assert api.request("DELETE", "/products/2", json={"product_key": "DESIGN"}).status_code == 200
    for public_id in (2, 999):
        response = api.post("/products", json={"public_id": public_id, "product_key": "X"})
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert api.get("/products").json()["meta"]["pagination"]["total"] == 9


def test_create_product_with_id_creates_a_new_one(api: httpx.Client) -> None:
    data = _create(api, id=1)
    assert data["id"] == 10
    assert api.get("/products/1").json()["data"]["product_key"] == "CONSULT"


def test_created_product_fills_invoice_items(api: httpx.Client) -> None:
    _create(api, product_key="GIZMO", notes="A gizmo", cost=42)
    invoice = api.post("/invoices", json={"client_id": 1, "invoice_items": [{"product_key": "gizmo"}]})
    assert invoice.status_code == 200
    item = invoice.json()["data"]["invoice_items"][0]
    assert (item["product_key"], item["notes"], item["cost"]) == ("gizmo", "A gizmo", 42)


# --- PUT /products/{id} ---------------------------------------------------------------------------------


def test_update_product_resets_notes_cost_and_qty_but_keeps_taxes(api: httpx.Client) -> None:
    created = _create(api, notes="n", cost=5, qty=3, tax_name1="VAT", tax_rate1=20, custom_value1="c")
    response = api.put(f"/products/{created['id']}", json={"product_key": "WIDGET2"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert "user_id" not in data
    assert (data["product_key"], data["notes"], data["cost"], data["qty"]) == ("WIDGET2", "", 0, 1)
    assert (data["tax_name1"], data["tax_rate1"], data["custom_value1"]) == ("VAT", 20, "c")
    assert api.get(f"/products/{created['id']}").json()["data"] == data


def test_patch_product_is_the_same_as_put(api: httpx.Client) -> None:
    response = api.patch("/products/1", json={"product_key": "CONSULT", "notes": "Patched", "cost": 1})
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["notes"], data["cost"], data["qty"]) == ("Patched", 1, 1)


def test_update_product_with_no_change_keeps_updated_at(api: httpx.Client) -> None:
    before = api.get("/products/1").json()["data"]
    response = api.put("/products/1", json=CONSULT)
    assert response.status_code == 200
    assert response.json()["data"] == before


def test_update_product_without_key_is_422(api: httpx.Client) -> None:
    response = api.put("/products/1", json={"notes": "x"}, headers=XHR)
    assert response.status_code == 422
    assert response.json() == KEY_REQUIRED
    assert api.get("/products/1").json()["data"]["notes"] == "Consulting, per hour"


def test_update_product_unknown_id_is_404(api: httpx.Client) -> None:
    response = api.put("/products/999", json={"product_key": "X"})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_update_product_body_product_id_wins_over_the_path(api: httpx.Client) -> None:
    response = api.put("/products/1", json={"product_id": 2, "product_key": "OTHER"})
    assert response.status_code == 200
    assert response.json()["data"]["id"] == 2
    assert api.get("/products/1").json()["data"]["product_key"] == "CONSULT"
    assert api.get("/products/2").json()["data"]["product_key"] == "OTHER"


# --- actions --------------------------------------------------------------------------------------------


def test_archive_and_restore_product(api: httpx.Client) -> None:
    archived = api.put("/products/1", params={"action": "archive"}, json={"product_key": "CONSULT"})
    assert archived.status_code == 200
    data = archived.json()["data"]
    assert (isinstance(data["archived_at"], int), data["is_deleted"]) == (True, False)
    assert data["notes"] == "Consulting, per hour"
    restored = api.put("/products/1", json={"product_key": "CONSULT", "action": "restore"})
    assert restored.status_code == 200
    assert (restored.json()["data"]["archived_at"], restored.json()["data"]["is_deleted"]) == (None, False)


def test_delete_action_then_restore_product(api: httpx.Client) -> None:
    deleted = api.put("/products/1", params={"action": "delete"}, json={"product_key": "CONSULT"})
    assert deleted.status_code == 200
    assert deleted.json()["data"]["is_deleted"] is True
    assert isinstance(deleted.json()["data"]["archived_at"], int)
    restored = api.put("/products/1", params={"action": "restore"}, json={"product_key": "CONSULT"})
    assert restored.status_code == 200
    assert (restored.json()["data"]["is_deleted"], restored.json()["data"]["archived_at"]) == (False, None)


def test_action_without_key_fails_validation_first(api: httpx.Client) -> None:
    response = api.put("/products/1", params={"action": "archive"}, headers=XHR)
    assert response.status_code == 422
    assert response.json() == KEY_REQUIRED
    assert api.get("/products/1").json()["data"]["archived_at"] is None


def test_unknown_and_invoice_only_actions_are_400(api: httpx.Client) -> None:
    for action in ("explode", "markSent", "mark_paid"):
        response = api.put("/products/1", params={"action": action}, json={"product_key": "CONSULT"})
        assert response.status_code == 400
        assert response.json() == {"error": f"Action [{action}] is not supported"}


# --- DELETE /products/{id} ------------------------------------------------------------------------------


def test_delete_product_needs_the_key(api: httpx.Client) -> None:
    response = api.delete("/products/1", headers=XHR)
    assert response.status_code == 422
    assert response.json() == KEY_REQUIRED
    assert api.get("/products/1").json()["data"]["is_deleted"] is False


def test_delete_product_marks_it_deleted_and_keeps_its_fields(api: httpx.Client) -> None:
    response = api.request("DELETE", "/products/1", json={"product_key": "ignored"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["id"], data["product_key"], data["is_deleted"]) == (1, "CONSULT", True)
    assert isinstance(data["archived_at"], int)
    assert api.get("/products/1").json()["data"] == data
    again = api.request("DELETE", "/products/1", json={"product_key": "x"})
    assert again.status_code == 200
    assert again.json()["data"] == data


def test_delete_unknown_product_is_404(api: httpx.Client) -> None:
    response = api.request("DELETE", "/products/999", json={"product_key": "x"})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_deleted_product_no_longer_fills_invoice_items(api: httpx.Client) -> None:
    assert api.request("DELETE", "/products/6", json={"product_key": "AUDIT"}).status_code == 200
    invoice = api.post("/invoices", json={"client_id": 1, "invoice_items": [{"product_key": "AUDIT"}]})
    assert invoice.status_code == 200
    assert invoice.json()["data"]["invoice_items"][0]["cost"] == 0


def test_create_and_edit_routes_are_v4_500s(api: httpx.Client) -> None:
    for path in ("/products/create", "/products/1/edit"):
        response = api.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 500
        assert response.json() == {"message": "Server Error"}


# --- isolation ------------------------------------------------------------------------------------------


def test_other_account_never_sees_these_products(api: httpx.Client, other_api: httpx.Client) -> None:
    created = _create(api, product_key="SECRET")
    listed = other_api.get("/products", params={"per_page": 50})
    assert listed.status_code == 200
    assert "SECRET" not in [p["product_key"] for p in listed.json()["data"]]
    assert listed.json()["meta"]["pagination"]["total"] == 9
    for method in ("GET", "PUT", "DELETE"):
        response = other_api.request(method, f"/products/{created['id']}", json={"product_key": "X"})
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert api.get(f"/products/{created['id']}").json()["data"]["product_key"] == "SECRET"
    other_product = other_api.get("/products/1").json()["data"]
    assert other_product["account_key"] != api.get("/products/1").json()["data"]["account_key"]


def test_without_token_is_403(anonymous: httpx.Client) -> None:
    response = anonymous.get("/products")
    assert response.status_code == 403
    assert response.json() == {"error": {"message": "Invalid token"}}
