"""Tasks: fields, POST create-or-update, time logs, timers, actions and events (reference §4.7, §5, §7)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from helpers.receiver import webhook_receiver
from helpers.reference import entity_fields, includes_of, wrong_types

TASK_FIELDS = entity_fields("task")
PROJECT_FIELDS = entity_fields("project")
NOT_FOUND = {"message": "record does not exist"}
T0 = 1767268800  # 2026-01-01 12:00:00 UTC
XHR = {"X-Requested-With": "XMLHttpRequest"}


def _create(api: httpx.Client, **body: Any) -> dict[str, Any]:
    response = api.post("/tasks", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _project(api: httpx.Client, client_id: int = 2, **body: Any) -> dict[str, Any]:
    response = api.post("/projects", json={"name": "Site", "client_id": client_id, **body})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _freeze(admin: httpx.Client, at: float) -> None:
    assert admin.post("/clock", json={"freeze": at}).status_code == 200


def _advance(admin: httpx.Client, seconds: float) -> None:
    assert admin.post("/clock", json={"advance": seconds}).status_code == 200


# --- shape --------------------------------------------------------------------------------------------


def test_create_answers_v4_fields_in_order_with_types(api: httpx.Client) -> None:
    task = _create(api, client_id=1, description="  Write docs \n", time_log="[[100, 200], [10, 50]]")
    assert list(task) == [name for name, _ in TASK_FIELDS if name != "user_id"]  # v4 re-reads the task
    assert wrong_types(task, TASK_FIELDS) == {}
    assert task["description"] == "Write docs"
    assert task["time_log"] == "[[10,50],[100,200]]"  # sorted and re-encoded compactly
    assert task["duration"] == 140
    assert (task["client_id"], task["project_id"], task["invoice_id"]) == (1, 0, 0)
    assert (task["archived_at"], task["is_running"], task["is_deleted"]) == (0, False, False)
    assert (task["task_status_id"], task["task_status_sort_order"]) == (0, 9999)
    assert task["is_owner"] is True
    shown = api.get(f"/tasks/{task['id']}").json()["data"]
    assert shown == task


def test_empty_post_creates_a_blank_task(api: httpx.Client) -> None:
    task = _create(api)
    assert (task["description"], task["time_log"], task["duration"], task["client_id"]) == ("", "[]", 0, 0)
    assert _create(api, time_log="")["time_log"] == "[]"


def test_task_status_is_a_public_id(api: httpx.Client) -> None:
    task = _create(api, task_status_id=2, task_status_sort_order="4")
    assert (task["task_status_id"], task["task_status_sort_order"]) == (2, 4)  # a seeded kanban column
    assert _create(api, task_status_id=99)["task_status_id"] == 0


def test_list_includes_trashed_newest_first_with_filters(api: httpx.Client, admin: httpx.Client) -> None:
    _freeze(admin, T0)
    first = _create(api, client_id=3, description="one")
    _advance(admin, 1)
    second = _create(api, client_id=3, description="two")
    _advance(admin, 1)
    assert api.put(f"/tasks/{first['id']}", params={"action": "archive"}).status_code == 200
    listed = api.get("/tasks", params={"client_id": 3, "per_page": 100}).json()["data"]
    assert {task["client_id"] for task in listed} == {3}
    assert [task["id"] for task in listed][:2] == [first["id"], second["id"]]  # the archive bumped it
    active = api.get("/tasks", params={"client_id": 3, "filter_active": 1, "per_page": 100}).json()["data"]
    assert first["id"] not in [task["id"] for task in active]
    assert second["id"] in [task["id"] for task in active]


def test_includes_client_and_project_and_omits_missing_ones(api: httpx.Client) -> None:
    project = _project(api)
    task = _create(api, project_id=project["id"])
    shown = api.get(f"/tasks/{task['id']}", params={"include": "client,project"}).json()["data"]
    assert list(shown)[-2:] == list(includes_of("task"))
    assert shown["client"]["id"] == 2
    assert shown["client"]["contacts"]
    assert list(shown["project"]) == [name for name, _ in PROJECT_FIELDS if name != "user_id"]
    bare = _create(api)
    shown = api.get(f"/tasks/{bare['id']}", params={"include": "client,project"}).json()["data"]
    assert "client" not in shown
    assert "project" not in shown
    json_api = api.get(f"/tasks/{task['id']}", params={"serializer": "json", "include": "project"})
    resource = json_api.json()["data"]["data"]
    assert (resource["type"], resource["id"]) == ("task", str(task["id"]))
    assert resource["relationships"]["project"]["data"] == {"type": "project", "id": str(project["id"])}


# --- POST semantics ------------------------------------------------------------------------------------


def test_post_with_id_updates_that_task_even_archived(api: httpx.Client) -> None:
    task = _create(api, description="old")
    total = api.get("/tasks").json()["meta"]["pagination"]["total"]
    updated = _create(api, id=task["id"], description="new")
    assert updated["id"] == task["id"]
    assert updated["description"] == "new"
    assert api.get("/tasks").json()["meta"]["pagination"]["total"] == total
    assert api.put(f"/tasks/{task['id']}?action=archive").json()["data"]["archived_at"] > 0
    archived = _create(api, id=task["id"], description="newer")
    assert (archived["description"], archived["archived_at"] > 0) == ("newer", True)


def test_post_with_unknown_id_is_404(api: httpx.Client) -> None:
    response = api.post("/tasks", json={"id": 99999, "description": "x"})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_client_and_project_are_public_ids_and_the_project_wins(api: httpx.Client) -> None:
    project = _project(api, client_id=2)
    task = _create(api, client_id=1, project_id=project["id"])
    assert (task["client_id"], task["project_id"]) == (2, project["id"])
    assert _create(api, client_id=99999)["client_id"] == 0  # an unknown client is simply left out
    moved = api.put(f"/tasks/{task['id']}", json={"client_id": 1}).json()["data"]
    assert (moved["client_id"], moved["project_id"]) == (1, project["id"])  # the project is never unset


def test_missing_or_archived_project_is_404_and_writes_nothing(api: httpx.Client) -> None:
    total = api.get("/tasks").json()["meta"]["pagination"]["total"]
    missing = api.post("/tasks", json={"project_id": 99999, "description": "x"})
    assert missing.status_code == 404
    assert missing.json() == NOT_FOUND
    project = _project(api)
    archived = api.put(f"/projects/{project['id']}?action=archive", json={"name": "Site"})
    assert archived.status_code == 200
    refused = api.post("/tasks", json={"project_id": project["id"]})
    assert refused.status_code == 404
    assert refused.json() == NOT_FOUND
    assert api.get("/tasks").json()["meta"]["pagination"]["total"] == total


def test_time_details_become_the_time_log(api: httpx.Client, admin: httpx.Client) -> None:
    _freeze(admin, T0)
    details = [
        {"start_datetime": "2025-12-01 09:00:00", "end_datetime": "2025-12-01T10:00:00Z"},
        {"start_datetime": "2025-12-02 09:00", "duration_hours": 1.5},
        {"start_datetime": "2025-12-03 09:00", "duration_minutes": "30", "duration_seconds": 15},
        {"start_datetime": "2026-01-01 11:00:00"},
    ]
    task = _create(api, time_details=details)
    assert json.loads(task["time_log"]) == [
        [1764579600, 1764583200],
        [1764666000, 1764671400],
        [1764752400, 1764754215],
        [1767265200, False],
    ]
    assert task["is_running"] is True
    assert task["duration"] == 3600 + 5400 + 1815 + 3600
    _advance(admin, 60)
    assert api.get(f"/tasks/{task['id']}").json()["data"]["duration"] == task["duration"] + 60


def test_time_details_without_a_start_is_a_validation_error(api: httpx.Client) -> None:
    response = api.post("/tasks", json={"time_details": [{"duration_hours": 1}]}, headers=XHR)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "time_details.0.start_datetime": ["The time details.0.start datetime field is required."]
    }


@pytest.mark.parametrize("time_log", ["not json", "{}", "[1, 2]", [[1, 2]]])
def test_unreadable_time_log_is_a_validation_error(api: httpx.Client, time_log: Any) -> None:
    response = api.post("/tasks", json={"time_log": time_log}, headers=XHR)
    assert response.status_code == 422
    assert response.json()["errors"] == {"time_log": ["The time log must be a valid JSON string."]}


# --- timers --------------------------------------------------------------------------------------------


def test_start_stop_resume_through_post(api: httpx.Client, admin: httpx.Client) -> None:
    _freeze(admin, T0)
    task = _create(api, description="timer", time_log="[[1000, 1600]]")
    started = _create(api, id=task["id"], action="start")
    assert (started["is_running"], started["time_log"]) == (True, f"[[1000,1600],[{T0},false]]")
    _advance(admin, 300)
    assert api.get(f"/tasks/{task['id']}").json()["data"]["duration"] == 900
    stopped = _create(api, id=task["id"], action="stop")
    assert (stopped["is_running"], stopped["time_log"]) == (False, f"[[1000,1600],[{T0},{T0 + 300}]]")
    assert stopped["duration"] == 900
    again = _create(api, id=task["id"], action="stop")  # not running: nothing changes
    assert again["time_log"] == stopped["time_log"]
    _advance(admin, 100)
    resumed = _create(api, id=task["id"], action="resume")
    assert resumed["is_running"] is True
    assert resumed["time_log"].endswith(f"[{T0 + 400},false]]")
    offline = _create(api, id=task["id"], action="offline", is_running=False)
    assert offline["is_running"] is False
    assert offline["time_log"] == resumed["time_log"]


def test_is_running_is_taken_from_the_input(api: httpx.Client) -> None:
    task = _create(api, is_running=True)
    assert task["is_running"] is True
    assert _create(api, id=task["id"], is_running="0")["is_running"] is False


def test_put_refuses_timer_actions(api: httpx.Client) -> None:
    task = _create(api)
    for action in ("start", "stop", "resume"):
        response = api.put(f"/tasks/{task['id']}", params={"action": action})
        assert response.status_code == 400
        assert response.json() == {"error": f"Action [{action}] is not supported"}
    assert api.get(f"/tasks/{task['id']}").json()["data"]["time_log"] == "[]"


# --- PUT / DELETE / actions ------------------------------------------------------------------------------


def test_put_updates_and_checks_overlapping_times(api: httpx.Client) -> None:
    task = _create(api, description="a")
    overlapping = api.put(f"/tasks/{task['id']}", json={"time_log": "[[10,20],[15,30]]"}, headers=XHR)
    assert overlapping.status_code == 422
    assert overlapping.json() == {
        "message": "The given data was invalid.",
        "errors": {"time_log": ["Please correct any overlapping times"]},
    }
    with_secret = api.put(f"/tasks/{task['id']}", json={"time_log": "[[10,20],[15,30]]", "api_secret": "x"})
    assert with_secret.status_code == 400
    assert with_secret.json() == {"error": {"message": "Please correct any overlapping times"}}
    body = {"time_log": "[[30,40],[10,20]]", "description": "b", "custom_value1": "c1"}
    updated = api.put(f"/tasks/{task['id']}", json=body)
    assert updated.status_code == 200
    data = updated.json()["data"]
    assert (data["time_log"], data["duration"], data["description"]) == ("[[10,20],[30,40]]", 20, "b")
    assert data["custom_value1"] == "c1"
    assert "user_id" not in data


def test_actions_and_delete(api: httpx.Client) -> None:
    task = _create(api, description="gone")
    archived = api.put(f"/tasks/{task['id']}?action=archive").json()["data"]
    assert (archived["archived_at"] > 0, archived["is_deleted"]) == (True, False)
    restored = api.put(f"/tasks/{task['id']}?action=restore").json()["data"]
    assert restored["archived_at"] == 0
    deleted = api.delete(f"/tasks/{task['id']}")
    assert deleted.status_code == 200
    assert (deleted.json()["data"]["is_deleted"], deleted.json()["data"]["archived_at"] > 0) == (True, True)
    ignored = api.put(f"/tasks/{task['id']}", json={"description": "back"})  # deleted tasks stay as they are
    assert ignored.status_code == 200
    assert ignored.json()["data"]["description"] == "gone"
    assert api.delete("/tasks/99999").json() == NOT_FOUND


def _task_activities(api: httpx.Client, task_id: int) -> list[int]:
    activities = api.get("/clients/1", params={"include": "activities"}).json()["data"]["activities"]
    return [a["activity_type_id"] for a in activities if a["task_id"] == task_id]


def test_activities_follow_fillable_changes_only(api: httpx.Client) -> None:
    task = _create(api, client_id=1, description="logged")
    assert _task_activities(api, task["id"]) == [42]
    assert api.put(f"/tasks/{task['id']}", json={"description": "logged"}).status_code == 200
    assert _task_activities(api, task["id"]) == [42]  # nothing changed
    assert api.put(f"/tasks/{task['id']}", json={"task_status_sort_order": 3}).status_code == 200
    assert _task_activities(api, task["id"]) == [42]  # a change, but not of a fillable field
    assert api.put(f"/tasks/{task['id']}", json={"description": "edited"}).status_code == 200
    assert _task_activities(api, task["id"]) == [43, 42]


# --- webhooks ------------------------------------------------------------------------------------------


def test_task_events_are_delivered_with_the_v4_payload(api: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        for event in ("create_task", "update_task", "delete_task"):
            response = api.post("/hooks", json={"event": event, "target_url": f"{receiver.url}/{event}"})
            assert response.status_code == 201
        task = _create(api, client_id=1, description="hooked", time_log="[[10,70]]")
        api.put(f"/tasks/{task['id']}", json={"description": "hooked"})  # unchanged: no event
        api.put(f"/tasks/{task['id']}", json={"description": "hooked 2"})
        api.delete(f"/tasks/{task['id']}")
        received = receiver.wait_for(4)
        assert len(receiver.wait_for(5, timeout=0.5)) == 4
    paths = [item.path.strip("/") for item in received]
    assert sorted(paths) == ["create_task", "delete_task", "update_task", "update_task"]
    created = next(item.body for item in received if item.path == "/create_task")
    assert list(created) == [name for name, _ in TASK_FIELDS] + ["client_name"]
    assert (created["id"], created["user_id"], created["duration"]) == (task["id"], 1, 60)
    client_name = api.get("/clients/1").json()["data"]["display_name"]
    assert created["client_name"] == client_name
    updates = [item.body for item in received if item.path == "/update_task"]
    assert {body["description"] for body in updates} == {"hooked 2"}
    assert all("user_id" not in body for body in updates)
    deleted = next(item.body for item in received if item.path == "/delete_task")
    assert deleted["is_deleted"] is True


def test_no_client_name_without_a_client(api: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        hook = {"event": "create_task", "target_url": receiver.url}
        assert api.post("/hooks", json=hook).status_code == 201
        _create(api, description="alone")
        body = receiver.wait_for(1)[0].body
    assert body["client_id"] == 0
    assert "client_name" not in body


# --- isolation and seed ----------------------------------------------------------------------------------


def test_the_second_account_never_sees_these_tasks(api: httpx.Client, other_api: httpx.Client) -> None:
    theirs = other_api.get("/tasks", params={"per_page": -1}).json()["data"]
    mine = api.get("/tasks", params={"per_page": -1}).json()["data"]
    assert len(mine) > len(theirs)
    task = _create(api, description="private")
    assert task["id"] > max(t["id"] for t in theirs)
    assert other_api.get(f"/tasks/{task['id']}").json() == NOT_FOUND
    assert other_api.post("/tasks", json={"id": task["id"]}).status_code == 404
    assert other_api.put(f"/tasks/{task['id']}", json={}).status_code == 404
    listed = other_api.get("/tasks", params={"per_page": -1}).json()["data"]
    assert len(listed) == len(theirs)
    assert {t["account_key"] for t in listed} != {task["account_key"]}


def test_seeded_tasks_are_consistent(api: httpx.Client) -> None:
    tasks = api.get("/tasks", params={"per_page": -1}).json()["data"]
    assert all(wrong_types(task, TASK_FIELDS) == {} for task in tasks)
    running = [task for task in tasks if task["is_running"]]
    assert running
    assert all(json.loads(task["time_log"])[-1][1] is False for task in running)
    billed = [task for task in tasks if task["invoice_id"]]
    assert billed
    for task in billed:
        invoice = api.get(f"/invoices/{task['invoice_id']}").json()["data"]
        assert invoice["client_id"] == task["client_id"]
        assert not task["is_running"]
    projects = {p["id"]: p for p in api.get("/projects", params={"per_page": -1}).json()["data"]}
    in_projects = [task for task in tasks if task["project_id"]]
    assert in_projects
    assert all(projects[t["project_id"]]["client_id"] == t["client_id"] for t in in_projects)
    assert any(task["archived_at"] for task in tasks)
