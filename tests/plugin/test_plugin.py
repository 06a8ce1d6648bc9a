"""The ``ninja_sandbox`` pytest plugin, run the way users run it: pytest sessions in subprocesses."""

from __future__ import annotations

import textwrap

import httpx
import pytest

from sandbox import SandboxServer
from sandbox.transform.products import PRODUCT

pytest_plugins = ["pytester"]

HELPERS = '''
import json
import urllib.error
import urllib.request


def call(sandbox, method, path, body=None, token=None):
    """An API request with the fixture's headers; (status, decoded JSON)."""
    headers = dict(sandbox.headers, **({"X-Ninja-Token": token} if token else {}))
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(sandbox.api_url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
'''

SAMPLE = """
import dataclasses

import pytest

from sandbox.transform.products import PRODUCT
from helpers import call


def test_attributes(ninja_sandbox, ninja_sandbox_server):
    assert ninja_sandbox.url == ninja_sandbox_server.url
    assert ninja_sandbox.api_url == ninja_sandbox.url + "/api/v1"
    assert ninja_sandbox.token == "TOKEN"
    assert ninja_sandbox.headers == {
        "X-Ninja-Token": "TOKEN", "Content-Type": "application/json", "Accept": "application/json"
    }
    health = ninja_sandbox.admin.health()
    assert (health["fixtures"], health["seed"]) == ("demo", 1)


def test_a_write_is_journaled_and_verified(ninja_sandbox):
    status, body = call(ninja_sandbox, "POST", "/clients", {"name": "Plugin Client"})
    assert status == 200
    assert body["data"]["name"] == "Plugin Client"
    ninja_sandbox.assert_requested("POST", "/clients", count=1, body={"name": "Plugin Client"})
    ninja_sandbox.assert_requested(path="/api/v1/clients", method="POST")
    ninja_sandbox.assert_requested("GET", "/clients/{id}", count=0)
    assert [entry["path"] for entry in ninja_sandbox.requests(method="POST")] == ["/api/v1/clients"]


def test_each_test_starts_from_fresh_state(ninja_sandbox):
    ninja_sandbox.assert_requested(count=0)
    status, body = call(ninja_sandbox, "GET", "/clients?per_page=500")
    assert status == 200
    assert "Plugin Client" not in [client["name"] for client in body["data"]]


def test_outbox_helpers(ninja_sandbox):
    assert ninja_sandbox.outbox() == []
    assert ninja_sandbox.last_email() is None
    assert call(ninja_sandbox, "POST", "/email_invoice", {"id": 1}) == (200, {"message": "success"})
    emails = ninja_sandbox.outbox()
    assert emails != []
    assert {email["invoice_id"] for email in emails} == {1}
    assert ninja_sandbox.last_email() == emails[-1]


def test_webhook_helper(ninja_sandbox):
    hook = {"event": "create_client", "target_url": "http://127.0.0.1:9/closed"}
    assert call(ninja_sandbox, "POST", "/hooks", hook)[0] == 201
    assert call(ninja_sandbox, "POST", "/clients", {"name": "Hooked"})[0] == 200
    ninja_sandbox.admin.wait_webhooks(event="create_client", timeout_ms=5000)
    deliveries = ninja_sandbox.webhooks(event="create_client")
    assert [delivery["event"] for delivery in deliveries] == ["create_client"]


@pytest.mark.ninja_sandbox(dataset="empty")
def test_marker_dataset(ninja_sandbox):
    assert ninja_sandbox.dataset == "empty"
    status, body = call(ninja_sandbox, "GET", "/clients")
    assert (status, body["data"]) == (200, [])


def test_the_dataset_does_not_leak_into_the_next_test(ninja_sandbox):
    assert ninja_sandbox.admin.health()["fixtures"] == "demo"
    assert call(ninja_sandbox, "GET", "/clients")[1]["data"] != []


@pytest.mark.ninja_sandbox(seed=2)
def test_marker_seed(ninja_sandbox):
    assert ninja_sandbox.seed == 2
    assert ninja_sandbox.admin.health()["seed"] == 2


@pytest.mark.ninja_sandbox(settings={"token": "OTHER"})
def test_marker_settings(ninja_sandbox, ninja_sandbox_server):
    assert ninja_sandbox.url != ninja_sandbox_server.url
    assert ninja_sandbox.token == "OTHER"
    assert call(ninja_sandbox, "GET", "/products")[0] == 200
    ninja_sandbox.assert_requested("GET", "/products", count=1, token="OTHER")


@pytest.mark.ninja_sandbox(settings={"token": "OTHER"})
def test_the_settings_server_is_reused(ninja_sandbox):
    assert ninja_sandbox.token == "OTHER"


@pytest.mark.asyncio
async def test_async_fixture(ninja_sandbox_async):
    sandbox = ninja_sandbox_async
    assert sandbox.api_url == sandbox.url + "/api/v1"
    async with sandbox.session.post(sandbox.api_url + "/clients", json={"name": "Async"}) as response:
        assert response.status == 200
        assert (await response.json())["data"]["name"] == "Async"
    await sandbox.assert_requested("POST", "/clients", count=1, body={"name": "Async"})
    assert len(await sandbox.requests(method="POST")) == 1
    assert await sandbox.outbox() == []
    assert await sandbox.last_email() is None
    assert await sandbox.webhooks() == []
    with pytest.raises(AssertionError, match="Expected exactly 2"):
        await sandbox.assert_requested("POST", "/clients", count=2)


def test_wrong_expectation_names_the_closest_request(ninja_sandbox):
    assert call(ninja_sandbox, "POST", "/clients", {"name": "Near Miss"})[0] == 200
    ninja_sandbox.assert_requested("PUT", "/clients/{id}", body={"name": "Near Miss"})


def test_server_exception_surfaces(ninja_sandbox):
    def boom(ctx, record):
        raise RuntimeError("product transformer exploded")

    original = PRODUCT.fields
    object.__setattr__(PRODUCT, "fields", boom)
    try:
        status, _ = call(ninja_sandbox, "GET", "/products")
    finally:
        object.__setattr__(PRODUCT, "fields", original)
    assert status == 500
"""

