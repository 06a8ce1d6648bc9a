"""The transport under ``AdminClient``: calls an admin route by its name in the route table."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

Query = Mapping[str, str | int | float | bool | None]
_DEFAULT_TIMEOUT = 60.0


class AdminError(Exception):
    """An admin route answered an error status; ``body`` is the decoded JSON answer (or its text)."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body
        message = body.get("error") if isinstance(body, dict) else None
        super().__init__(f"admin API answered {status}: {message if message is not None else body!r}")


def _routes() -> dict[str, tuple[str, str]]:
    # Imported on first use: the route table imports the server's modules, which import the package.
    from sandbox.admin.routes import ADMIN_ROUTES
    from sandbox.admin.table import PREFIX

    return {route.name: (route.method, PREFIX + route.path) for route in ADMIN_ROUTES}


def _query_text(query: Query | None) -> str:
    if not query:
        return ""
    pairs = []
    for name, value in query.items():
        if value is None:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        pairs.append((name, text))
    return "?" + urlencode(pairs) if pairs else ""


#: The header that names a namespace, and the one that carries ``--admin-token``.
NAMESPACE_HEADER = "X-Sandbox-Namespace"
ADMIN_TOKEN_HEADER = "X-Sandbox-Admin-Token"


def request_headers(data: bytes | None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The headers of an admin call: JSON in (when there is a body), JSON out, and ``extra``."""
    headers = {"Accept": "application/json"} | ({} if data is None else {"Content-Type": "application/json"})
    return headers | dict(extra or {})


def read_answer(status: int, content_type: str, raw: bytes) -> Any:
    """An admin answer's content (JSON decoded, anything else as bytes); ``AdminError`` for 4xx/5xx."""
    is_json = content_type.split(";")[0].strip().endswith("json")
    if status < 400:
        return (json.loads(raw) if raw else None) if is_json else raw
    try:
        body: Any = json.loads(raw) if is_json and raw else raw.decode("utf-8", errors="replace")
    except ValueError:
        body = raw.decode("utf-8", errors="replace")
    raise AdminError(status, body)


def wait_body(count: int, timeout_ms: int | None, filters: Mapping[str, Any]) -> dict[str, Any]:
    """The body of a ``/wait`` route: the filters that are set, ``count`` and, if given, ``timeout_ms``."""
    body = {key: value for key, value in filters.items() if value is not None}
    body["count"] = count
    if timeout_ms is not None:
        body["timeout_ms"] = timeout_ms
    return body


class Transport:
    """HTTP to ``BASE_URL/__admin``: each admin route is called by its name in the route table."""

    def __init__(
        self,
        base_url: str,
        timeout: float = _DEFAULT_TIMEOUT,
        *,
        namespace: str | None = None,
        admin_token: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.namespace = namespace
        self.admin_token = admin_token
        self._table: dict[str, tuple[str, str]] | None = None
        # One keep-alive connection per thread: a test suite resets before every test, and a new
        # connection per call would cost more than the reset itself.
        self._local = threading.local()
        self._opened: list[http.client.HTTPConnection] = []
        self._opened_lock = threading.Lock()

    def close(self) -> None:
        """Close the kept connections (a later call opens a new one)."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()
        self._local = threading.local()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # A client dropped without ``close()`` must not leave sockets for the interpreter to warn about.
        for connection in getattr(self, "_opened", ()):
            connection.close()

    def __repr__(self) -> str:
        extra = f", namespace={self.namespace!r}" if self.namespace else ""
        return f"AdminClient({self.base_url!r}{extra})"

    @property
    def headers(self) -> dict[str, str]:
        """The headers every call sends: the namespace and the admin token, when set."""
        headers = {NAMESPACE_HEADER: self.namespace} if self.namespace else {}
        return headers | ({ADMIN_TOKEN_HEADER: self.admin_token} if self.admin_token else {})

    def _prepare(
        self,
        route_name: str,
        path_params: Mapping[str, str | int] | None = None,
        query: Query | None = None,
        body: Any = None,
    ) -> tuple[str, str, bytes | None]:
        """The method, URL and JSON body of a call to the admin route named ``route_name``."""
        if self._table is None:
            self._table = _routes()
        method, template = self._table[route_name]
        path = template
        for name, value in (path_params or {}).items():
            path = path.replace("{" + name + "}", quote(str(value), safe=""))
        data = None if body is None else json.dumps(body).encode()
        return method, self.base_url + path + _query_text(query), data

    def _call(
        self,
        route_name: str,
        path_params: Mapping[str, str | int] | None = None,
        query: Query | None = None,
        body: Any = None,
    ) -> Any:
        """Call the admin route named ``route_name``; JSON answers decoded, others as bytes."""
        method, url, data = self._prepare(route_name, path_params, query, body)
        status, content_type, raw = self._send(method, url, data, request_headers(data, self.headers))
        return read_answer(status, content_type, raw)

    def _connection(self, scheme: str, netloc: str) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's open connection to ``netloc`` (and whether it was used before), or a new one."""
        kept: dict[str, http.client.HTTPConnection] = self._local.__dict__.setdefault("connections", {})
        key = f"{scheme}://{netloc}"
        connection = kept.get(key)
        if connection is not None:
            return connection, True
        factory = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        connection = kept[key] = factory(netloc, timeout=self.timeout)
        with self._opened_lock:
            self._opened.append(connection)
        return connection, False

    def _forget(self, scheme: str, netloc: str) -> None:
        kept: dict[str, http.client.HTTPConnection] = self._local.__dict__.get("connections", {})
        connection = kept.pop(f"{scheme}://{netloc}", None)
        if connection is not None:
            connection.close()
            with self._opened_lock:
                self._opened = [each for each in self._opened if each is not connection]

    def _send(
        self, method: str, url: str, data: bytes | None, headers: dict[str, str]
    ) -> tuple[int, str, bytes]:
        """One request on this thread's keep-alive connection: status, content type and body."""
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        while True:
            connection, reused = self._connection(parts.scheme, parts.netloc)
            try:
                connection.request(method, target, body=data, headers=headers)
                answer = connection.getresponse()
                raw = answer.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._forget(parts.scheme, parts.netloc)
                if reused:
                    continue  # the server had closed the idle connection before it read this request
                raise
            except BaseException:
                self._forget(parts.scheme, parts.netloc)
                raise
            if answer.will_close:
                self._forget(parts.scheme, parts.netloc)
            return answer.status, answer.getheader("Content-Type", ""), raw

    # -- health and reset

    def health(self) -> dict[str, Any]:
        """``GET /__admin/health``: liveness, version, data file, dataset and seed."""
        result: dict[str, Any] = self._call("health")
        return result

    def reset(self, *, dataset: str | None = None, seed: int | None = None) -> dict[str, Any]:
        """``POST /__admin/reset``: back to the seeded state, optionally of another dataset or seed."""
        body = {key: value for key, value in (("dataset", dataset), ("seed", seed)) if value is not None}
        result: dict[str, Any] = self._call("reset", body=body)
        return result
