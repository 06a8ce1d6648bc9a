"""Isolation: one account never reads, changes or lists another's records; namespaces share nothing.

The matrix runs every route of ``api_routes()``: account B (``TOKEN2``) sends each one, with the ids
of records only account A (``TOKEN``) has, and with A's ids in every reference field of its writes.
Afterwards everything A can see is exactly what it was, and none of B's answers holds anything of
A's (its account key, or the marker text A's records carry). The other way round, A's answers never
hold B's. The journal, outbox and webhook log are filtered per account by the admin API, and
namespaces (header or token suffix) each keep their own data, journal, outbox and webhooks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from helpers.receiver import Receiver, webhook_receiver

from sandbox.api import api_routes
from sandbox.api.routing import Auth

A_MARK = "alpha-only-7f3a"
B_MARK = "bravo-only-9c2e"
NAMESPACE = "X-Sandbox-Namespace"
#: Lists and account-wide reads: everything an account can see without naming an id.
VIEW_EXTRA = ("/accounts", "/user_accounts", "/dashboard")
#: Which list holds the records behind each id parameter.
ID_SOURCES = {"invoice_id": "invoices", "subscription_id": "hooks"}
ACTIONS = ("archive", "delete", "restore", "mark_sent", "markPaid", "emailInvoice", "convert", "approve")


def _list_paths() -> list[str]:
    routes = api_routes()
    paths = [r.template for r in routes if r.method == "GET" and r.name.endswith(".index")]
    return [p.removeprefix("/api/v1") for p in paths] + list(VIEW_EXTRA)


def _id_routes() -> list[tuple[str, str, str]]:
    """``(method, template, source list)`` for every API route that takes a record id."""
    found = []
    for route in api_routes():
        names = re.findall(r"\{(\w+)\}", route.template)
        if names and route.auth is not Auth.SECRET:
            found.append(
                (route.method, route.template.removeprefix("/api/v1"), ID_SOURCES.get(names[0], names[0]))
            )
    return found


def view(api: httpx.Client, **headers: str) -> dict[str, Any]:
    """Everything an account can see through its lists and account-wide reads."""
    seen: dict[str, Any] = {}
    for path in _list_paths():
        response = api.get(path, params={"per_page": -1}, headers=headers)
        assert response.status_code == 200, f"{path}: {response.text[:200]}"
        seen[path] = response.json()
        for row in seen[path]["data"] if path == "/tasks" else []:
            if row["is_running"]:
                del row["duration"]  # a running task's duration grows with the clock
    return seen


def _ids(api: httpx.Client, path: str, admin: httpx.Client, account_id: int) -> set[int]:
    """The ids of an account's records; from the stored state for lists that show none (payment terms)."""
    response = api.get(path, params={"per_page": -1})
    assert response.status_code == 200, response.text
    rows = response.json()["data"]
    if all("id" in row for row in rows):
        return {int(row["id"]) for row in rows}
    stored = admin.get("/state").json()[path.strip("/")].values()
    return {
        int(row["public_id"]) for row in stored if row["account_id"] == account_id and not row["deleted_at"]
    }


