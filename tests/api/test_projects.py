"""Projects: fields, validation, create-only POST, updates, actions and isolation (reference §4.8, §5)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from helpers.reference import entity_fields, wrong_types

PROJECT_FIELDS = entity_fields("project")
NOT_FOUND = {"message": "record does not exist"}
XHR = {"X-Requested-With": "XMLHttpRequest"}
NAME_REQUIRED = {"name": ["The name field is required."]}


def _create(api: httpx.Client, **body: Any) -> dict[str, Any]:
    response = api.post("/projects", json={"name": "Launch", "client_id": 1, **body})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _names(fields: tuple[tuple[str, str], ...], *, with_user: bool) -> list[str]:
    return [name for name, _ in fields if with_user or name != "user_id"]


def test_create_answers_v4_fields_in_order_with_types(api: httpx.Client) -> None:
    body = {"task_rate": "87.5", "budgeted_hours": 40, "due_date": "2026-03-31", "private_notes": "n"}
    project = _create(api, custom_value1="c1", **body)
    assert list(project) == _names(PROJECT_FIELDS, with_user=True)  # created: the user is loaded
    assert wrong_types(project, PROJECT_FIELDS) == {}
    assert (project["name"], project["client_id"], project["user_id"]) == ("Launch", 1, 1)
    assert (project["task_rate"], project["budgeted_hours"], project["due_date"]) == (87.5, 40, "2026-03-31")
    assert (project["private_notes"], project["custom_value1"], project["custom_value2"]) == ("n", "c1", "")
    assert (project["archived_at"], project["is_deleted"], project["is_owner"]) == (None, False, True)
    shown = api.get(f"/projects/{project['id']}")
    assert shown.status_code == 200
    assert list(shown.json()["data"]) == _names(PROJECT_FIELDS, with_user=False)
    assert shown.json()["data"] == {k: v for k, v in project.items() if k != "user_id"}


def test_defaults_and_the_account_date_format(api: httpx.Client) -> None:
    project = _create(api)
    assert (project["task_rate"], project["budgeted_hours"], project["due_date"]) == (0, 0, "")
    dated = _create(api, due_date="Mar 5, 2026")  # ``M j, Y``, the account's format
    assert dated["due_date"] == "2026-03-05"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {**NAME_REQUIRED, "client_id": ["The client id field is required."]}),
        ({"name": " ", "client_id": 1}, NAME_REQUIRED),
        ({"name": "X"}, {"client_id": ["The client id field is required."]}),
        ({"name": "X", "client_id": 1, "task_rate": [1]}, {"task_rate": ["The task rate must be a number."]}),
    ],
)
def test_create_validation(api: httpx.Client, body: dict[str, Any], errors: dict[str, list[str]]) -> None:
    response = api.post("/projects", json=body, headers=XHR)
    assert response.status_code == 422
    assert response.json() == {"message": "The given data was invalid.", "errors": errors}


def test_validation_without_ajax_redirects_and_with_secret_is_400(api: httpx.Client) -> None:
    redirected = api.post("/projects", json={"client_id": 1})
    assert redirected.status_code == 302
    with_secret = api.post("/projects", json={"client_id": 1, "api_secret": "x"})
    assert with_secret.status_code == 400
    assert with_secret.json() == {"error": {"message": "The name field is required."}}


def test_post_never_updates_and_unknown_clients_are_left_out(api: httpx.Client) -> None:
    project = _create(api)
    again = _create(api, id=project["id"], public_id=project["id"], name="Other")
    assert again["id"] == project["id"] + 1
    assert api.get(f"/projects/{project['id']}").json()["data"]["name"] == "Launch"
    assert _create(api, client_id=99999)["client_id"] == 0


def test_put_updates_fillable_fields_but_never_the_client(api: httpx.Client) -> None:
    project = _create(api, task_rate=50, private_notes="keep")
    body = {"name": "Renamed", "client_id": 2, "task_rate": "60.25", "budgeted_hours": "12.5"}
    response = api.put(f"/projects/{project['id']}", json=body)
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["name"], data["client_id"]) == ("Renamed", 1)
    assert (data["task_rate"], data["budgeted_hours"]) == (60.25, 12.5)
    assert data["private_notes"] == "keep"  # fields not sent stay
    assert "user_id" not in data
    assert api.get(f"/projects/{project['id']}").json()["data"] == data


def test_put_and_delete_need_a_name_even_for_actions(api: httpx.Client) -> None:
    project = _create(api)
    for response in (
        api.put(f"/projects/{project['id']}", json={"task_rate": 1}, headers=XHR),
        api.put(f"/projects/{project['id']}", params={"action": "archive"}, headers=XHR),
        api.delete(f"/projects/{project['id']}", headers=XHR),
    ):
        assert response.status_code == 422
        assert response.json()["errors"] == NAME_REQUIRED
    assert api.get(f"/projects/{project['id']}").json()["data"]["archived_at"] is None


def test_actions_and_delete(api: httpx.Client) -> None:
    project = _create(api)
    path = f"/projects/{project['id']}"
    archived = api.put(path, params={"action": "archive"}, json={"name": "Launch"}).json()["data"]
    assert (isinstance(archived["archived_at"], int), archived["is_deleted"]) == (True, False)
    restored = api.put(path, params={"action": "restore"}, json={"name": "Launch"}).json()["data"]
    assert restored["archived_at"] is None
    refused = api.put(path, params={"action": "start"}, json={"name": "Launch"})
    assert refused.status_code == 400
    assert refused.json() == {"error": "Action [start] is not supported"}
    deleted = api.request("DELETE", path, json={"name": "Launch"})
    assert deleted.status_code == 200
    gone = deleted.json()["data"]
    assert (gone["is_deleted"], gone["archived_at"] is not None) == (True, True)
    # v4 does not guard deleted projects against updates.
    renamed = api.put(path, json={"name": "Still here"}).json()["data"]
    assert (renamed["name"], renamed["is_deleted"]) == ("Still here", True)


def test_list_includes_trashed_and_filters_by_client(api: httpx.Client) -> None:
    project = _create(api, client_id=2)
    api.put(f"/projects/{project['id']}", params={"action": "archive"}, json={"name": "Launch"})
    listed = api.get("/projects", params={"client_id": 2, "per_page": -1}).json()["data"]
    assert project["id"] in [p["id"] for p in listed]
    assert {p["client_id"] for p in listed} == {2}
    assert listed[0]["id"] == project["id"]  # newest update first
    active = api.get("/projects", params={"client_id": 2, "filter_active": 1, "per_page": -1}).json()["data"]
    assert project["id"] not in [p["id"] for p in active]


def test_unknown_project_is_404(api: httpx.Client) -> None:
    assert api.get("/projects/99999").json() == NOT_FOUND
    assert api.put("/projects/99999", json={"name": "x"}).status_code == 404
    zero = api.get("/projects/0")
    assert zero.status_code == 404
    assert zero.json() == {"error": "Record not found"}


def test_the_second_account_never_sees_these_projects(api: httpx.Client, other_api: httpx.Client) -> None:
    theirs = other_api.get("/projects", params={"per_page": -1}).json()["data"]
    project = _create(api)
    assert project["id"] > max(p["id"] for p in theirs)
    assert other_api.get(f"/projects/{project['id']}").json() == NOT_FOUND
    assert other_api.put(f"/projects/{project['id']}", json={"name": "x"}).status_code == 404
    assert other_api.post("/tasks", json={"project_id": project["id"]}).json() == NOT_FOUND
    assert len(other_api.get("/projects", params={"per_page": -1}).json()["data"]) == len(theirs)


def test_seeded_projects_belong_to_live_clients(api: httpx.Client) -> None:
    projects = api.get("/projects", params={"per_page": -1}).json()["data"]
    assert projects
    assert all(wrong_types(project, PROJECT_FIELDS) == {} for project in projects)
    for project in projects:
        assert project["name"]
        assert api.get(f"/clients/{project['client_id']}").json()["data"]["archived_at"] is None
