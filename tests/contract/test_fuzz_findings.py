"""Inputs the fuzzer found crashing the sandbox, each now answered as v4 (with MySQL, not strict) answers."""

from __future__ import annotations

import httpx


def _no_server_errors(admin: httpx.Client) -> None:
    assert admin.get("/errors").json()["total"] == 0


def test_money_too_large_to_round_is_stored_as_given(api: httpx.Client, admin: httpx.Client) -> None:
    # PHP's round() leaves a value alone once it is beyond float precision.
    response = api.post("/credits", json={"client_id": 1, "amount": 1e20})
    assert response.status_code == 200
    assert response.json()["data"]["amount"] == 1e20
    assert response.json()["data"]["balance"] == 1e20
    response = api.post("/projects", json={"client_id": 1, "name": "Big", "task_rate": -9.6e106})
    assert response.status_code == 200
    assert response.json()["data"]["task_rate"] == -9.6e106
    _no_server_errors(admin)


def test_unreadable_dates_become_the_zero_date_and_loose_ones_are_read(api: httpx.Client) -> None:
    response = api.post("/projects", json={"client_id": 1, "name": "Soon", "due_date": "soon"})
    assert response.status_code == 200
    assert response.json()["data"]["due_date"] == "0000-00-00"
    response = api.post("/projects", json={"client_id": 1, "name": "Slashes", "due_date": "2024/1/5"})
    assert response.status_code == 200
    assert response.json()["data"]["due_date"] == "2024-01-05"
    response = api.post("/credits", json={"client_id": 1, "amount": 5, "credit_date": "2024-02-30"})
    assert response.status_code == 200
    assert response.json()["data"]["credit_date"] == "0000-00-00"


def test_huge_page_parameters_are_read_as_php_reads_them(api: httpx.Client) -> None:
    response = api.get("/clients", params={"per_page": "67972639906096857088"})
    assert response.status_code == 200
    assert response.json()["meta"]["pagination"]["per_page"] == 2**63 - 1
    assert response.json()["meta"]["pagination"]["count"] == 12
    response = api.get("/vendors", params={"page": "7941964148807183085984342524806823936"})
    assert response.status_code == 200
    assert response.json()["meta"]["pagination"]["current_page"] == 1


def test_integers_beyond_an_int_column_are_clipped(api: httpx.Client, admin: httpx.Client) -> None:
    body = {"name": "Far", "country_id": 10**30, "payment_terms": 2**31 - 1}
    response = api.post("/clients", json=body)
    assert response.status_code == 200
    client = response.json()["data"]
    assert client["country_id"] == 2**31 - 1
    assert client["payment_terms"] == 2**31 - 1
    # Carbon's due date lands millions of years ahead; the DATE column keeps the zero date.
    items = [{"product_key": "x", "cost": 1, "qty": 1}]
    response = api.post("/invoices", json={"client_id": client["id"], "invoice_items": items})
    assert response.status_code == 200
    assert response.json()["data"]["due_date"] == "0000-00-00"
    _no_server_errors(admin)


def test_dashboard_sums_invoices_of_any_size(api: httpx.Client, admin: httpx.Client) -> None:
    response = api.post("/invoices", json={"client_id": 1, "custom_value1": 1e30, "is_public": True})
    assert response.status_code == 200
    assert response.json()["data"]["amount"] == 1e30
    response = api.get("/dashboard")
    assert response.status_code == 200
    assert response.json()["data"]["id"] == 1
    _no_server_errors(admin)
