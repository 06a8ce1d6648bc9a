"""The ``ninja_sandbox`` pytest plugin (registered through the ``pytest11`` entry point).

Fixtures:

``ninja_sandbox_server`` (session)
    The sandbox the session talks to: by default one in-process server on a free port, in memory,
    with no invalid-token delay; with ``--ninja-sandbox-url URL`` (or ``NINJA_SANDBOX_URL``) an
    already running one (a container, say), whose token ``--ninja-sandbox-token`` /
    ``NINJA_SANDBOX_TOKEN`` gives (default ``TOKEN``). Nothing is started then.
``ninja_sandbox`` (function)
    Resets the sandbox to its seeded state before the test and gives a :class:`NinjaSandbox` with
    ``url``, ``api_url``, ``token``, ``headers``, ``admin`` (an :class:`~sandbox.client.AdminClient`)
    and helpers: ``assert_requested``, ``requests``, ``outbox``, ``last_email`` and ``webhooks``.
    If the server met an unexpected exception during the test, the test errors at teardown with
    the server's traceback.
``ninja_sandbox_async`` (function, needs pytest-asyncio, which pytest-aiohttp installs)
    The same for ``async`` tests: the helpers are coroutines, ``session`` is an
    ``aiohttp.ClientSession`` sending ``headers``.

Marker ``@pytest.mark.ninja_sandbox(dataset="empty", seed=2, settings={"throttle": "on"})``:
``dataset`` and ``seed`` choose the state the test starts from; ``settings`` (fields of
:class:`sandbox.settings.Settings`) give the test a dedicated in-process server with those settings,
started once per combination and stopped at the end of the session (even with an external URL).

pytest-xdist: each worker is its own process, so each gets its own in-process server on its own free
port. With an external URL the workers share that one server, each in its own namespace (named after
the worker, ``gw0``, ``gw1``, ...): a namespace has its own data, journal, outbox and webhook log, so a
worker's resets and requests never reach another's. ``--ninja-sandbox-namespace`` (or
``NINJA_SANDBOX_NAMESPACE``) names one explicitly; the worker's id is appended under xdist.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import pytest

from sandbox.client import AdminClient, AdminError, read_answer, request_headers
from sandbox.client.transport import NAMESPACE_HEADER
from sandbox.server import SandboxServer
from sandbox.settings import Settings

MARKER = "ninja_sandbox"
API_PREFIX = "/api/v1"
_EXPECTATION_KEYS = ("at_least", "at_most", "wait_ms")
_MARKER_KEYS = ("dataset", "seed", "settings")


def pytest_addoption(parser: pytest.Parser) -> None:
    """The options that point the session at a running sandbox."""
    group = parser.getgroup("ninja-sandbox")
    group.addoption(
        "--ninja-sandbox-url",
        default=None,
        help="use the sandbox running at this URL instead of starting one (env NINJA_SANDBOX_URL)",
    )
    group.addoption(
        "--ninja-sandbox-namespace",
        default=None,
        help="work in this namespace of the sandbox (env NINJA_SANDBOX_NAMESPACE; under pytest-xdist "
        "with an external URL, each worker's id is used or appended)",
    )
    group.addoption(
        "--ninja-sandbox-coverage",
        action="store_true",
        default=False,
        help="after the session, list the v4 routes and error paths its tests never exercised",
    )
    group.addoption(
        "--ninja-sandbox-token",
        default=None,
        help="the demo account's API token of that sandbox (env NINJA_SANDBOX_TOKEN, default TOKEN)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``ninja_sandbox`` marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line(
        "markers",
        "ninja_sandbox(dataset=None, seed=None, settings=None): the sandbox state (dataset, seed) the test "
        "starts from, and settings for a dedicated in-process sandbox",
    )


@dataclass
class SandboxEndpoint:
    """A sandbox a session talks to: its URL, token, default dataset and seed, and the server if ours."""

    url: str
    token: str
    dataset: str
    seed: int
    server: SandboxServer | None = None
    namespace: str | None = None
    admin: AdminClient = field(init=False)

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        self.admin = AdminClient(self.url, namespace=self.namespace)

    def url_for(self, path: str) -> str:
        """An absolute URL for a path on this sandbox."""
        return self.url + (path if path.startswith("/") else "/" + path)


def _start(settings: Settings) -> SandboxEndpoint:
    server = SandboxServer(settings).start()
    return SandboxEndpoint(server.url, settings.token, settings.fixtures, settings.seed, server)


def _default_settings(**changes: Any) -> Settings:
    return Settings(port=0, data=":memory:", error_delay=0).replace(**changes)


class _ServerPool:
    """Dedicated in-process servers, one per settings combination, kept for the session."""

    def __init__(self) -> None:
        self._running: dict[str, SandboxEndpoint] = {}

    def get(self, changes: Mapping[str, Any]) -> SandboxEndpoint:
        known = {each.name for each in fields(Settings)}
        unknown = sorted(set(changes) - known)
        if unknown:
            pytest.fail(f"{MARKER} marker: unknown settings {unknown}; known: {sorted(known)}", pytrace=False)
        key = json.dumps(dict(changes), sort_keys=True, default=repr)
        if key not in self._running:
            self._running[key] = _start(_default_settings(**changes))
        return self._running[key]

    def stop(self) -> None:
        for endpoint in self._running.values():
            if endpoint.server is not None:
                endpoint.server.stop()
        self._running.clear()


@pytest.fixture(scope="session")
def _ninja_sandbox_pool() -> Iterator[_ServerPool]:
    pool = _ServerPool()
    yield pool
    pool.stop()


@pytest.fixture(scope="session")
def ninja_sandbox_server(pytestconfig: pytest.Config) -> Iterator[SandboxEndpoint]:
    """The session's sandbox: an in-process server, or the one ``--ninja-sandbox-url`` names."""
    url = pytestconfig.getoption("--ninja-sandbox-url") or os.environ.get("NINJA_SANDBOX_URL")
    if not url:
        endpoint = _start(_default_settings())
        yield from _with_coverage(pytestconfig, endpoint)
        assert endpoint.server is not None
        endpoint.server.stop()
        return
    token = (
        pytestconfig.getoption("--ninja-sandbox-token") or os.environ.get("NINJA_SANDBOX_TOKEN") or "TOKEN"
    )
    namespace = _namespace(pytestconfig)
    try:
        health = AdminClient(url, namespace=namespace).health()
    except (AdminError, OSError) as exc:
        pytest.fail(f"no sandbox answers at {url}/__admin/health: {exc}", pytrace=False)
    endpoint = SandboxEndpoint(
        url, token or "TOKEN", str(health["fixtures"]), int(health["seed"]), namespace=namespace
    )
    yield from _with_coverage(pytestconfig, endpoint)