def _mark_account(api: httpx.Client, mark: str, receiver: Receiver, n: int = 0) -> int:
    """Records of every kind carrying ``mark``, so a leak of any of them can be seen in any answer.

    Returns the id of the webhook subscription made (subscriptions have no list route)."""
    client = api.post(
        "/clients", json={"name": f"{mark} client", "contacts": [{"email": f"{mark}@example.com"}]}
    )
    assert client.status_code == 200, client.text
    client_id = client.json()["data"]["id"]
    invoice = api.post(
        "/invoices",
        json={
            "client_id": client_id,
            "public_notes": mark,
            "invoice_items": [{"product_key": mark, "cost": 7, "qty": 1}],
        },
    )
    assert invoice.status_code == 200, invoice.text
    writes = [
        (
            "/payments",
            {"invoice_id": invoice.json()["data"]["id"], "amount": 1, "transaction_reference": mark},
        ),
        ("/credits", {"client_id": client_id, "amount": 3, "private_notes": mark}),
        # The key alone does not carry the mark: another account may use the same key.
        ("/products", {"product_key": f"key-{mark[-4:]}-{n}", "notes": f"{mark} notes", "cost": 777}),
        ("/tax_rates", {"name": f"{mark} tax {n}", "rate": 3}),
        ("/projects", {"name": f"{mark} project {n}", "client_id": client_id}),
        ("/tasks", {"description": f"{mark} task", "client_id": client_id}),
        ("/vendors", {"name": f"{mark} vendor {n}"}),
        ("/expense_categories", {"name": f"{mark} category {n}"}),
        ("/expenses", {"amount": 9, "private_notes": mark}),
        ("/payment_terms", {"num_days": (70 if mark == A_MARK else 80) + n}),
        ("/hooks", {"target_url": f"{receiver.url}/{mark}", "event": "create_client"}),
        ("/users", {"first_name": mark, "last_name": str(n), "email": f"{mark}-{n}@example.com"}),
    ]
    hook = 0
    for path, body in writes:
        response = api.post(path, json=body)
        assert response.status_code in (200, 201), f"{path}: {response.text[:300]}"
        if path == "/hooks":
            hook = int(response.json()["id"])
    files = {"file": (f"{mark}.txt", mark.encode(), "text/plain")}
    uploaded = api.post("/documents", files=files, data={"invoice_id": invoice.json()["data"]["id"]})
    assert uploaded.status_code == 200, uploaded.text
    return hook


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as running:
        yield running


def _assert_nothing_of(response: httpx.Response, key: str, mark: str, what: str) -> None:
    assert key not in response.text, f"{what} answered {response.status_code} with the other account's key"
    assert mark not in response.text, f"{what} answered {response.status_code} with the other account's data"


