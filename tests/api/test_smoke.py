"""The seed documents' client examples, as curl would send them."""

from __future__ import annotations

import httpx


def test_list_clients_returns_seeded_clients_with_contacts(api: httpx.Client) -> None:
    response = api.get("/clients")
    assert response.status_code == 200
    assert response.headers["X-Ninja-Version"] == "4.5.50"
    assert response.headers["X-Total-Count"] == "0"
    body = response.json()
    assert body["meta"]["pagination"]["total"] == 12
    assert len(body["data"]) == 12
    assert all(client["contacts"] for client in body["data"])


def test_create_client_with_contact_answers_200_with_the_new_client(api: httpx.Client) -> None:
    response = api.post("/clients", json={"name": "Client", "contact": {"email": "test@example.com"}})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == 13
    assert data["name"] == "Client"
    assert data["user_id"] == 1
    assert [c["email"] for c in data["contacts"]] == ["test@example.com"]
    assert data["contacts"][0]["is_primary"] is True