_coverage_key = pytest.StashKey[dict[str, Any]]()


def _with_coverage(config: pytest.Config, endpoint: SandboxEndpoint) -> Iterator[SandboxEndpoint]:
    """Yield the endpoint; with ``--ninja-sandbox-coverage``, count the session's coverage around it."""
    if not config.getoption("--ninja-sandbox-coverage"):
        yield endpoint
        return
    endpoint.admin.clear_coverage()
    yield endpoint
    config.stash[_coverage_key] = endpoint.admin.coverage(unseen=True)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """With ``--ninja-sandbox-coverage``: the v4 routes and error paths the session never exercised."""
    report = config.stash.get(_coverage_key, None)
    if report is None:
        return
    write = terminalreporter.write_line
    terminalreporter.section("ninja-sandbox coverage")
    routes, errors = report["totals"]["routes"], report["totals"]["error_paths"]
    write(
        f"v4 routes: {routes['seen']}/{routes['total']} ({routes['percent']}%), "
        f"error paths: {errors['seen']}/{errors['total']} ({errors['percent']}%), "
        f"requests: {report['totals']['requests']}"
    )
    for row in report["routes"]:
        if row["requests"] == 0:
            write(f"  never requested: {row['method']} {row['path']}")
    for row in report["routes"]:
        missing = [error["kind"] for error in row["errors"] if not error["seen"]]
        if row["requests"] and missing:
            write(f"  {row['method']} {row['path']}: never answered {', '.join(missing)}")


def _namespace(config: pytest.Config) -> str | None:
    """The namespace of an external sandbox: the option's, the xdist worker's, or both joined."""
    named = config.getoption("--ninja-sandbox-namespace") or os.environ.get("NINJA_SANDBOX_NAMESPACE")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    parts = [part for part in (named, worker) if part]
    return "-".join(parts) or None


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return {}
    unknown = sorted(set(marker.kwargs) - set(_MARKER_KEYS))
    if marker.args or unknown:
        pytest.fail(f"@pytest.mark.{MARKER} takes only the keywords {', '.join(_MARKER_KEYS)}", pytrace=False)
    return dict(marker.kwargs)


