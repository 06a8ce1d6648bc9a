"""``/__admin/state``, ``/__admin/snapshots`` and ``/__admin/reset``: read, replace, patch, save, restore."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers.process import running_server

from tests.conftest import TOKEN

PATCH = {"Content-Type": "application/json-patch+json"}
PDF = b"%PDF-1.4\n% admin state test\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def seed_one(admin: httpx.Client) -> Iterator[None]:
    """Put the shared server back on the demo dataset with seed 1 after a test that changes them."""
    yield
    response = admin.post("/reset", json={"seed": 1, "fixtures": "demo"})
    assert response.status_code == 200, response.text


@pytest.fixture(autouse=True)
def no_snapshots_left(admin: httpx.Client) -> Iterator[None]:
    """Snapshots outlive resets by design: each test here starts and ends without any."""
    assert admin.get("/snapshots").json() == {"snapshots": [], "total": 0}
    yield
    for snapshot in admin.get("/snapshots").json()["snapshots"]:
        assert admin.delete(f"/snapshots/{snapshot['name']}").status_code == 200


def _state(admin: httpx.Client) -> dict[str, Any]:
    response = admin.get("/state")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _patch(admin: httpx.Client, ops: Any) -> httpx.Response:
    return admin.patch("/state", json=ops, headers=PATCH)


def _invoice_ids(api: httpx.Client, **params: Any) -> list[int]:
    response = api.get("/invoices", params={"per_page": -1, **params})
    assert response.status_code == 200, response.text
    return sorted(int(row["id"]) for row in response.json()["data"])


def _client_invoice_ids(api: httpx.Client, client_id: int) -> list[int]:
    response = api.get(f"/clients/{client_id}", params={"include": "invoices"})
    assert response.status_code == 200, response.text
    return sorted(int(row["id"]) for row in response.json()["data"]["invoices"])


# --- GET and PUT -------------------------------------------------------------------------------------------


def test_get_state_is_the_whole_database(admin: httpx.Client) -> None:
    response = admin.get("/state")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["accept-patch"] == "application/json-patch+json"
    state = response.json()
    assert "_sandbox" not in state
    assert state["account_tokens"]["1"]["token"] == TOKEN
    assert state["invoices"]["1"]["invoice_number"] == "0001"
    assert state["invoices"]["1"]["account_id"] == 1
    assert all(key.isdigit() for docs in state.values() for key in docs)
    assert len(state["documents"]) == 8


def test_put_state_replaces_everything_and_the_api_sees_it(api: httpx.Client, admin: httpx.Client) -> None:
    state = _state(admin)
    state["clients"]["1"]["name"] = "Replaced Ltd"
    del state["invoices"]["2"]
    response = admin.put("/state", json=state)
    assert response.status_code == 200
    body = response.json()
    assert body["replaced"] is True
    assert body["tables"] == {table: len(docs) for table, docs in state.items()}
    assert _state(admin) == state
    client = api.get("/clients/1")
    assert client.status_code == 200
    assert client.json()["data"]["name"] == "Replaced Ltd"
    missing = api.get("/invoices/2")
    assert missing.status_code == 404
    assert missing.json() == {"message": "record does not exist"}


def test_put_state_accepts_a_data_file_with_its_bookkeeping_table(admin: httpx.Client) -> None:
    state = _state(admin)
    response = admin.put("/state", json={**state, "_sandbox": {"1": {"log_seq": 12, "seed": 1}}})
    assert response.status_code == 200
    assert response.json()["replaced"] is True
    assert _state(admin) == state


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "not a sandbox state: the state must be a JSON object of tables: {table: {id: document}}"),
        (
            {"clients": []},
            "not a sandbox state: /clients: a table must be a JSON object of documents keyed by id",
        ),
        (
            {"clients": {"abc": {}}},
            "not a sandbox state: /clients/abc: a document id must be a positive integer written as a string",
        ),
        (
            {"clients": {"01": {}}},
            "not a sandbox state: /clients/01: a document id must be a positive integer written as a string",
        ),
        ({"clients": {"1": 5}}, "not a sandbox state: /clients/1: a document must be a JSON object"),
        (
            {"clients": {"1": {"public_id": "1"}}},
            "not a sandbox state: /clients/1/public_id: must be an integer or null",
        ),
        (
            {"contacts": {"1": {"email": ["a@example.com"]}}},
            "not a sandbox state: /contacts/1/email: an indexed field must not be an object or array",
        ),
        ({"": {}}, "not a sandbox state: a table name must not be empty"),
    ],
)
def test_put_state_rejects_what_is_not_a_database(
    api: httpx.Client, admin: httpx.Client, body: Any, message: str
) -> None:
    before = _state(admin)
    response = admin.put("/state", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert _state(admin) == before
    assert api.get("/clients/1").status_code == 200


def test_put_state_that_is_not_json_is_a_400(admin: httpx.Client) -> None:
    response = admin.put("/state", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"].startswith(
        "the body must be a JSON object of tables: {table: {id: document}} ("
    )


# --- PATCH -------------------------------------------------------------------------------------------------


def test_patch_moves_an_invoice_and_the_client_indexes_follow(api: httpx.Client, admin: httpx.Client) -> None:
    assert 1 in _invoice_ids(api, client_id=1)
    assert 1 in _client_invoice_ids(api, 1)
    assert 1 not in _client_invoice_ids(api, 2)
    response = _patch(
        admin,
        [
            {"op": "test", "path": "/invoices/1/client_id", "value": 1},
            {"op": "replace", "path": "/invoices/1/client_id", "value": 2},
        ],
    )
    assert response.status_code == 200
    assert response.json() == {"patched": True, "operations": 2}
    assert 1 in _client_invoice_ids(api, 2)
    assert 1 not in _client_invoice_ids(api, 1)
    assert 1 in _invoice_ids(api, client_id=2)
    assert 1 not in _invoice_ids(api, client_id=1)
    assert api.get("/invoices/1").json()["data"]["client_id"] == 2


def test_patch_a_token_and_only_the_new_one_works(base_url: str, admin: httpx.Client) -> None:
    response = _patch(admin, [{"op": "replace", "path": "/account_tokens/1/token", "value": "PATCHED"}])
    assert response.status_code == 200
    assert response.json() == {"patched": True, "operations": 1}
    with httpx.Client(base_url=base_url + "/api/v1", timeout=10) as client:
        old = client.get("/clients", headers={"X-Ninja-Token": TOKEN})
        assert old.status_code == 403
        assert old.text == '{"error":{"message":"Invalid token"}}'
        new = client.get("/clients/1", headers={"X-Ninja-Token": "patched"})  # tokens compare case-blind
        assert new.status_code == 200
        assert new.json()["data"]["id"] == 1


def test_patch_adding_a_record_moves_the_next_ids_on(api: httpx.Client, admin: httpx.Client) -> None:
    state = _state(admin)
    doc_id = max(int(key) for key in state["clients"]) + 50
    public_ids = [doc["public_id"] for doc in state["clients"].values() if doc["account_id"] == 1]
    added = {**state["clients"]["1"], "public_id": max(public_ids) + 10, "name": "Patched In"}
    response = _patch(admin, [{"op": "add", "path": f"/clients/{doc_id}", "value": added}])
    assert response.status_code == 200
    shown = api.get(f"/clients/{added['public_id']}")
    assert shown.status_code == 200
    assert shown.json()["data"]["name"] == "Patched In"
    created = api.post("/clients", json={"name": "After Patch"})
    assert created.status_code == 200
    assert created.json()["data"]["id"] == added["public_id"] + 1
    assert _state(admin)["clients"][str(doc_id + 1)]["name"] == "After Patch"


def test_a_failing_test_op_is_a_422_and_nothing_changes(api: httpx.Client, admin: httpx.Client) -> None:
    before = _state(admin)
    response = _patch(
        admin,
        [
            {"op": "replace", "path": "/clients/1/name", "value": "Never"},
            {"op": "test", "path": "/invoices/1/client_id", "value": 99},
            {"op": "remove", "path": "/invoices/1"},
        ],
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "test operation 1 failed: the value at '/invoices/1/client_id' is 1, not 99",
        "index": 1,
        "op": "test",
        "path": "/invoices/1/client_id",
    }
    assert _state(admin) == before
    assert api.get("/clients/1").json()["data"]["name"] == before["clients"]["1"]["name"]


@pytest.mark.parametrize(
    ("ops", "status", "body"),
    [
        ({"op": "add"}, 400, {"error": "a JSON Patch must be a JSON array of operations"}),
        (
            [{"op": "frobnicate", "path": "/clients"}],
            400,
            {
                "error": "frobnicate operation 0 at '/clients' is not a valid operation: "
                "Unknown operation 'frobnicate'",
                "index": 0,
                "op": "frobnicate",
                "path": "/clients",
            },
        ),
        (
            [{"op": "test", "path": "/clients/1/name", "value": "x"}, "remove"],
            400,
            {
                "error": "operation 1 must be a JSON object with op and path",
                "index": 1,
                "op": None,
                "path": None,
            },
        ),
        (
            [{"op": "add", "path": "/clients/1/x"}],
            400,
            {
                "error": "add operation 0 at '/clients/1/x' is not a valid operation: "
                "The operation does not contain a 'value' member",
                "index": 0,
                "op": "add",
                "path": "/clients/1/x",
            },
        ),
        (
            [{"op": "remove", "path": "/clients/9999"}],
            409,
            {
                "error": "remove operation 0 at '/clients/9999' cannot be applied: "
                "can't remove a non-existent object '9999'",
                "index": 0,
                "op": "remove",
                "path": "/clients/9999",
            },
        ),
        (
            [{"op": "test", "path": "/clients/9999/name", "value": "x"}],
            422,
            {
                "error": "test operation 0 failed: there is no value at '/clients/9999/name'",
                "index": 0,
                "op": "test",
                "path": "/clients/9999/name",
            },
        ),
        (
            [{"op": "replace", "path": "/clients/1/public_id", "value": "one"}],
            422,
            {
                "error": "the patched state is not a valid database: /clients/1/public_id: "
                "must be an integer or null"
            },
        ),
        (
            [{"op": "add", "path": "/_sandbox", "value": {}}],
            422,
            {
                "error": "the patched state is not a valid database: /_sandbox: the table name "
                "'_sandbox' is reserved for the data file"
            },
        ),
    ],
)
def test_patches_that_cannot_apply(admin: httpx.Client, ops: Any, status: int, body: dict[str, Any]) -> None:
    before = _state(admin)
    response = _patch(admin, ops)
    assert response.status_code == status
    assert response.json() == body
    assert _state(admin) == before


def test_patch_needs_the_json_patch_media_type(admin: httpx.Client) -> None:
    before = _state(admin)
    response = admin.patch("/state", json=[{"op": "remove", "path": "/invoices/1"}])
    assert response.status_code == 415
    assert response.headers["accept-patch"] == "application/json-patch+json"
    assert response.json() == {
        "error": "send the patch as Content-Type: application/json-patch+json (RFC 6902)"
    }
    broken = admin.patch("/state", content=b"[{", headers=PATCH)
    assert broken.status_code == 400
    assert broken.json()["error"].startswith("the body must be a JSON Patch: a JSON array of operations (")
    assert _state(admin) == before


def test_patch_removing_a_document_removes_its_file(api: httpx.Client, admin: httpx.Client) -> None:
    uploaded = api.post("/documents", files={"file": ("note.pdf", PDF, "application/pdf")})
    assert uploaded.status_code == 200, uploaded.text
    public_id = uploaded.json()["data"]["id"]
    assert api.get(f"/documents/{public_id}").content == PDF
    state = _state(admin)
    doc_id = next(
        k for k, d in state["documents"].items() if d["account_id"] == 1 and d["public_id"] == public_id
    )
    response = _patch(admin, [{"op": "remove", "path": f"/documents/{doc_id}"}])
    assert response.status_code == 200
    missing = api.get(f"/documents/{public_id}")
    assert missing.status_code == 404
    assert missing.json() == {"message": "record does not exist"}


# --- snapshots ---------------------------------------------------------------------------------------------


def test_save_change_restore_list_delete(api: httpx.Client, admin: httpx.Client) -> None:
    saved_state = _state(admin)
    saved = admin.post("/snapshots", json={"name": "baseline"})
    assert saved.status_code == 201
    body = saved.json()
    assert list(body) == ["name", "created", "size", "replaced"]
    assert (body["name"], body["replaced"]) == ("baseline", False)
    assert isinstance(body["created"], float)
    assert body["size"] > len(PDF)

    created = api.post("/clients", json={"name": "After Snapshot"})
    assert created.status_code == 200
    new_id = created.json()["data"]["id"]
    assert api.put("/clients/1", json={"name": "Renamed"}).status_code == 200
    assert _state(admin) != saved_state

    restored = admin.post("/snapshots/baseline/restore")
    assert restored.status_code == 200
    assert restored.json() == {"restored": "baseline", "fixtures": "demo", "seed": 1}
    assert _state(admin) == saved_state
    gone = api.get(f"/clients/{new_id}")
    assert gone.status_code == 404
    assert gone.json() == {"message": "record does not exist"}
    assert api.get("/clients/1").json()["data"]["name"] == saved_state["clients"]["1"]["name"]

    listed = admin.get("/snapshots")
    assert listed.status_code == 200
    assert listed.json() == {"snapshots": [{k: body[k] for k in ("name", "created", "size")}], "total": 1}

    deleted = admin.delete("/snapshots/baseline")
    assert deleted.status_code == 200
    assert deleted.json() == {"deleted": "baseline"}
    assert admin.get("/snapshots").json() == {"snapshots": [], "total": 0}


def test_unknown_snapshots_are_404s(admin: httpx.Client) -> None:
    for response in (admin.post("/snapshots/nope/restore"), admin.delete("/snapshots/nope")):
        assert response.status_code == 404
        assert response.json() == {"error": "no snapshot named 'nope'"}


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 5}, {"name": "a/b"}, {"name": "x" * 101}, []])
def test_a_snapshot_needs_a_url_safe_name(admin: httpx.Client, body: Any) -> None:
    response = admin.post("/snapshots", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "error": "name must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit"
    }
    assert admin.get("/snapshots").json()["total"] == 0


def test_saving_a_name_again_replaces_it(api: httpx.Client, admin: httpx.Client) -> None:
    assert admin.post("/snapshots", json={"name": "s-1.a"}).json()["replaced"] is False
    assert api.put("/clients/1", json={"name": "Second Version"}).status_code == 200
    again = admin.post("/snapshots", json={"name": "s-1.a"})
    assert again.status_code == 201
    assert again.json()["replaced"] is True
    assert [s["name"] for s in admin.get("/snapshots").json()["snapshots"]] == ["s-1.a"]
    assert admin.post("/reset").status_code == 200
    assert admin.post("/snapshots/s-1.a/restore").status_code == 200
    assert api.get("/clients/1").json()["data"]["name"] == "Second Version"
    assert admin.delete("/snapshots/s-1.a").status_code == 200


def test_restore_keeps_the_journal_and_the_outbox(api: httpx.Client, admin: httpx.Client) -> None:
    assert admin.post("/snapshots", json={"name": "keep"}).status_code == 201
    sent = api.post("/email_invoice", json={"id": 1})
    assert sent.status_code == 200, sent.text
    outbox = admin.get("/outbox").json()
    journal = admin.get("/requests").json()
    assert outbox["total"] >= 1
    assert journal["total"] == 1
    assert admin.post("/snapshots/keep/restore").status_code == 200
    assert admin.get("/outbox").json() == outbox
    assert admin.get("/requests").json() == journal
    assert admin.delete("/snapshots/keep").status_code == 200


def test_restore_brings_back_document_files(api: httpx.Client, admin: httpx.Client) -> None:
    uploaded = api.post("/documents", files={"file": ("kept.pdf", PDF, "application/pdf")})
    assert uploaded.status_code == 200, uploaded.text
    kept = uploaded.json()["data"]["id"]
    assert admin.post("/snapshots", json={"name": "docs"}).status_code == 201
    later = api.post("/documents", files={"file": ("later.txt", b"later", "text/plain")})
    assert later.status_code == 200, later.text
    assert api.delete(f"/documents/{kept}").status_code == 200
    assert admin.post("/snapshots/docs/restore").status_code == 200
    download = api.get(f"/documents/{kept}")
    assert download.status_code == 200
    assert download.content == PDF
    assert api.get(f"/documents/{later.json()['data']['id']}").status_code == 404
    assert admin.delete("/snapshots/docs").status_code == 200


def test_restore_replays_the_same_random_keys(api: httpx.Client, admin: httpx.Client) -> None:
    assert admin.post("/snapshots", json={"name": "rng"}).status_code == 201

    def new_invitation_keys() -> list[str]:
        before = set(_state(admin)["invitations"])
        created = api.post(
            "/invoices", json={"client_id": 1, "invoice_items": [{"product_key": "X", "cost": 1}]}
        )
        assert created.status_code == 200, created.text
        after = _state(admin)["invitations"]
        return [after[key]["invitation_key"] for key in sorted(set(after) - before)]

    first = new_invitation_keys()
    assert first
    assert admin.post("/snapshots/rng/restore").status_code == 200
    assert new_invitation_keys() == first
    assert admin.delete("/snapshots/rng").status_code == 200


def test_restore_takes_milliseconds(admin: httpx.Client) -> None:
    assert admin.post("/snapshots", json={"name": "fast"}).status_code == 201
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        response = admin.post("/snapshots/fast/restore")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    assert statistics.median(timings) < 50, timings
    assert admin.delete("/snapshots/fast").status_code == 200


def test_restoring_another_seed_brings_its_seed_back(
    api: httpx.Client, admin: httpx.Client, seed_one: None
) -> None:
    assert admin.post("/reset", json={"seed": 7}).status_code == 200
    seven = _state(admin)
    assert admin.post("/snapshots", json={"name": "seven"}).status_code == 201
    assert admin.post("/reset", json={"seed": 1}).status_code == 200
    restored = admin.post("/snapshots/seven/restore")
    assert restored.status_code == 200
    assert restored.json() == {"restored": "seven", "fixtures": "demo", "seed": 7}
    assert _state(admin) == seven
    assert admin.get("/health").json()["seed"] == 7
    assert admin.delete("/snapshots/seven").status_code == 200


# --- reset -------------------------------------------------------------------------------------------------


def test_reset_with_a_seed_and_dataset_alias(api: httpx.Client, admin: httpx.Client, seed_one: None) -> None:
    one = _state(admin)
    response = admin.post("/reset", json={"seed": 2, "dataset": "demo"})
    assert response.status_code == 200
    assert response.json() == {"reset": True, "fixtures": "demo", "seed": 2}
    two = _state(admin)
    assert two != one
    assert admin.post("/reset", json={"seed": 2, "fixtures": "demo", "dataset": "demo"}).status_code == 200
    assert _state(admin) == two
    again = admin.post("/reset", json={"seed": 1})
    assert again.json() == {"reset": True, "fixtures": "demo", "seed": 1}
    assert _state(admin) == one


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"fixtures": "demo", "dataset": "other"}, "give fixtures or dataset (the same setting), not both"),
        ({"dataset": 3}, "fixtures (or dataset) must be a dataset name or path"),
        ({"seed": "1"}, "seed must be an integer"),
    ],
)
def test_reset_rejects_bad_options(admin: httpx.Client, body: dict[str, Any], message: str) -> None:
    response = admin.post("/reset", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert admin.get("/health").json()["seed"] == 1


def test_reset_to_an_unknown_dataset_changes_nothing(api: httpx.Client, admin: httpx.Client) -> None:
    assert api.put("/clients/1", json={"name": "Still Here"}).status_code == 200
    response = admin.post("/reset", json={"dataset": "no-such-dataset"})
    assert response.status_code == 400
    assert "no-such-dataset" in response.json()["error"]
    assert api.get("/clients/1").json()["data"]["name"] == "Still Here"


def test_a_reset_takes_milliseconds(admin: httpx.Client) -> None:
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        assert admin.post("/reset").status_code == 200
        timings.append((time.perf_counter() - started) * 1000)
    assert statistics.median(timings) < 50, timings


# --- durability (a real server process, killed with SIGKILL) -----------------------------------------------


@pytest.mark.slow
def test_patch_and_restore_survive_kill_9(tmp_path: Path) -> None:
    data = tmp_path / "state.json"
    with running_server(data) as server:
        admin_url = server.url + "/__admin"
        with httpx.Client(base_url=admin_url, timeout=10) as admin, server.client() as api:
            before = _state(admin)
            patched = _patch(admin, [{"op": "replace", "path": "/clients/1/name", "value": "Patched Co"}])
            assert patched.status_code == 200
            after_patch = _state(admin)
            assert api.get("/clients/1").json()["data"]["name"] == "Patched Co"
        server.kill()
    assert server.returncode == -9

    with running_server(data) as again:
        with httpx.Client(base_url=again.url + "/__admin", timeout=10) as admin, again.client() as api:
            assert _state(admin) == after_patch
            assert api.get("/clients/1").json()["data"]["name"] == "Patched Co"
            # Snapshots live in memory: save one in this process, change, restore, then kill.
            assert admin.post("/snapshots", json={"name": "patched"}).status_code == 201
            assert api.put("/clients/2", json={"name": "Lost On Restore"}).status_code == 200
            assert admin.put("/state", json=before).status_code == 200
            assert admin.post("/snapshots/patched/restore").status_code == 200
            assert _state(admin) == after_patch
        again.kill()

    with running_server(data) as third:
        with httpx.Client(base_url=third.url + "/__admin", timeout=10) as admin:
            assert _state(admin) == after_patch
        assert third.terminate() == 0, third.stderr