def test_no_route_lets_one_account_reach_anothers_records(
    api: httpx.Client, other_api: httpx.Client, admin: httpx.Client, receiver: Receiver
) -> None:
    hooks = {"B": {_mark_account(other_api, B_MARK, receiver)}, "A": set()}
    sources = {source for _, _, source in _id_routes()} - {"hooks"}
    for n in range(5):  # until A has a record of every kind that B has no id for
        hooks["A"].add(_mark_account(api, A_MARK, receiver, n))
        only_a = {
            source: _ids(api, f"/{source}", admin, 1) - _ids(other_api, f"/{source}", admin, 2)
            for source in sources
        }
        only_a["hooks"] = hooks["A"] - hooks["B"]
        if all(only_a.values()):
            break
        if all(only_a.values()):
            break
    key_a = api.get("/accounts").json()["data"]["account_key"]
    key_b = other_api.get("/accounts").json()["data"]["account_key"]
    assert key_a != key_b
    a_before = view(api)
    b_view = view(other_api)
    for path, seen in b_view.items():  # B's lists hold nothing of A's
        text = str(seen)
        assert key_a not in text, path
        assert A_MARK not in text, path

    assert all(only_a.values()), {source: found for source, found in only_a.items() if not found}
    # Every id route, with an id only A has.
    ids = {source: max(found) for source, found in only_a.items()}
    tried = 0
    outcomes: Counter[tuple[int, str]] = Counter()
    for method, template, source in _id_routes():
        path = re.sub(r"\{\w+\}", str(ids[source]), template)
        variants = [{}]
        if method in ("PUT", "PATCH"):
            variants += [{"action": action} for action in ACTIONS]
        for params in variants:
            response = other_api.request(method, path, params=params, json={"name": "hijacked", "amount": 1})
            tried += 1
            what = f"{method} {path} {params}"
            outcomes[(response.status_code, template.split("/")[1])] += 1
            if response.status_code < 300 or response.status_code == 500:
                # ``/users/{id}`` acts on the caller whatever the id (v4's UpdateUserRequest); the 500s are
                # v4's own on routes without a controller method (``/edit``).
                assert template.startswith("/users/") or template.endswith("/edit"), what
            _assert_nothing_of(response, key_a, A_MARK, what)

    # Every kind was refused somewhere (404 record does not exist, mostly), and none was answered 2xx
    # except the users routes, which act on the caller.
    assert {kind for (status, kind) in outcomes if status == 404} >= {s.strip("/") for s in sources}
    # Writes from B that name A's records in their reference fields.
    client_a, invoice_a = ids["clients"], ids["invoices"]
    project_a, vendor_a = ids["projects"], ids["vendors"]
    hostile = [
        ("POST", "/invoices", {"client_id": client_a, "invoice_items": [{"product_key": "x"}]}),
        ("POST", "/payments", {"invoice_id": invoice_a, "amount": 1}),
        ("POST", "/credits", {"client_id": client_a, "amount": 1}),
        (
            "POST",
            "/contacts",
            {"client_id": client_a, "first_name": "x", "last_name": "y", "email": "x@y.example"},
        ),
        ("POST", "/projects", {"client_id": client_a, "name": "hijack"}),
        ("POST", "/tasks", {"client_id": client_a, "project_id": project_a}),
        ("POST", "/expenses", {"client_id": client_a, "vendor_id": vendor_a, "amount": 1}),
        ("POST", "/email_invoice", {"id": invoice_a}),
    ]
    for method, path, body in hostile:
        response = other_api.request(method, path, json=body)
        tried += 1
        _assert_nothing_of(response, key_a, A_MARK, f"{method} {path}")
    upload = other_api.post(
        "/documents", files={"file": ("x.txt", b"x", "text/plain")}, data={"invoice_id": invoice_a}
    )
    assert upload.status_code == 404
    _assert_nothing_of(upload, key_a, A_MARK, "POST /documents")
    # An item naming A's product key takes nothing from A's product (B's own products are looked up).
    own_client = min(_ids(other_api, "/clients", admin, 2))
    body = {"client_id": own_client, "invoice_items": [{"product_key": f"key-{A_MARK[-4:]}-0"}]}
    invoice_b = other_api.post("/invoices", json=body)
    assert invoice_b.status_code == 200, invoice_b.text
    item = invoice_b.json()["data"]["invoice_items"][0]
    assert (item["cost"], item["notes"]) == (0, "")
    _assert_nothing_of(invoice_b, key_a, A_MARK, "POST /invoices with A's product key")

    assert view(api) == a_before, "account B changed something account A sees"
    for path in _list_paths():  # and the other way round: A's answers hold nothing of B's
        _assert_nothing_of(api.get(path, params={"per_page": -1}), key_b, B_MARK, f"A: GET {path}")
    assert tried > 100


def test_journal_outbox_and_webhooks_are_filtered_per_account(
    api: httpx.Client, other_api: httpx.Client, admin: httpx.Client, receiver: Receiver
) -> None:
    key_a = api.get("/accounts").json()["data"]["account_key"]
    key_b = other_api.get("/accounts").json()["data"]["account_key"]
    for client, mark in ((api, A_MARK), (other_api, B_MARK)):
        assert (
            client.post(
                "/hooks", json={"target_url": f"{receiver.url}/{mark}", "event": "create_client"}
            ).status_code
            == 201
        )
        assert client.post("/clients", json={"name": f"{mark} hooked"}).status_code == 200
        assert client.post("/email_invoice", json={"id": 1}).json() == {"message": "success"}
    deliveries = receiver.wait_for(2)
    assert len(deliveries) == 2
    for delivery in deliveries:
        mark = delivery.path.strip("/")
        other = B_MARK if mark == A_MARK else A_MARK
        assert delivery.body["name"] == f"{mark} hooked"  # each subscriber hears its own account only
        assert other not in str(delivery.body)

    for key, other_key, mark in ((key_a, key_b, A_MARK), (key_b, key_a, B_MARK)):
        found = admin.post("/requests/find", json={"account": key})
        assert found.status_code == 200
        entries = found.json()["requests"]
        assert len(entries) == 4  # GET /accounts, POST /hooks, POST /clients, POST /email_invoice
        assert {entry["account_key"] for entry in entries} == {key}
        outbox = admin.get("/outbox", params={"account_key": key}).json()
        assert outbox["total"] >= 1  # one message per contact of invoice 1
        assert {message["account_key"] for message in outbox["messages"]} == {key}
        assert other_key not in str(outbox["messages"])
        webhooks = admin.get("/webhooks", params={"account_key": key}).json()
        assert webhooks["total"] == 1
        assert mark in str(webhooks["deliveries"][0])
        assert other_key not in str(webhooks["deliveries"])


