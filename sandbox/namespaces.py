"""Namespaces: isolated copies of the whole sandbox (data, journal, outbox, webhooks, clock, faults).

A request picks one with the ``X-Sandbox-Namespace`` header, or by ending its API token with
``~name`` (for clients that cannot add headers). The copy is seeded on first use from the server's
dataset and seed, so parallel test workers can share one server without seeing each other. Requests
that name none use the default namespace, the one the dashboard and the command line show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from sandbox.keys import namespaces_key, request_runtime_key, request_selection_key
from sandbox.runtime import Runtime
from sandbox.settings import MEMORY

NAMESPACE_HEADER = "X-Sandbox-Namespace"
TOKEN_MARK = "~"
TOKEN_HEADER = "X-Ninja-Token"
#: Each namespace holds a whole seeded database in memory; this bounds what a runaway client can ask.
NAMESPACE_LIMIT = 64
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


class NamespaceError(ValueError):
    """A namespace name that is malformed, or one namespace too many."""


@dataclass(frozen=True)
class Selection:
    """What a request asked for: the namespace ("" for the default) and its API token without the mark."""

    namespace: str
    token: str


def check_name(name: str) -> str:
    """The name if it is a valid namespace name (letters, digits, ``_`` and ``-``, up to 64), else raise."""
    if not _NAME.fullmatch(name):
        raise NamespaceError(
            f"namespace names are 1 to 64 letters, digits, '_' or '-', starting with a letter or digit, "
            f"not {name!r}"
        )
    return name


def select(headers: dict[str, str] | web.Request) -> Selection:
    """The namespace a request names (header or token suffix) and its plain token; raises if they clash."""
    source = headers.headers if isinstance(headers, web.Request) else headers
    raw_token = source.get(TOKEN_HEADER, "")
    token, mark, suffix = raw_token.rpartition(TOKEN_MARK)
    if not mark:
        token, suffix = raw_token, ""
    header = source.get(NAMESPACE_HEADER, "").strip()
    if header and suffix and header != suffix:
        raise NamespaceError(f"the {NAMESPACE_HEADER} header names {header!r} but the token names {suffix!r}")
    namespace = header or suffix
    return Selection(namespace=check_name(namespace) if namespace else "", token=token)


def data_path(data: str, namespace: str) -> str:
    """Where a namespace keeps its data: beside the default data file, or in memory like it."""
    if data == MEMORY:
        return MEMORY
    path = Path(data)
    return str(path.with_name(f"{path.stem}.ns-{namespace}{path.suffix or '.json'}"))


class Namespaces:
    """The default runtime and the namespaces opened so far, created on first use."""

    def __init__(self, root: Runtime, limit: int = NAMESPACE_LIMIT) -> None:
        self.root = root
        self.limit = limit
        self._opened: dict[str, Runtime] = {}

    def get(self, namespace: str) -> Runtime:
        """The runtime of a namespace ("" is the default), opening (and seeding) it on first use."""
        if not namespace:
            return self.root
        runtime = self._opened.get(namespace)
        if runtime is None:
            if len(self._opened) >= self.limit:
                raise NamespaceError(
                    f"this sandbox already holds {self.limit} namespaces; "
                    f"delete some with DELETE /__admin/namespaces/{{name}}"
                )
            root = self.root
            settings = root.settings.replace(data=data_path(root.settings.data, namespace))
            runtime = Runtime.open(settings, seeds=root.seeds)
            self._opened[namespace] = runtime
        return runtime

    def names(self) -> list[str]:
        """The namespaces opened so far, in the order they were first used."""
        return list(self._opened)

    def find(self, namespace: str) -> Runtime | None:
        """An opened namespace's runtime, or None."""
        return self._opened.get(namespace)

    async def drop(self, namespace: str) -> bool:
        """Close a namespace and forget its data (its file too); False if it was never opened."""
        runtime = self._opened.pop(namespace, None)
        if runtime is None:
            return False
        await runtime.close()
        runtime.discard_files()
        return True

    async def close(self) -> None:
        """Close every namespace, then the default one."""
        for runtime in self._opened.values():
            await runtime.close()
        self._opened.clear()
        await self.root.close()


def runtime_of(request: web.Request) -> Runtime:
    """The runtime a request works on: its namespace's, or the default one."""
    runtime = request.get(request_runtime_key)
    if runtime is None:
        runtime = request.app[namespaces_key].get(selection_of(request).namespace)
        request[request_runtime_key] = runtime
    return runtime


def selection_of(request: web.Request) -> Selection:
    """``select(request)``, worked out once per request."""
    chosen = request.get(request_selection_key)
    if chosen is None:
        chosen = request[request_selection_key] = select(request)
    return chosen


def api_token(request: web.Request) -> str:
    """The request's API token without any ``~namespace`` mark."""
    return selection_of(request).token
