"""pytest-xdist workers sharing one sandbox, each in its own namespace."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import httpx
import pytest

from sandbox import SandboxServer

pytest_plugins = ["pytester"]

SAMPLE = """
import json
import os
import urllib.request

import pytest


def call(sandbox, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    url = sandbox.api_url + path
    request = urllib.request.Request(url, data=data, method=method, headers=sandbox.headers)
    with urllib.request.urlopen(request) as response:
        return response.status, json.loads(response.read())


@pytest.mark.parametrize("n", range(8))
def test_each_worker_sees_only_its_own_writes(ninja_sandbox, n):
    worker = os.environ["PYTEST_XDIST_WORKER"]
    assert ninja_sandbox.namespace == worker
    assert ninja_sandbox.headers["X-Sandbox-Namespace"] == worker
    ninja_sandbox.assert_requested(count=0)
    status, body = call(ninja_sandbox, "POST", "/clients", {"name": f"{worker}-{n}"})
    assert (status, body["data"]["name"]) == (200, f"{worker}-{n}")
    status, body = call(ninja_sandbox, "GET", "/clients?per_page=500")
    written = [client["name"] for client in body["data"] if client["name"].startswith("gw")]
    assert written == [f"{worker}-{n}"]
    ninja_sandbox.assert_requested("POST", "/clients", count=1, body={"name": f"{worker}-{n}"})
"""


@pytest.fixture
def shared() -> Iterator[SandboxServer]:
    """One sandbox that both workers of the inner session talk to."""
    with SandboxServer() as server:
        yield server


def test_two_workers_share_one_server_without_seeing_each_other(
    pytester: pytest.Pytester, shared: SandboxServer
) -> None:
    pytester.makepyfile(test_sample=textwrap.dedent(SAMPLE))
    result = pytester.runpytest_subprocess("-n", "2", "-p", "xdist", f"--ninja-sandbox-url={shared.url}")
    result.assert_outcomes(passed=8)

    listed = httpx.get(shared.url_for("/__admin/namespaces")).json()
    by_name = {each["name"]: each for each in listed["namespaces"]}
    assert sorted(by_name) == ["gw0", "gw1"]
    # Each namespace's journal holds its own last test's two requests, the default one none.
    assert [each["requests"] for each in by_name.values()] == [2, 2]
    assert httpx.get(shared.url_for("/__admin/requests")).json()["requests"] == []
    clients = httpx.get(
        shared.url_for("/api/v1/clients"), params={"per_page": 500}, headers={"X-Ninja-Token": "TOKEN"}
    ).json()["data"]
    assert [client["name"] for client in clients if client["name"].startswith("gw")] == []