def _prepare(request: pytest.FixtureRequest) -> tuple[SandboxEndpoint, dict[str, Any]]:
    """The sandbox the test uses and the reset body that gives it the test's starting state."""
    options = _marker_options(request)
    if options.get("settings"):
        endpoint = request.getfixturevalue("_ninja_sandbox_pool").get(options["settings"])
    else:
        endpoint = request.getfixturevalue("ninja_sandbox_server")
    # Both named every time: a reset without them would keep the previous test's choice.
    dataset = options.get("dataset") or endpoint.dataset
    seed = endpoint.seed if options.get("seed") is None else options["seed"]
    return endpoint, {"dataset": dataset, "seed": seed}


def _matcher(method: str | None, path: str | None, criteria: Mapping[str, Any]) -> dict[str, Any]:
    """A journal matcher from the helpers' arguments; a path without ``/api/v1`` gets it."""
    matcher = {key: value for key, value in criteria.items() if key not in _EXPECTATION_KEYS}
    if method is not None:
        matcher["method"] = method
    if path is not None:
        if path != API_PREFIX and not path.startswith(API_PREFIX + "/"):
            path = API_PREFIX + (path if path.startswith("/") else "/" + path)
        matcher["path_template" if "{" in path else "path"] = path
    return matcher


def _verify_body(method: str | None, path: str | None, count: int | None, criteria: Mapping[str, Any]) -> Any:
    body: dict[str, Any] = {"matcher": _matcher(method, path, criteria)}
    body.update({key: criteria[key] for key in _EXPECTATION_KEYS if key in criteria})
    if count is not None:
        body["count"] = count
    return body


def _verify_failure(result: Mapping[str, Any]) -> str:
    """The verify answer's message, then the closest requests' bodies for context."""
    lines = [str(result["message"])]
    for near in result.get("closest", []):
        entry = near["request"]
        body = entry.get("body") or ""
        if body:
            lines.append(f"  #{entry['id']} body: {body[:300]}{'...' if len(body) > 300 else ''}")
    return "\n".join(lines)


def _server_errors_report(errors: list[dict[str, Any]]) -> str:
    parts = [f"the sandbox met {len(errors)} unexpected exception(s) during the test (answered 500):"]
    for error in errors:
        parts.append(f"--- {error['method']} {error['path']}\n{error['traceback'].rstrip()}")
    return "\n".join(parts)


def _server_errors(answer: Any) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = answer["errors"]
    return errors


@dataclass
class _Base:
    endpoint: SandboxEndpoint
    dataset: str
    seed: int
    url: str = field(init=False)
    api_url: str = field(init=False)
    token: str = field(init=False)
    headers: dict[str, str] = field(init=False)
    namespace: str | None = field(init=False)
    admin: AdminClient = field(init=False)

    def __post_init__(self) -> None:
        self.url = self.endpoint.url
        self.api_url = self.url + API_PREFIX
        self.token = self.endpoint.token
        self.namespace = self.endpoint.namespace
        self.headers = {
            "X-Ninja-Token": self.token,
            "Content-Type": "application/json",
            "Accept": "application/json",
        } | ({NAMESPACE_HEADER: self.namespace} if self.namespace else {})
        self.admin = self.endpoint.admin


class NinjaSandbox(_Base):
    """What the ``ninja_sandbox`` fixture gives a test: addresses, headers, admin client and helpers."""

    def assert_requested(
        self, method: str | None = None, path: str | None = None, count: int | None = None, **matcher: Any
    ) -> dict[str, Any]:
        """Assert the journal holds matching requests (at least one, or exactly ``count``)."""
        result: dict[str, Any] = self.admin._call(
            "verify_requests", body=_verify_body(method, path, count, matcher)
        )
        if not result["pass"]:
            raise AssertionError(_verify_failure(result))
        return result

    def requests(
        self, method: str | None = None, path: str | None = None, **matcher: Any
    ) -> list[dict[str, Any]]:
        """The journaled requests a matcher selects, oldest first."""
        found: list[dict[str, Any]] = self.admin.find_requests(_matcher(method, path, matcher))["requests"]
        return found

    def outbox(self, **filters: str | int | None) -> list[dict[str, Any]]:
        """The emails sent, oldest first (filters: ``to``, ``subject``, ``invoice_id``, ...)."""
        messages: list[dict[str, Any]] = self.admin.list_outbox(**filters)["messages"]
        return messages

    def last_email(self, **filters: str | int | None) -> dict[str, Any] | None:
        """The newest matching email, or None."""
        messages = self.outbox(**filters)
        return messages[-1] if messages else None

    def webhooks(self, **filters: str | int | None) -> list[dict[str, Any]]:
        """The webhook deliveries, oldest first (filters: ``event``, ``status``, ...)."""
        deliveries: list[dict[str, Any]] = self.admin.list_webhooks(**filters)["deliveries"]
        return deliveries

    def server_errors(self) -> list[dict[str, Any]]:
        """Unexpected exceptions the server met since the reset (none on a sandbox without the route)."""
        try:
            return _server_errors(self.admin.list_errors())
        except AdminError as exc:
            if exc.status == 404:
                return []
            raise


