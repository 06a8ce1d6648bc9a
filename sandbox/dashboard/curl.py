"""``curl`` command lines that repeat a request, for the "copy as curl" buttons."""

from __future__ import annotations

import shlex
from collections.abc import Mapping

#: Headers curl sends by itself, or that describe the connection rather than the request.
SKIPPED = frozenset({"host", "content-length", "connection", "accept-encoding", "user-agent", "expect"})


def curl_command(method: str, url: str, headers: Mapping[str, str] = {}, body: str = "") -> str:
    """A shell command line that sends the same request (one option per line)."""
    parts = ["curl"]
    if method == "HEAD":
        parts.append("--head")
    elif method != "GET" or body:
        parts.append(f"-X {method}")
    parts.append(shlex.quote(url))
    for name, value in headers.items():
        if name.lower() in SKIPPED or (name.lower() == "accept" and value == "*/*"):
            continue
        parts.append(f"-H {shlex.quote(f'{name}: {value}')}")
    if body:
        parts.append(f"--data-raw {shlex.quote(body)}")
    return " \\\n  ".join(parts)
