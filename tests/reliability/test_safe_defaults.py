"""Safe defaults: loopback only, the admin token, constant-time comparisons, bounded memory.

* The server binds 127.0.0.1 unless ``--host`` says otherwise.
* With ``--admin-token`` set, ``/__admin`` and the dashboard answer 401 JSON without the token (header,
  Bearer or Basic); ``/__admin/health``, the dashboard's static assets and the v4 API stay open.
* The journal and the outbox keep at most ``--journal-limit`` entries and say how many they dropped.
* A 5,000-request soak (``bench/soak.py``'s mix) leaves the server's memory flat.
"""

from __future__ import annotations

import base64
import hmac
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

import httpx
import pytest
from rel_servers import ForkServer

from sandbox import SandboxServer, Settings
from sandbox.admin import guard
from sandbox.api import auth
from sandbox.client import AdminClient, AdminError

ADMIN_TOKEN = "s3cret-admin-token"
REPO = Path(__file__).resolve().parents[2]


def _listening_address(port: int) -> str:
    """The local address a listening TCP socket on ``port`` is bound to, from ``/proc/net/tcp``."""
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                assert len(address) == width
                return address
    raise AssertionError(f"nothing listens on port {port}")


def test_the_server_binds_loopback_unless_told_otherwise(fork: ForkServer, tmp_path: Path) -> None:
    assert Settings().host == "127.0.0.1"
    assert Settings.from_env({}).host == "127.0.0.1"
    server = fork.spawn(tmp_path / "bind.json")
    try:
        assert server.url.startswith("http://127.0.0.1:")
        port = int(server.url.rsplit(":", 1)[1])
        assert _listening_address(port) == "0100007F"  # 127.0.0.1, little-endian hex
    finally:
        fork.kill(server)
    everywhere = fork.spawn(tmp_path / "bind.json", "--host", "0.0.0.0")
    try:
        port = int(everywhere.url.rsplit(":", 1)[1])
        assert _listening_address(port) == "00000000"
    finally:
        fork.kill(everywhere)


# -- the admin token ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded() -> Iterator[SandboxServer]:
    """A sandbox started with an admin token."""
    settings = Settings(port=0, data=":memory:", error_delay=0, admin_token=ADMIN_TOKEN)
    with SandboxServer(settings) as server:
        yield server


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


REFUSED_WITHOUT = {
    "error": "this sandbox was started with --admin-token: send it in the X-Sandbox-Admin-Token header, "
    "as Authorization: Bearer <token>, or as the password of HTTP Basic authentication"
}
REFUSED_WRONG = {"error": "the admin token given does not match this sandbox's --admin-token"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/__admin/requests"),
        ("GET", "/__admin/state"),
        ("POST", "/__admin/reset"),
        ("PUT", "/__admin/state"),
        ("GET", "/__admin/outbox"),
        ("GET", "/__admin/errors"),
        ("GET", "/__admin/nope"),
        ("GET", "/__admin//state"),
        ("GET", "/__admin/health/../state"),
        ("GET", "/"),
        ("GET", "/requests"),
        ("POST", "/reset"),
        ("GET", "/clients"),
        ("GET", "/api-docs"),
        ("GET", "/no/such/page"),
    ],
)
def test_admin_and_dashboard_routes_need_the_token(guarded: SandboxServer, method: str, path: str) -> None:
    with httpx.Client(base_url=guarded.url, timeout=10) as web:
        missing = web.request(method, path)
        assert missing.status_code == 401
        assert missing.json() == REFUSED_WITHOUT
        assert missing.headers["WWW-Authenticate"] == 'Basic realm="ninja-sandbox admin", charset="UTF-8"'
        for wrong in (
            {"X-Sandbox-Admin-Token": "nope"},
            {"X-Sandbox-Admin-Token": ADMIN_TOKEN + "x"},
            {"Authorization": "Bearer " + ADMIN_TOKEN[:-1]},
            {"Authorization": _basic("admin", "nope")},
        ):
            refused = web.request(method, path, headers=wrong)
            assert refused.status_code == 401, wrong
            assert refused.json() == REFUSED_WRONG


