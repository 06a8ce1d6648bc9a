"""Namespaces: isolated copies of data, journal, outbox and webhook log, picked per request."""

from __future__ import annotations

import json
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sandbox import SandboxServer, Settings
from sandbox.namespaces import data_path

HEADER = "X-Sandbox-Namespace"


def _client_names(api: httpx.Client, **headers: str) -> list[str]:
    response = api.get("/clients", params={"per_page": 500}, headers=headers)
    assert response.status_code == 200, response.text
    return [client["name"] for client in response.json()["data"]]


@pytest.fixture
def namespaces(admin: httpx.Client) -> Iterator[httpx.Client]:
    """The admin client; every namespace a test opened is deleted afterwards."""
    yield admin
    for each in admin.get("/namespaces").json()["namespaces"]:
        assert admin.delete(f"/namespaces/{each['name']}").status_code == 200


def test_a_write_in_one_namespace_is_invisible_elsewhere(api: httpx.Client, namespaces: httpx.Client) -> None:
    seeded = _client_names(api)
    created = api.post("/clients", json={"name": "Only In A"}, headers={HEADER: "team-a"})
    assert created.status_code == 200, created.text
    assert created.json()["data"]["name"] == "Only In A"
    assert sorted(_client_names(api, **{HEADER: "team-a"})) == sorted([*seeded, "Only In A"])
    assert "Only In A" not in _client_names(api, **{HEADER: "team-b"})
    assert _client_names(api) == seeded
    # Each namespace numbers its own records from the same seeded state.
    again = api.post("/clients", json={"name": "Only In B"}, headers={HEADER: "team-b"})
    assert again.json()["data"]["id"] == created.json()["data"]["id"]


def test_a_token_suffix_names_the_namespace(api: httpx.Client, namespaces: httpx.Client) -> None:
    created = api.post("/clients", json={"name": "Suffixed"}, headers={"X-Ninja-Token": "TOKEN~ci-1"})
    assert created.status_code == 200, created.text
    assert "Suffixed" in _client_names(api, **{HEADER: "ci-1"})
    assert "Suffixed" not in _client_names(api)
    other = api.get("/clients", headers={"X-Ninja-Token": "TOKEN2~ci-1"})
    assert other.status_code == 200
    assert "Suffixed" not in [client["name"] for client in other.json()["data"]]


def test_a_wrong_token_in_a_namespace_is_still_refused(api: httpx.Client, namespaces: httpx.Client) -> None:
    response = api.get("/clients", headers={"X-Ninja-Token": "NOPE~ci-1"})
    assert response.status_code == 403
    assert response.json() == {"error": {"message": "Invalid token"}}


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({HEADER: "no spaces"}, "namespace names are 1 to 64 letters"),
        ({HEADER: "-leading"}, "namespace names are 1 to 64 letters"),
        ({HEADER: "x" * 65}, "namespace names are 1 to 64 letters"),
        ({"X-Ninja-Token": "TOKEN~a/b"}, "namespace names are 1 to 64 letters"),
        ({HEADER: "one", "X-Ninja-Token": "TOKEN~two"}, "header names 'one' but the token names 'two'"),
    ],
)
def test_malformed_or_clashing_names_are_refused(
    api: httpx.Client, namespaces: httpx.Client, headers: dict[str, str], message: str
) -> None:
    response = api.get("/clients", headers=headers)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert namespaces.get("/namespaces").json()["namespaces"] == []


def test_journal_outbox_and_reset_are_per_namespace(
    api: httpx.Client, admin: httpx.Client, namespaces: httpx.Client
) -> None:
    mine = {HEADER: "journal-a"}
    assert api.post("/email_invoice", json={"id": 1}, headers=mine).json() == {"message": "success"}
    assert api.get("/clients/1", headers={HEADER: "journal-b"}).status_code == 200

    journal = admin.get("/requests", headers=mine).json()
    assert [(entry["method"], entry["path"]) for entry in journal["requests"]] == [
        ("POST", "/api/v1/email_invoice")
    ]
    assert admin.get("/requests").json()["requests"] == []
    assert admin.get("/outbox", headers=mine).json()["messages"] != []
    assert admin.get("/outbox", headers={HEADER: "journal-b"}).json()["messages"] == []
    assert admin.get("/outbox").json()["messages"] == []

    health = admin.get("/health", headers=mine).json()
    assert health["namespace"] == "journal-a"
    assert admin.get("/health").json()["namespace"] is None

    assert admin.post("/reset", headers=mine).status_code == 200
    assert admin.get("/requests", headers=mine).json()["requests"] == []
    assert len(admin.get("/requests", headers={HEADER: "journal-b"}).json()["requests"]) == 1


def test_namespaces_are_listed_and_deleted(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.post("/clients", json={"name": "Gone Soon"}, headers={HEADER: "temp"}).status_code == 200
    listed = admin.get("/namespaces").json()
    assert listed["total"] == 1
    assert listed["limit"] == 64
    assert listed["namespaces"] == [
        {"name": "temp", "fixtures": "demo", "seed": 1, "data": ":memory:", "requests": 1}
    ]
    deleted = admin.delete("/namespaces/temp")
    assert deleted.status_code == 200
    assert deleted.json() == {"deleted": "temp"}
    assert admin.delete("/namespaces/temp").json() == {"error": "no namespace named 'temp' has been used"}
    assert admin.delete("/namespaces/bad name").status_code == 400
    # Used again, it starts over from the seed.
    assert "Gone Soon" not in _client_names(api, **{HEADER: "temp"})
    assert admin.delete("/namespaces/temp").status_code == 200


def test_a_namespace_keeps_its_data_beside_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "sandbox-data.json"
    settings = Settings(port=0, data=str(data), error_delay=0)
    headers = {"X-Ninja-Token": "TOKEN", HEADER: "durable"}
    with SandboxServer(settings) as server:
        created = httpx.post(server.url_for("/api/v1/clients"), json={"name": "Kept"}, headers=headers)
        assert created.status_code == 200, created.text
    assert Path(data_path(str(data), "durable")) == tmp_path / "sandbox-data.ns-durable.json"
    assert (tmp_path / "sandbox-data.ns-durable.json").exists()
    with SandboxServer(settings) as server:
        listed = httpx.get(server.url_for("/api/v1/clients"), params={"per_page": 500}, headers=headers)
        assert "Kept" in [client["name"] for client in listed.json()["data"]]
        default = httpx.get(
            server.url_for("/api/v1/clients"), params={"per_page": 500}, headers=headers | {HEADER: ""}
        )
        assert "Kept" not in [client["name"] for client in default.json()["data"]]
        assert httpx.delete(server.url_for("/__admin/namespaces/durable")).status_code == 200
    assert not (tmp_path / "sandbox-data.ns-durable.json").exists()
    assert not (tmp_path / "sandbox-data.ns-durable.json.wal").exists()


def test_the_readme_namespace_example_works(base_url: str, namespaces: httpx.Client) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("### Namespaces", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [line.split("  #")[0] for line in block.replace("\\\n", " ").splitlines() if line.strip()]
    host = base_url.removeprefix("http://")
    outputs = []
    for line in lines:
        args = shlex.split(line.replace("localhost:8000", host))
        done = subprocess.run(args, capture_output=True, timeout=20, check=True)
        outputs.append(json.loads(done.stdout))
    assert outputs[0]["data"]["name"] == "Only here"
    assert "Only here" in [client["name"] for client in outputs[1]["data"]]
    assert "Only here" not in [client["name"] for client in outputs[2]["data"]]
