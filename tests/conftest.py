"""Shared fixtures: one real sandbox per session on 127.0.0.1, reset before every test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox import SandboxServer, Settings

TOKEN = "TOKEN"
OTHER_TOKEN = "TOKEN2"


@pytest.fixture(scope="session")
def server() -> Iterator[SandboxServer]:
    """A sandbox in a background thread, in memory, with no error delay."""
    settings = Settings(port=0, data=":memory:", error_delay=0, seed=1)
    with SandboxServer(settings) as running:
        yield running


@pytest.fixture
def base_url(server: SandboxServer) -> str:
    """The server's URL after a reset to the seeded demo state."""
    response = httpx.post(server.url_for("/__admin/reset"))
    assert response.status_code == 200, response.text
    return server.url


@pytest.fixture
def api(base_url: str) -> Iterator[httpx.Client]:
    """An HTTP client for ``/api/v1`` with the demo account's token."""
    with httpx.Client(base_url=base_url + "/api/v1", headers={"X-Ninja-Token": TOKEN}, timeout=10) as client:
        yield client


@pytest.fixture
def other_api(base_url: str) -> Iterator[httpx.Client]:
    """An HTTP client for ``/api/v1`` with the second account's token."""
    with httpx.Client(
        base_url=base_url + "/api/v1", headers={"X-Ninja-Token": OTHER_TOKEN}, timeout=10
    ) as client:
        yield client


@pytest.fixture
def anonymous(base_url: str) -> Iterator[httpx.Client]:
    """An HTTP client for ``/api/v1`` that sends no token."""
    with httpx.Client(base_url=base_url + "/api/v1", timeout=10) as client:
        yield client


@pytest.fixture
def admin(base_url: str) -> Iterator[httpx.Client]:
    """An HTTP client for ``/__admin``."""
    with httpx.Client(base_url=base_url + "/__admin", timeout=10) as client:
        yield client