@pytest.mark.parametrize(
    "credentials",
    [
        {"X-Sandbox-Admin-Token": ADMIN_TOKEN},
        {"Authorization": f"Bearer {ADMIN_TOKEN}"},
        {"Authorization": _basic("anyone", ADMIN_TOKEN)},
        {"Authorization": "Bearer wrong", "X-Sandbox-Admin-Token": ADMIN_TOKEN},
    ],
)
def test_the_token_opens_admin_and_dashboard(guarded: SandboxServer, credentials: dict[str, str]) -> None:
    with httpx.Client(base_url=guarded.url, headers=credentials, timeout=10) as web:
        requests = web.get("/__admin/requests")
        assert requests.status_code == 200
        assert set(requests.json()) >= {"requests", "total", "dropped"}
        page = web.get("/")
        assert page.status_code == 200
        assert page.headers["Content-Type"].startswith("text/html")
        missing = web.get("/__admin/nope")
        assert missing.status_code == 404


def test_health_assets_and_the_api_stay_open(guarded: SandboxServer) -> None:
    with httpx.Client(base_url=guarded.url, timeout=10) as web:
        health = web.get("/__admin/health")
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        assert web.get("/favicon.ico").status_code == 200
        page = web.get("/", headers={"X-Sandbox-Admin-Token": ADMIN_TOKEN}).text
        asset = next(part.split('"')[0] for part in page.split('href="/assets/')[1:])
        assert web.get(f"/assets/{asset}").status_code == 200
        clients = web.get("/api/v1/clients", headers={"X-Ninja-Token": "TOKEN"})
        assert clients.status_code == 200
        assert clients.json()["meta"]["pagination"]["total"] == 12
        unknown = web.get("/api/v1/nope", headers={"X-Ninja-Token": "TOKEN"})
        assert unknown.status_code == 404
        assert unknown.json() == {"error": {"message": "Route does not exist"}}
        # The admin token is no API token, and an API token opens nothing of the admin.
        assert web.get("/api/v1/clients", headers={"X-Ninja-Token": ADMIN_TOKEN}).status_code == 403
        assert web.get("/__admin/state", headers={"X-Sandbox-Admin-Token": "TOKEN"}).status_code == 401


def test_the_admin_client_sends_the_token(guarded: SandboxServer) -> None:
    assert AdminClient(guarded.url, admin_token=ADMIN_TOKEN).reset()["reset"] is True
    with pytest.raises(AdminError) as refused:
        AdminClient(guarded.url).reset()
    assert refused.value.status == 401
    assert refused.value.body == REFUSED_WITHOUT


def test_the_admin_token_setting_comes_from_flag_or_environment() -> None:
    assert Settings().admin_token == ""
    assert Settings.from_env({"SANDBOX_ADMIN_TOKEN": "from-env"}).admin_token == "from-env"
    from sandbox.cli import _parser, settings_from

    args = _parser().parse_args(["serve", "--admin-token", "from-flag"])
    assert settings_from(args).admin_token == "from-flag"


def test_tokens_are_compared_in_constant_time(guarded: SandboxServer) -> None:
    seen: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        seen.append((a, b))
        return real(a, b)

    # ``guard`` and ``auth`` both call ``hmac.compare_digest`` through the module, so one patch sees both.
    assert guard.hmac is auth.hmac is hmac
    with (
        mock.patch.object(hmac, "compare_digest", spy),
        httpx.Client(base_url=guarded.url, timeout=10) as web,
    ):
        admin_errors = web.get("/__admin/errors", headers={"X-Sandbox-Admin-Token": ADMIN_TOKEN})
        assert admin_errors.status_code == 200
        assert web.get("/api/v1/ping", headers={"X-Ninja-Token": "TOKEN"}).status_code == 200
    assert (ADMIN_TOKEN.encode(), ADMIN_TOKEN.encode()) in seen
    assert (b"token", b"token") in seen  # the API token, lower-cased as MySQL compares it


