"""Tax rates: list, show, create, update, delete, actions (v4-api-behaviour.md §4.9, §5, Appendix A)."""

from __future__ import annotations

from typing import Any

import httpx
from helpers.reference import entity_fields, wrong_types

TAX_RATE_FIELDS = entity_fields("tax_rate")
SHOWN = [name for name, _ in TAX_RATE_FIELDS if name != "user_id"]
XHR = {"X-Requested-With": "XMLHttpRequest"}
NOT_FOUND = {"message": "record does not exist"}
INVALID = "The given data was invalid."
SALES_TAX = {"name": "Sales Tax", "rate": 8.25}
BOTH_REQUIRED = {
    "message": INVALID,
    "errors": {"name": ["The name field is required."], "rate": ["The rate field is required."]},
}


def _archive_vat(api: httpx.Client) -> None:
    response = api.put("/tax_rates/2", params={"action": "archive"}, json={"name": "VAT", "rate": 20})
    assert response.status_code == 200


def _create(api: httpx.Client, **body: Any) -> dict[str, Any]:
    response = api.post("/tax_rates", json={"name": "GST", "rate": 10, **body})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


# --- GET ------------------------------------------------------------------------------------------------


def test_list_tax_rates_newest_created_first(api: httpx.Client) -> None:
    response = api.get("/tax_rates")
    assert response.status_code == 200
    body = response.json()
    assert [(r["id"], r["name"], r["rate"]) for r in body["data"]] == [
        (3, "Reduced", 5),
        (2, "VAT", 20),
        (1, "Sales Tax", 8.25),
    ]
    assert body["meta"]["pagination"]["total"] == 3
    for rate in body["data"]:
        assert list(rate) == SHOWN
        assert wrong_types(rate, TAX_RATE_FIELDS) == {}


def test_list_tax_rates_order_ignores_updates_and_keeps_archived(api: httpx.Client) -> None:
    assert api.put("/tax_rates/1", json={"name": "Sales Tax", "rate": 9}).status_code == 200
    _archive_vat(api)
    created = _create(api)
    rows = api.get("/tax_rates").json()["data"]
    assert [r["id"] for r in rows] == [created["id"], 3, 2, 1]
    assert isinstance(rows[2]["archived_at"], int)
    assert api.get("/tax_rates", params={"filter_active": "1"}).json()["meta"]["pagination"]["total"] == 3


def test_get_tax_rate(api: httpx.Client) -> None:
    response = api.get("/tax_rates/1")
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == SHOWN
    assert {k: data[k] for k in SALES_TAX} == SALES_TAX
    assert (data["is_inclusive"], data["archived_at"]) == (False, None)


def test_get_tax_rate_json_api(api: httpx.Client) -> None:
    response = api.get("/tax_rates", params={"serializer": "json", "per_page": 1})
    assert response.status_code == 200
    resource = response.json()["data"]["data"][0]
    assert (resource["type"], resource["id"]) == ("tax_rate", "3")
    assert list(resource["attributes"]) == [name for name in SHOWN if name != "id"]


def test_get_unknown_tax_rate_is_404(api: httpx.Client) -> None:
    response = api.get("/tax_rates/99")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- POST /tax_rates ------------------------------------------------------------------------------------


def test_create_tax_rate(api: httpx.Client) -> None:
    response = api.post("/tax_rates", json={"name": "GST", "rate": "12.3456", "is_inclusive": True})
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == [name for name, _ in TAX_RATE_FIELDS]
    assert wrong_types(data, TAX_RATE_FIELDS) == {}
    assert (data["id"], data["user_id"], data["name"], data["rate"], data["is_inclusive"]) == (
        4,
        1,
        "GST",
        12.346,
        True,
    )
    assert api.get("/tax_rates/4").json()["data"] == {k: v for k, v in data.items() if k != "user_id"}


def test_create_tax_rate_requires_name_and_rate(api: httpx.Client) -> None:
    response = api.post("/tax_rates", json={}, headers=XHR)
    assert response.status_code == 422
    assert response.json() == BOTH_REQUIRED
    rate_only = api.post("/tax_rates", json={"name": "X", "rate": ""}, headers=XHR)
    assert rate_only.status_code == 422
    assert rate_only.json()["errors"] == {"rate": ["The rate field is required."]}
    assert api.get("/tax_rates").json()["meta"]["pagination"]["total"] == 3


def test_create_tax_rate_with_zero_rate_is_fine(api: httpx.Client) -> None:
    assert _create(api, name="Exempt", rate=0)["rate"] == 0


def test_create_tax_rate_with_public_id_updates_it(api: httpx.Client) -> None:
    response = api.post("/tax_rates", json={"public_id": 2, "name": "VAT high", "rate": 21})
    assert response.status_code == 200
    data = response.json()["data"]
    assert "user_id" not in data
    assert (data["id"], data["name"], data["rate"]) == (2, "VAT high", 21)
    assert api.get("/tax_rates").json()["meta"]["pagination"]["total"] == 3


