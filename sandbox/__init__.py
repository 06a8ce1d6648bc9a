"""ninja-sandbox: a local, stateful sandbox of the Invoice Ninja v4 REST API."""

from __future__ import annotations

__version__ = "0.1.0"

from sandbox.app import create_app
from sandbox.client import AdminClient
from sandbox.server import SandboxServer
from sandbox.settings import Settings

__all__ = ["AdminClient", "SandboxServer", "Settings", "__version__", "create_app"]
