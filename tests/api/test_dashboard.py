"""``GET /dashboard`` (reference §8; DashboardApiController and DashboardRepository)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
from helpers.reference import entity_fields, wrong_types

KEYS = [
    "id",
    "paidToDate",
    "paidToDateCurrency",
    "balances",
    "balancesCurrency",
    "averageInvoice",
    "averageInvoiceCurrency",
    "invoicesSent",
    "activeClients",
    "activities",
]


def _dashboard(client: httpx.Client, **params: Any) -> dict[str, Any]:
    response = client.get("/dashboard", params=params)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _rows(client: httpx.Client, path: str) -> list[dict[str, Any]]:
    response = client.get(path, params={"per_page": 5000})
    assert response.status_code == 200
    rows: list[dict[str, Any]] = response.json()["data"]
    return rows


def _cents(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def _expected(client: httpx.Client) -> dict[str, Any]:
    """The dashboard figures, computed from what the list endpoints show."""
    account = client.get("/accounts").json()["data"]
    clients = {c["id"]: c for c in _rows(client, "/clients")}
    invoices = {i["id"]: i for i in _rows(client, "/invoices")}
    billed = [
        i
        for i in invoices.values()
        if not clients[i["client_id"]]["is_deleted"]
        and not i["is_deleted"]
        and i["is_public"]
        and i["invoice_type_id"] == 1
        and not i["is_recurring"]
    ]

    def currency(client_id: int) -> int:
        return clients[client_id]["currency_id"] or account["currency_id"]

    paid: dict[int, Decimal] = defaultdict(Decimal)
    for payment in _rows(client, "/payments"):
        invoice = invoices.get(payment["invoice_id"])
        if payment["is_deleted"] or payment["payment_status_id"] in (2, 3) or invoice is None:
            continue
        if invoice["is_deleted"] or clients[invoice["client_id"]]["is_deleted"]:
            continue
        paid[currency(invoice["client_id"])] += _cents(payment["amount"]) - _cents(payment["refunded"])
    amounts: dict[int, list[Decimal]] = defaultdict(list)
    for invoice in billed:
        amounts[currency(invoice["client_id"])].append(_cents(invoice["amount"]))
    first_paid, first_average = min(paid), min(amounts)
    average = sum(amounts[first_average], Decimal(0)) / len(amounts[first_average])
    return {
        "paidToDate": float(paid[first_paid]),
        "paidToDateCurrency": first_paid,
        "averageInvoice": float(average.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)),
        "averageInvoiceCurrency": first_average,
        "invoicesSent": sum(1 for i in billed if i["invoice_status_id"] >= 2),
        "activeClients": len({i["client_id"] for i in billed}),
    }


def test_dashboard_shape_and_types(api: httpx.Client) -> None:
    response = api.get("/dashboard")
    assert response.status_code == 200
    assert response.headers["X-Ninja-Version"] == "4.5.50"
    data = response.json()["data"]
    assert list(data) == KEYS
    assert wrong_types(data, entity_fields("dashboard")) == {}
    assert data["id"] == 1
    activity = data["activities"][0]
    assert list(activity) == [name for name, _ in entity_fields("activity")]
    assert wrong_types(activity, entity_fields("activity")) == {}


def test_dashboard_figures_come_from_the_accounts_data(api: httpx.Client) -> None:
    data = _dashboard(api)
    expected = _expected(api)
    assert {key: data[key] for key in expected} == expected
    assert data["invoicesSent"] > 0
    assert data["paidToDate"] > 0


def test_dashboard_balances_are_always_zero_as_in_v4(api: httpx.Client, other_api: httpx.Client) -> None:
    # The API controller passes the account object where its id belongs, so the query finds nothing.
    data = _dashboard(api)
    assert data["balances"] == 0
    assert data["balancesCurrency"] == 1
    theirs = _dashboard(other_api)
    assert theirs["balances"] == 0
    assert theirs["balancesCurrency"] == 3


def test_dashboard_activities_are_the_latest_hundred(api: httpx.Client) -> None:
    activities = _dashboard(api)["activities"]
    assert len(activities) == 100
    times = [a["updated_at"] for a in activities]
    assert times == sorted(times, reverse=True)
    clients = {c["id"] for c in _rows(api, "/clients")}
    assert {a["client_id"] for a in activities if a["client_id"] is not None} <= clients


def test_dashboard_follows_a_new_payment(api: httpx.Client, admin: httpx.Client) -> None:
    before = _dashboard(api)
    # The demo history runs up to its anchor date; move the clock past it so the payment is newest.
    latest = before["activities"][0]["updated_at"]
    assert admin.post("/clock", json={"freeze": latest + 60}).status_code == 200
    open_invoices = [
        i
        for i in _rows(api, "/invoices")
        if i["balance"] > 10 and i["invoice_type_id"] == 1 and i["is_public"] and not i["is_deleted"]
    ]
    currencies = {c["id"]: c["currency_id"] for c in _rows(api, "/clients")}
    invoice = next(i for i in open_invoices if currencies[i["client_id"]] == before["paidToDateCurrency"])
    created = api.post("/payments", json={"invoice_id": invoice["id"], "amount": 10})
    assert created.status_code == 200, created.text
    after = _dashboard(api)
    assert after["paidToDate"] == float(_cents(before["paidToDate"]) + 10)
    newest = [a for a in after["activities"] if a["updated_at"] == after["activities"][0]["updated_at"]]
    assert (10, created.json()["data"]["id"]) in [(a["activity_type_id"], a["payment_id"]) for a in newest]
    assert {key: after[key] for key in _expected(api)} == _expected(api)


def test_dashboard_only_activity(api: httpx.Client) -> None:
    full = _dashboard(api)
    data = _dashboard(api, only_activity=1)
    assert list(data) == ["id", "activities"]
    assert data["activities"] == full["activities"]


def test_dashboard_is_scoped_to_the_account(api: httpx.Client, other_api: httpx.Client) -> None:
    mine, theirs = _dashboard(api), _dashboard(other_api)
    assert theirs["activities"] != mine["activities"]
    assert theirs == {**theirs, **_expected(other_api)}
    their_clients = {c["id"] for c in _rows(other_api, "/clients")}
    assert {a["client_id"] for a in theirs["activities"] if a["client_id"]} <= their_clients


def test_dashboard_users_without_view_reports_see_their_own_data(api: httpx.Client, base_url: str) -> None:
    user = {
        "first_name": "A",
        "last_name": "B",
        "email": "clerk@example.com",
        "password": "pw",
        "is_admin": False,
    }
    assert api.post("/users", json=user).status_code == 200
    login = api.post(
        "/login",
        json={"email": "clerk@example.com", "password": "pw", "api_secret": "SECRET", "token_name": "t"},
    )
    token = login.json()["data"][0]["token"]
    with httpx.Client(base_url=base_url + "/api/v1", headers={"X-Ninja-Token": token}, timeout=10) as clerk:
        data = _dashboard(clerk)
    assert data["paidToDate"] == 0
    assert data["paidToDateCurrency"] == 1
    assert data["averageInvoice"] == 0
    assert data["invoicesSent"] == 0
    assert data["activeClients"] == 0
    assert data["activities"] == []


def test_dashboard_serializer_json_wraps_activities(api: httpx.Client) -> None:
    data = api.get("/dashboard", params={"serializer": "json", "only_activity": 1}).json()["data"]
    first = data["activities"]["data"][0]
    assert first["type"] == "activity"
    assert "id" not in first["attributes"]


def test_dashboard_without_token_is_403(anonymous: httpx.Client) -> None:
    response = anonymous.get("/dashboard")
    assert response.status_code == 403
    assert response.text == '{"error":{"message":"Invalid token"}}'