# -- bounded journal and outbox ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_journal() -> Iterator[SandboxServer]:
    settings = Settings(port=0, data=":memory:", error_delay=0, journal_limit=5)
    with SandboxServer(settings) as server:
        yield server


def test_the_journal_keeps_the_newest_entries_and_counts_the_dropped(small_journal: SandboxServer) -> None:
    with httpx.Client(base_url=small_journal.url, timeout=10) as web:
        assert web.post("/__admin/reset").status_code == 200
        for n in range(8):
            assert web.get(f"/api/v1/clients/{n + 1}", headers={"X-Ninja-Token": "TOKEN"}).status_code == 200
        journal = web.get("/__admin/requests").json()
        assert journal["total"] == 5
        assert journal["dropped"] == 3
        assert [entry["path"] for entry in journal["requests"]] == [
            f"/api/v1/clients/{n}" for n in range(4, 9)
        ]
        assert [entry["id"] for entry in journal["requests"]] == [4, 5, 6, 7, 8]


def test_the_outbox_keeps_the_newest_messages_and_counts_the_dropped(small_journal: SandboxServer) -> None:
    with httpx.Client(base_url=small_journal.url, timeout=10) as web:
        assert web.post("/__admin/reset").status_code == 200
        for _ in range(4):
            sent = web.post("/api/v1/email_invoice", json={"id": 1}, headers={"X-Ninja-Token": "TOKEN"})
            assert sent.json() == {"message": "success"}
        outbox = web.get("/__admin/outbox").json()
        assert outbox["total"] == 5
        sent_count = outbox["total"] + outbox["dropped"]
        assert sent_count % 4 == 0  # one message per contact of invoice 1, each time
        assert outbox["dropped"] == sent_count - 5
        assert [m["id"] for m in outbox["messages"]] == list(range(sent_count - 4, sent_count + 1))


def test_the_journal_also_has_a_byte_budget() -> None:
    from sandbox.journal import ENTRY_OVERHEAD, Journal, JournalEntry

    def entry(n: int, body: str) -> JournalEntry:
        raw = body.encode()
        return JournalEntry(n, 0.0, "POST", "/api/v1/documents", "", {}, raw, 200, {}, b"", 1.0, None, None)

    journal = Journal(limit=1000, max_bytes=10 * (ENTRY_OVERHEAD + 1000))
    for n in range(20):
        journal.record(entry(n, "x" * 1000))
    assert len(journal) == 10
    assert journal.dropped == 10
    assert journal.bytes <= journal.max_bytes
    journal.record(entry(20, "y" * 1_000_000))  # larger than the whole budget: kept, alone
    assert [e.id for e in journal.entries()] == [20]
    assert journal.dropped == 20


# -- the soak -----------------------------------------------------------------------------------------------


def _soak_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_soak", REPO / "bench" / "soak.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_5000_request_soak_leaves_memory_flat(fork: ForkServer, tmp_path: Path) -> None:
    soak = _soak_module()
    server = fork.spawn(tmp_path / "soak.json", "--journal-limit", "500")
    try:
        samples = soak.soak(server.url, server.pid, 5000, 1000, lambda *_: None)
        journal = httpx.get(server.url + "/__admin/requests", params={"limit": 0}, timeout=30).json()
    finally:
        fork.kill(server)
    assert journal["total"] == 500
    assert journal["dropped"] > 4000
    warmed = samples[1][1]  # after 2,000 requests: the journal is full, every route has run
    grown = max(rss for _, rss in samples[1:]) - warmed
    print(f"\nsoak: RSS {[round(rss, 1) for _, rss in samples]} MiB")
    assert grown < 8, f"RSS grew {grown:.1f} MiB over the last 3,000 requests: {samples}"
