"""Reads after every kind of write show the new state (the read cache and the sorted list indexes).

Each test reads first, twice, so the answers are cached, then writes through one path, then reads
again and checks the new state is what it shows.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest


def _read(api: httpx.Client, path: str) -> Any:
    """GET twice (the second answer comes from the cache when one is kept) and check both agree."""
    first = api.get(path)
    second = api.get(path)
    assert first.status_code == second.status_code == 200, first.text
    assert first.content == second.content
    return second.json()


def _new_invoice(api: httpx.Client, client_id: int = 1, cost: float = 100) -> dict[str, Any]:
    items = [{"product_key": "Coherence", "notes": "line", "cost": cost, "qty": 1}]
    answer = api.post("/invoices", json={"client_id": client_id, "invoice_items": items})
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data


def _client_doc_id(admin: httpx.Client, public_id: int) -> str:
    clients = admin.get("/state").json()["clients"]
    wanted = (1, public_id)
    return next(key for key, doc in clients.items() if (doc["account_id"], doc["public_id"]) == wanted)


def test_create_shows_in_the_list_the_client_filter_and_the_client(api: httpx.Client) -> None:
    page = _read(api, "/invoices?per_page=15")
    by_client = _read(api, "/invoices?client_id=2")
    client = _read(api, "/clients/2")["data"]
    invoice = _new_invoice(api, client_id=2, cost=250)
    page_after = _read(api, "/invoices?per_page=15")
    assert page_after["meta"]["pagination"]["total"] == page["meta"]["pagination"]["total"] + 1
    assert page_after["data"][0]["id"] == invoice["id"]
    assert [row["id"] for row in page_after["data"][0]["invoice_items"]] == [
        row["id"] for row in invoice["invoice_items"]
    ]
    by_client_after = _read(api, "/invoices?client_id=2")
    assert by_client_after["meta"]["pagination"]["total"] == by_client["meta"]["pagination"]["total"] + 1
    assert by_client_after["data"][0]["id"] == invoice["id"]
    assert _read(api, "/invoices?client_id=3")["data"][0]["id"] != invoice["id"]
    assert _read(api, f"/invoices/{invoice['id']}")["data"]["amount"] == 250
    client_after = _read(api, "/clients/2")["data"]
    assert client_after["updated_at"] >= client["updated_at"]


def test_update_shows_in_the_record_and_moves_it_to_the_top_of_the_list(api: httpx.Client) -> None:
    invoices = _read(api, "/invoices?per_page=100")["data"]
    oldest = invoices[-1]
    assert _read(api, f"/invoices/{oldest['id']}")["data"]["po_number"] != "PO-COHERENCE"
    answer = api.put(f"/invoices/{oldest['id']}", json={"po_number": "PO-COHERENCE"})
    assert answer.status_code == 200, answer.text
    assert _read(api, f"/invoices/{oldest['id']}")["data"]["po_number"] == "PO-COHERENCE"
    top = _read(api, "/invoices?per_page=100")["data"]
    assert top[0]["id"] == oldest["id"]
    assert len(top) == len(invoices)
    since = top[0]["updated_at"]
    recent = _read(api, f"/invoices?updated_at={since}")["data"]
    assert oldest["id"] in [row["id"] for row in recent]
    assert all(row["updated_at"] >= since for row in recent)


def test_client_update_with_contacts_shows_in_the_client(api: httpx.Client) -> None:
    client = _read(api, "/clients/1")["data"]
    contacts = [{"id": contact["id"], "first_name": "Changed"} for contact in client["contacts"]]
    answer = api.put("/clients/1", json={"name": "Renamed Client", "contacts": contacts})
    assert answer.status_code == 200, answer.text
    shown = _read(api, "/clients/1")["data"]
    assert shown["name"] == "Renamed Client"
    assert {contact["first_name"] for contact in shown["contacts"]} == {"Changed"}
    assert _read(api, "/clients?per_page=1")["data"][0]["name"] == "Renamed Client"


def test_action_shows_in_the_record_and_the_active_list(api: httpx.Client) -> None:
    invoice = _new_invoice(api)
    assert _read(api, f"/invoices/{invoice['id']}")["data"]["archived_at"] is None
    active = _read(api, "/invoices?filter_active=1&per_page=500")["data"]
    assert invoice["id"] in [row["id"] for row in active]
    answer = api.put(f"/invoices/{invoice['id']}?action=archive")
    assert answer.status_code == 200, answer.text
    assert _read(api, f"/invoices/{invoice['id']}")["data"]["archived_at"] is not None
    active_after = _read(api, "/invoices?filter_active=1&per_page=500")["data"]
    assert invoice["id"] not in [row["id"] for row in active_after]


def test_payment_shows_in_the_invoice_and_the_client(api: httpx.Client) -> None:
    invoice = _new_invoice(api, cost=80)
    assert _read(api, f"/invoices/{invoice['id']}")["data"]["balance"] == 80
    client = _read(api, "/clients/1")["data"]
    answer = api.post("/payments", json={"invoice_id": invoice["id"], "amount": 30})
    assert answer.status_code == 200, answer.text
    assert _read(api, f"/invoices/{invoice['id']}")["data"]["balance"] == 50
    client_after = _read(api, "/clients/1")["data"]
    assert client_after["paid_to_date"] == pytest.approx(client["paid_to_date"] + 30)


def test_json_patch_of_the_state_shows_in_reads(api: httpx.Client, admin: httpx.Client) -> None:
    assert _read(api, "/clients/1")["data"]["name"] != "Patched Name"
    assert _read(api, "/clients?per_page=1")["data"][0]["id"] != 1
    doc_id = _client_doc_id(admin, 1)
    patch = [
        {"op": "replace", "path": f"/clients/{doc_id}/name", "value": "Patched Name"},
        {"op": "replace", "path": f"/clients/{doc_id}/updated_at", "value": 4102444800},
    ]
    headers = {"Content-Type": "application/json-patch+json"}
    answer = admin.patch("/state", content=json.dumps(patch), headers=headers)
    assert answer.status_code == 200, answer.text
    assert _read(api, "/clients/1")["data"]["name"] == "Patched Name"
    assert _read(api, "/clients?per_page=1")["data"][0]["id"] == 1


def test_put_state_shows_in_reads(api: httpx.Client, admin: httpx.Client) -> None:
    assert _read(api, "/clients/1")["data"]["name"] != "Whole State"
    state = admin.get("/state").json()
    state["clients"][_client_doc_id(admin, 1)]["name"] = "Whole State"
    assert admin.put("/state", json=state).status_code == 200
    assert _read(api, "/clients/1")["data"]["name"] == "Whole State"


def test_reset_shows_the_seeded_state_again(api: httpx.Client, admin: httpx.Client) -> None:
    seeded = _read(api, "/clients/1")["data"]["name"]
    total = _read(api, "/invoices")["meta"]["pagination"]["total"]
    assert api.put("/clients/1", json={"name": "Before Reset"}).status_code == 200
    _new_invoice(api)
    assert _read(api, "/clients/1")["data"]["name"] == "Before Reset"
    assert _read(api, "/invoices")["meta"]["pagination"]["total"] == total + 1
    assert admin.post("/reset").status_code == 200
    assert _read(api, "/clients/1")["data"]["name"] == seeded
    assert _read(api, "/invoices")["meta"]["pagination"]["total"] == total


def test_snapshot_restore_shows_the_saved_state(api: httpx.Client, admin: httpx.Client) -> None:
    saved_name = _read(api, "/clients/1")["data"]["name"]
    total = _read(api, "/invoices")["meta"]["pagination"]["total"]
    assert admin.post("/snapshots", json={"name": "coherence"}).status_code in (200, 201)
    assert api.put("/clients/1", json={"name": "After Snapshot"}).status_code == 200
    _new_invoice(api)
    assert _read(api, "/clients/1")["data"]["name"] == "After Snapshot"
    assert _read(api, "/invoices")["meta"]["pagination"]["total"] == total + 1
    assert admin.post("/snapshots/coherence/restore").status_code == 200
    assert _read(api, "/clients/1")["data"]["name"] == saved_name
    assert _read(api, "/invoices")["meta"]["pagination"]["total"] == total
    assert admin.delete("/snapshots/coherence").status_code == 200  # snapshots outlive resets


def test_reads_of_another_account_and_another_caller_stay_apart(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    mine = _read(api, "/invoices?per_page=5")
    theirs = _read(other_api, "/invoices?per_page=5")
    assert mine["data"][0]["account_key"] != theirs["data"][0]["account_key"]
    _new_invoice(api)
    assert _read(other_api, "/invoices?per_page=5") == theirs
    assert _read(api, "/invoices?per_page=5")["meta"]["pagination"]["total"] == (
        mine["meta"]["pagination"]["total"] + 1
    )


def _token_doc_id(admin: httpx.Client, token: str) -> str:
    tokens = admin.get("/state").json()["account_tokens"]
    return next(key for key, doc in tokens.items() if doc["token"] == token)


def test_a_changed_token_is_refused_and_its_replacement_accepted(
    api: httpx.Client, admin: httpx.Client, base_url: str
) -> None:
    """Which user a token belongs to is remembered between requests; every change to the data forgets it."""
    _read(api, "/clients/1")
    doc_id = _token_doc_id(admin, "TOKEN")
    patch = [{"op": "replace", "path": f"/account_tokens/{doc_id}/token", "value": "RENAMED"}]
    headers = {"Content-Type": "application/json-patch+json"}
    assert admin.patch("/state", content=json.dumps(patch), headers=headers).status_code == 200
    refused = api.get("/clients/1")
    assert refused.status_code == 403
    assert refused.json() == {"error": {"message": "Invalid token"}}
    renamed = httpx.get(base_url + "/api/v1/clients/1", headers={"X-Ninja-Token": "RENAMED"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["data"]["id"] == 1
    deleted = [{"op": "add", "path": f"/account_tokens/{doc_id}/deleted_at", "value": 1700000000}]
    assert admin.patch("/state", content=json.dumps(deleted), headers=headers).status_code == 200
    gone = httpx.get(base_url + "/api/v1/clients/1", headers={"X-Ninja-Token": "RENAMED"})
    assert gone.status_code == 403
    assert admin.post("/reset").status_code == 200
    assert _read(api, "/clients/1")["data"]["id"] == 1


def test_a_reset_after_no_write_keeps_the_seeded_data_and_any_write_is_undone(
    api: httpx.Client, admin: httpx.Client
) -> None:
    """A reset with nothing written since the last one has no data to swap; one after any write does."""
    seeded = _read(api, "/invoices?per_page=100")
    assert admin.post("/reset").status_code == 200
    assert _read(api, "/invoices?per_page=100") == seeded
    _new_invoice(api)
    assert admin.post("/reset").status_code == 200
    assert _read(api, "/invoices?per_page=100") == seeded
    assert admin.post("/reset", json={"seed": 2}).status_code == 200
    assert _read(api, "/invoices?per_page=100") != seeded
    assert admin.post("/reset", json={"seed": 1}).status_code == 200
    assert _read(api, "/invoices?per_page=100") == seeded
    journal = admin.get("/requests").json()
    assert journal["requests"][0]["path"] == "/api/v1/invoices"  # the journal is emptied by every reset
    assert len(journal["requests"]) == 2


def test_a_reset_after_writes_of_every_kind_gives_the_seeded_state_byte_for_byte(
    api: httpx.Client, admin: httpx.Client
) -> None:
    """A reset starts from the kept seeded records: no write path may have changed them in place."""
    assert admin.post("/reset").status_code == 200
    seeded = admin.get("/state")
    assert seeded.status_code == 200
    contacts = [{"email": "c@x.io"}]
    changes = {"name": "Changed", "custom_messages": {"invoice_terms": "x"}, "contacts": contacts}
    client = api.put("/clients/1", json=changes)
    assert client.status_code == 200, client.text
    invoice = _new_invoice(api)
    edited = api.put(f"/invoices/{invoice['id']}", json={"invoice_items": [{"cost": 5, "qty": 2}]})
    assert edited.status_code == 200, edited.text
    assert api.put(f"/invoices/{invoice['id']}?action=mark_sent").status_code == 200
    paid = api.post("/payments", json={"invoice_id": invoice["id"], "amount": 4})
    assert paid.status_code == 200, paid.text
    product = api.put("/products/1", json={"product_key": "Changed", "cost": 99.5, "notes": "changed"})
    assert product.status_code == 200, product.text
    assert api.put("/invoices/1?action=archive").status_code == 200
    assert api.delete("/tasks/1").status_code == 200
    patch = [{"op": "replace", "path": f"/clients/{_client_doc_id(admin, 2)}/name", "value": "Patched"}]
    headers = {"Content-Type": "application/json-patch+json"}
    assert admin.patch("/state", content=json.dumps(patch), headers=headers).status_code == 200
    assert admin.get("/state").content != seeded.content
    assert admin.post("/reset").status_code == 200
    assert admin.get("/state").content == seeded.content
