"""COVERAGE.md and the route table: every v4.5.50 route of reference §1 is served, and the doc is current."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from helpers.reference import REFERENCE

from sandbox.api import api_routes
from sandbox.api.coverage import coverage_markdown, coverage_rows, route_key
from sandbox.api.upstream import UPSTREAM_ROUTES

ROOT = Path(__file__).resolve().parents[1]
RESOURCE_ROUTES = (
    *("GET", "GET /create", "POST", "GET /{}", "GET /{}/edit"),
    *("PUT /{}", "PATCH /{}", "DELETE /{}"),
)


def _reference_routes() -> list[tuple[str, str]]:
    """The route table of reference §1, with each ``resource`` row expanded as Laravel registers it."""
    text = (REFERENCE / "v4-api-behaviour.md").read_text()
    section = text.split("## 1. Routes under `/api/v1`", 1)[1].split("\n## 2.", 1)[0]
    section = section.split("Columns in the table below", 1)[1]
    routes = []
    for line in section.splitlines():
        match = re.match(r"\| (GET|POST|PUT|DELETE|resource) \| `([^`]+)`", line)
        if match is None:
            continue
        method, path = match.groups()
        path = "/" + path.rstrip("…")
        if method != "resource":
            routes.append(route_key(method, path))
            continue
        for action in RESOURCE_ROUTES:
            verb, _, suffix = action.partition(" ")
            routes.append(route_key(verb, path + suffix))
    return routes


def test_the_declared_upstream_routes_are_the_reference_table() -> None:
    declared = [route_key(r.method, r.path) for r in UPSTREAM_ROUTES]
    assert declared == _reference_routes()
    assert len(declared) == 140


def test_every_reference_route_is_served_and_nothing_else() -> None:
    served = {route_key(r.method, r.path) for r in api_routes()}
    reference = set(_reference_routes())
    assert sorted(reference - served) == []
    assert sorted(served - reference) == []
    rows = coverage_rows(api_routes(), (ROOT / "FIDELITY.md").read_text())
    assert [row.route for row in rows if row.state == "missing"] == []


def test_coverage_md_is_generated_from_the_route_table() -> None:
    expected = coverage_markdown(api_routes(), (ROOT / "FIDELITY.md").read_text())
    assert (ROOT / "COVERAGE.md").read_text() == expected, "run: ninja-sandbox coverage > COVERAGE.md"
    assert "| DELETE | `/api/v1/contacts/{id}` | ContactApiController@destroy | differs |" in expected


def test_create_and_edit_routes_answer_v4s_server_error(api: httpx.Client) -> None:
    for path in ("/clients/create", "/invoices/1/edit"):
        response = api.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 500
        assert response.json() == {"message": "Server Error"}
    shown = api.get("/clients/1")
    assert shown.status_code == 200
    assert shown.json()["data"]["id"] == 1