@pytest.fixture
def ninja_sandbox(request: pytest.FixtureRequest) -> Iterator[NinjaSandbox]:
    """A sandbox reset to the test's starting state, with helpers; server exceptions fail the test."""
    endpoint, reset = _prepare(request)
    endpoint.admin.reset(**reset)
    sandbox = NinjaSandbox(endpoint, reset["dataset"], reset["seed"])
    yield sandbox
    errors = sandbox.server_errors()
    if errors:
        pytest.fail(_server_errors_report(errors), pytrace=False)


if importlib.util.find_spec("pytest_asyncio") is not None and importlib.util.find_spec("aiohttp") is not None:
    import aiohttp
    import pytest_asyncio

    class AsyncNinjaSandbox(_Base):
        """What ``ninja_sandbox_async`` gives: the same attributes, coroutine helpers, an aiohttp session."""

        session: aiohttp.ClientSession

        async def _call(
            self, route_name: str, query: Mapping[str, Any] | None = None, body: Any = None
        ) -> Any:
            method, url, data = self.admin._prepare(route_name, None, query, body)
            async with self.session.request(
                method, url, data=data, headers=request_headers(data, self.admin.headers)
            ) as answer:
                return read_answer(answer.status, answer.headers.get("Content-Type", ""), await answer.read())

        async def assert_requested(
            self, method: str | None = None, path: str | None = None, count: int | None = None, **matcher: Any
        ) -> dict[str, Any]:
            """Assert the journal holds matching requests (at least one, or exactly ``count``)."""
            result: dict[str, Any] = await self._call(
                "verify_requests", body=_verify_body(method, path, count, matcher)
            )
            if not result["pass"]:
                raise AssertionError(_verify_failure(result))
            return result

        async def requests(
            self, method: str | None = None, path: str | None = None, **matcher: Any
        ) -> list[dict[str, Any]]:
            """The journaled requests a matcher selects, oldest first."""
            found: list[dict[str, Any]] = (
                await self._call("find_requests", body=_matcher(method, path, matcher))
            )["requests"]
            return found

        async def outbox(self, **filters: str | int | None) -> list[dict[str, Any]]:
            """The emails sent, oldest first."""
            query = {key: value for key, value in filters.items() if value is not None}
            messages: list[dict[str, Any]] = (await self._call("list_outbox", query))["messages"]
            return messages

        async def last_email(self, **filters: str | int | None) -> dict[str, Any] | None:
            """The newest matching email, or None."""
            messages = await self.outbox(**filters)
            return messages[-1] if messages else None

        async def webhooks(self, **filters: str | int | None) -> list[dict[str, Any]]:
            """The webhook deliveries, oldest first."""
            query = {key: value for key, value in filters.items() if value is not None}
            deliveries: list[dict[str, Any]] = (await self._call("list_webhooks", query))["deliveries"]
            return deliveries

        async def server_errors(self) -> list[dict[str, Any]]:
            """Unexpected exceptions the server met since the reset."""
            try:
                return _server_errors(await self._call("list_errors"))
            except AdminError as exc:
                if exc.status == 404:
                    return []
                raise

    @pytest_asyncio.fixture
    async def ninja_sandbox_async(request: pytest.FixtureRequest) -> AsyncIterator[AsyncNinjaSandbox]:
        """``ninja_sandbox`` for async tests: coroutine helpers and an ``aiohttp.ClientSession``."""
        endpoint, reset = _prepare(request)
        sandbox = AsyncNinjaSandbox(endpoint, reset["dataset"], reset["seed"])
        async with aiohttp.ClientSession(headers=sandbox.headers) as session:
            sandbox.session = session
            await sandbox._call("reset", body=reset)
            yield sandbox
            errors = await sandbox.server_errors()
        if errors:
            pytest.fail(_server_errors_report(errors), pytrace=False)

else:

    @pytest.fixture
    def ninja_sandbox_async() -> None:
        """``ninja_sandbox`` for async tests; needs pytest-asyncio (pytest-aiohttp installs it)."""
        pytest.fail("ninja_sandbox_async needs pytest-asyncio: pip install pytest-aiohttp", pytrace=False)