EXTERNAL = """
from helpers import call


def test_against_the_outer_server(ninja_sandbox, ninja_sandbox_server):
    assert ninja_sandbox_server.server is None
    assert ninja_sandbox.url == ninja_sandbox_server.url
    assert call(ninja_sandbox, "GET", "/products")[0] == 200
    ninja_sandbox.assert_requested("GET", "/products", count=1)


def test_reset_between_tests(ninja_sandbox):
    ninja_sandbox.assert_requested(count=0)
"""


@pytest.fixture(autouse=True)
def _inner_config(pytester: pytest.Pytester) -> None:
    """The inner sessions' pytest-asyncio settings, as a user's project would set them."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")


def test_fixtures_marker_and_helpers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(helpers=HELPERS, test_sample=SAMPLE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers")
    # The crashing test passes its own assertions, then errors at teardown.
    result.assert_outcomes(passed=12, failed=1, errors=1)
    # The wrong expectation: verify's message, the closest request and its diff, then its body.
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: Expected at least 1 request(s) matching *PUT*, but 0 matched.",
            "*Closest requests:",
            "*#* POST /api/v1/clients -> 200",
            "*method: expected PUT, was POST*",
            '*#* body: {"name": "Near Miss"}*',
        ]
    )
    # The server's exception fails the test that caused it, with the server-side traceback.
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_server_exception_surfaces*",
            "*the sandbox met 1 unexpected exception(s) during the test (answered 500):",
            "*--- GET /api/v1/products",
            "*RuntimeError: product transformer exploded",
        ]
    )


def test_external_url_starts_nothing(pytester: pytest.Pytester, server: SandboxServer) -> None:
    pytester.makepyfile(helpers=HELPERS, test_external=EXTERNAL)
    try:
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--ninja-sandbox-url={server.url}")
        result.assert_outcomes(passed=2)
        result = pytester.runpytest_subprocess(
            "-p", "no:cacheprovider", "--ninja-sandbox-url=http://127.0.0.1:9", "-k", "reset_between"
        )
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*no sandbox answers at http://127.0.0.1:9/__admin/health*"])
    finally:
        assert httpx.post(server.url_for("/__admin/reset"), json={"dataset": "demo", "seed": 1}).is_success


def test_marker_misuse_errors_at_setup(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_misuse=textwrap.dedent(
            """
            import pytest

            @pytest.mark.ninja_sandbox(settings={"no_such_setting": 1})
            def test_unknown_setting(ninja_sandbox):
                pass

            @pytest.mark.ninja_sandbox("demo")
            def test_positional(ninja_sandbox):
                pass
            """
        )
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        ["*unknown settings ?'no_such_setting'?; known:*", "*takes only the keywords*"]
    )


def test_admin_errors_lists_server_exceptions(server: SandboxServer, admin: httpx.Client) -> None:
    def boom(ctx: object, record: object) -> dict[str, object]:
        raise RuntimeError("listing exploded")

    original = PRODUCT.fields
    object.__setattr__(PRODUCT, "fields", boom)
    try:
        response = httpx.get(
            server.url_for("/api/v1/products?per_page=1"), headers={"X-Ninja-Token": "TOKEN"}
        )
    finally:
        object.__setattr__(PRODUCT, "fields", original)
    assert response.status_code == 500
    listed = admin.get("/errors")
    assert listed.status_code == 200
    body = listed.json()
    assert list(body) == ["errors", "total", "dropped"]
    assert (body["total"], body["dropped"]) == (1, 0)
    error = body["errors"][0]
    assert list(error) == ["id", "time", "method", "path", "traceback"]
    assert (error["id"], error["method"], error["path"]) == (1, "GET", "/api/v1/products?per_page=1")
    assert error["traceback"].rstrip().endswith("RuntimeError: listing exploded")
    assert admin.delete("/errors").json() == {"cleared": True}
    assert admin.get("/errors").json() == {"errors": [], "total": 0, "dropped": 0}


def test_the_session_coverage_summary_names_what_was_never_exercised(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_cov=textwrap.dedent(
            """
            import urllib.request

            def get(sandbox, path):
                request = urllib.request.Request(sandbox.api_url + path, headers=sandbox.headers)
                with urllib.request.urlopen(request) as response:
                    return response.status

            def test_one(ninja_sandbox):
                assert get(ninja_sandbox, "/clients") == 200

            def test_two(ninja_sandbox):
                assert get(ninja_sandbox, "/clients") == 200
                assert get(ninja_sandbox, "/ping") == 200
            """
        )
    )
    result = pytester.runpytest_subprocess("--ninja-sandbox-coverage")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*ninja-sandbox coverage*",
            "v4 routes: 2/140 (1.4%), error paths: 0/*, requests: 3",
            "  never requested: POST /api/v1/login",
            "  GET /api/v1/clients: never answered invalid_token",
        ]
    )
    assert "  never requested: GET /api/v1/clients" not in result.stdout.lines