def test_create_tax_rate_with_public_id_of_archived_or_empty_is_404(api: httpx.Client) -> None:
    _archive_vat(api)
    for public_id in (2, 99, "", 0):
        response = api.post("/tax_rates", json={"public_id": public_id, "name": "X", "rate": 1})
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert api.get("/tax_rates").json()["meta"]["pagination"]["total"] == 3


# --- PUT /tax_rates/{id} --------------------------------------------------------------------------------


def test_update_tax_rate_keeps_what_is_not_given(api: httpx.Client) -> None:
    created = _create(api, is_inclusive=True)
    response = api.put(f"/tax_rates/{created['id']}", json={"name": "GST new", "rate": "7.5"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["name"], data["rate"], data["is_inclusive"]) == ("GST new", 7.5, True)
    assert api.get(f"/tax_rates/{created['id']}").json()["data"] == data


def test_update_tax_rate_requires_name_and_rate(api: httpx.Client) -> None:
    response = api.put("/tax_rates/1", json={"rate": 1}, headers=XHR)
    assert response.status_code == 422
    assert response.json() == {"message": INVALID, "errors": {"name": ["The name field is required."]}}
    assert api.get("/tax_rates/1").json()["data"]["rate"] == 8.25


def test_update_unknown_tax_rate_is_404(api: httpx.Client) -> None:
    response = api.put("/tax_rates/99", json=SALES_TAX)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_archive_and_restore_tax_rate(api: httpx.Client) -> None:
    archived = api.put("/tax_rates/1", params={"action": "archive"}, json=SALES_TAX)
    assert archived.status_code == 200
    assert isinstance(archived.json()["data"]["archived_at"], int)
    restored = api.put("/tax_rates/1", params={"action": "restore"}, json=SALES_TAX)
    assert restored.status_code == 200
    assert restored.json()["data"]["archived_at"] is None
    assert list(restored.json()["data"]) == SHOWN


def test_action_without_name_and_rate_fails_validation(api: httpx.Client) -> None:
    response = api.put("/tax_rates/1", params={"action": "archive"}, headers=XHR)
    assert response.status_code == 422
    assert response.json() == BOTH_REQUIRED
    assert api.get("/tax_rates/1").json()["data"]["archived_at"] is None


def test_unknown_action_is_400(api: httpx.Client) -> None:
    response = api.put("/tax_rates/1", params={"action": "emailInvoice"}, json=SALES_TAX)
    assert response.status_code == 400
    assert response.json() == {"error": "Action [emailInvoice] is not supported"}


# --- delete (v4: 500; the sandbox soft-deletes) ---------------------------------------------------------


def test_delete_tax_rate_soft_deletes_it(api: httpx.Client) -> None:
    response = api.request("DELETE", "/tax_rates/1", json={"name": "ignored", "rate": 0})
    assert response.status_code == 200
    data = response.json()["data"]
    assert list(data) == SHOWN
    assert (data["id"], data["name"], data["rate"]) == (1, "Sales Tax", 8.25)
    assert isinstance(data["archived_at"], int)
    assert api.get("/tax_rates/1").json()["data"] == data
    restored = api.put("/tax_rates/1", params={"action": "restore"}, json=SALES_TAX)
    assert restored.json()["data"]["archived_at"] is None


def test_delete_action_on_tax_rate_soft_deletes_it(api: httpx.Client) -> None:
    response = api.put("/tax_rates/2", params={"action": "delete"}, json={"name": "VAT", "rate": 20})
    assert response.status_code == 200
    assert isinstance(response.json()["data"]["archived_at"], int)
    assert "is_deleted" not in response.json()["data"]


def test_delete_tax_rate_validates_like_an_update(api: httpx.Client) -> None:
    response = api.delete("/tax_rates/1", headers=XHR)
    assert response.status_code == 422
    assert response.json() == BOTH_REQUIRED
    assert api.get("/tax_rates/1").json()["data"]["archived_at"] is None


def test_delete_unknown_tax_rate_is_404(api: httpx.Client) -> None:
    response = api.request("DELETE", "/tax_rates/99", json=SALES_TAX)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- isolation ------------------------------------------------------------------------------------------


def test_other_account_never_sees_these_tax_rates(api: httpx.Client, other_api: httpx.Client) -> None:
    created = _create(api, name="Secret tax")
    listed = other_api.get("/tax_rates")
    assert listed.status_code == 200
    assert listed.json()["meta"]["pagination"]["total"] == 3
    assert "Secret tax" not in [r["name"] for r in listed.json()["data"]]
    for method in ("GET", "PUT", "DELETE"):
        response = other_api.request(method, f"/tax_rates/{created['id']}", json={"name": "X", "rate": 1})
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert api.get(f"/tax_rates/{created['id']}").json()["data"]["archived_at"] is None
