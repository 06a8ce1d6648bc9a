"""Fixtures of the reliability tests: a fork server for real, fast-starting sandbox processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rel_servers import ForkServer


@pytest.fixture(scope="session")
def fork() -> Iterator[ForkServer]:
    """Starts ``ninja-sandbox serve`` processes (see ``rel_forkserver.py``); kills them all at the end."""
    with ForkServer() as server:
        yield server