@pytest.fixture
def cleanup_namespaces(admin: httpx.Client) -> Iterator[None]:
    yield
    for each in admin.get("/namespaces").json()["namespaces"]:
        assert admin.delete(f"/namespaces/{each['name']}").status_code == 200


@pytest.mark.usefixtures("cleanup_namespaces")
def test_namespaces_share_no_data_journal_outbox_or_webhooks(
    api: httpx.Client, admin: httpx.Client, receiver: Receiver
) -> None:
    default_before = view(api)
    b_before = view(api, **{NAMESPACE: "iso-b"})
    admin.delete("/requests")
    journal_b = admin.get("/requests", headers={NAMESPACE: "iso-b"}).json()["total"]

    # Namespace a, once by header and once by token suffix: both reach the same copy.
    in_a = {NAMESPACE: "iso-a"}
    suffix = {"X-Ninja-Token": "TOKEN~iso-a"}
    assert (
        api.post(
            "/hooks", json={"target_url": f"{receiver.url}/a", "event": "create_client"}, headers=in_a
        ).status_code
        == 201
    )
    assert api.post("/clients", json={"name": f"{A_MARK} in a"}, headers=suffix).status_code == 200
    assert api.post("/email_invoice", json={"id": 1}, headers=in_a).json() == {"message": "success"}
    assert receiver.wait_for(1)[0].body["name"] == f"{A_MARK} in a"

    names_in_a = [
        c["name"] for c in api.get("/clients", params={"per_page": -1}, headers=in_a).json()["data"]
    ]
    assert f"{A_MARK} in a" in names_in_a
    assert view(api) == default_before
    assert view(api, **{NAMESPACE: "iso-b"}) == b_before

    journal_a = admin.get("/requests", headers=in_a).json()
    assert [(e["method"], e["path"]) for e in journal_a["requests"]] == [
        ("POST", "/api/v1/hooks"),
        ("POST", "/api/v1/clients"),
        ("POST", "/api/v1/email_invoice"),
        ("GET", "/api/v1/clients"),
    ]
    assert A_MARK not in str(admin.get("/requests").json())
    default_paths = {e["path"] for e in admin.get("/requests").json()["requests"]}
    assert "/api/v1/hooks" not in default_paths
    assert "/api/v1/email_invoice" not in default_paths
    assert admin.get("/requests", headers={NAMESPACE: "iso-b"}).json()["total"] == journal_b + len(
        _list_paths()
    )
    assert admin.get("/outbox", headers=in_a).json()["total"] >= 1
    assert admin.get("/outbox").json()["total"] == 0
    assert admin.get("/outbox", headers={NAMESPACE: "iso-b"}).json()["total"] == 0
    assert admin.get("/webhooks", headers=in_a).json()["total"] == 1
    assert admin.get("/webhooks").json()["total"] == 0
    assert admin.get("/webhooks", headers={NAMESPACE: "iso-b"}).json()["total"] == 0

    # A write in the default namespace is just as invisible in a.
    assert api.post("/clients", json={"name": f"{B_MARK} default"}).status_code == 200
    assert B_MARK not in str(api.get("/clients", params={"per_page": -1}, headers=in_a).json())
    assert len(receiver.received) == 1  # a's subscription did not hear the default namespace's client
