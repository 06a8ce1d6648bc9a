"""``AdminClient``: the ``/__admin`` API from Python, over plain HTTP with the standard library only.

It works the same against an in-process server, a subprocess or a container. Each method is one
admin route and is named after it (``AdminRoute.name``); the method and path are looked up in the
route table by that name, so the client and the server cannot disagree about them. JSON answers come
back decoded; any 4xx or 5xx raises :class:`AdminError`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

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


def request_headers(data: bytes | None) -> dict[str, str]:
    """The headers of an admin call: JSON in (when there is a body), JSON out."""
    return {"Accept": "application/json"} | ({} if data is None else {"Content-Type": "application/json"})


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


class AdminClient:
    """A client for ``BASE_URL/__admin``, e.g. ``AdminClient("http://127.0.0.1:8000")``."""

    def __init__(self, base_url: str, timeout: float = _DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._table: dict[str, tuple[str, str]] | None = None

    def __repr__(self) -> str:
        return f"AdminClient({self.base_url!r})"

    # -- transport -----------------------------------------------------------------------------------

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
        request = urllib.request.Request(url, data=data, method=method, headers=request_headers(data))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return read_answer(response.status, response.headers.get("Content-Type", ""), response.read())
        except urllib.error.HTTPError as exc:
            return read_answer(exc.code, exc.headers.get("Content-Type", ""), exc.read())

    # -- health and reset -----------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """``GET /__admin/health``: liveness, version, data file, dataset and seed."""
        result: dict[str, Any] = self._call("health")
        return result

    def reset(self, *, dataset: str | None = None, seed: int | None = None) -> dict[str, Any]:
        """``POST /__admin/reset``: back to the seeded state, optionally of another dataset or seed."""
        body = {key: value for key, value in (("dataset", dataset), ("seed", seed)) if value is not None}
        result: dict[str, Any] = self._call("reset", body=body)
        return result

    # -- state and snapshots -------------------------------------------------------------------------

    def get_state(self) -> dict[str, Any]:
        """``GET /__admin/state``: the whole database, ``{table: {doc_id: document}}``."""
        result: dict[str, Any] = self._call("get_state")
        return result

    def put_state(self, state: Mapping[str, Any]) -> dict[str, Any]:
        """``PUT /__admin/state``: replace the whole database."""
        result: dict[str, Any] = self._call("put_state", body=state)
        return result

    def patch_state(self, operations: list[dict[str, Any]]) -> dict[str, Any]:
        """``PATCH /__admin/state``: apply an RFC 6902 JSON Patch, all or nothing."""
        result: dict[str, Any] = self._call("patch_state", body=operations)
        return result

    def list_snapshots(self) -> dict[str, Any]:
        """``GET /__admin/snapshots``: the saved snapshots, oldest first."""
        result: dict[str, Any] = self._call("list_snapshots")
        return result

    def save_snapshot(self, name: str) -> dict[str, Any]:
        """``POST /__admin/snapshots``: save the data under ``name``."""
        result: dict[str, Any] = self._call("save_snapshot", body={"name": name})
        return result

    def restore_snapshot(self, name: str) -> dict[str, Any]:
        """``POST /__admin/snapshots/{name}/restore``: bring the saved data back."""
        result: dict[str, Any] = self._call("restore_snapshot", {"name": name})
        return result

    def delete_snapshot(self, name: str) -> dict[str, Any]:
        """``DELETE /__admin/snapshots/{name}``: forget a snapshot."""
        result: dict[str, Any] = self._call("delete_snapshot", {"name": name})
        return result

    # -- the request journal -------------------------------------------------------------------------

    def list_requests(self, **filters: str | int | None) -> dict[str, Any]:
        """``GET /__admin/requests``: journaled requests; filters ``method``, ``path``, ``status``, paging."""
        result: dict[str, Any] = self._call("list_requests", query=filters)
        return result

    def clear_requests(self) -> dict[str, Any]:
        """``DELETE /__admin/requests``: forget every journaled request."""
        result: dict[str, Any] = self._call("clear_requests")
        return result

    def find_requests(
        self, matcher: Mapping[str, Any] | None = None, *, limit: int | None = None, offset: int | None = None
    ) -> dict[str, Any]:
        """``POST /__admin/requests/find``: the requests a matcher selects, oldest first."""
        query = {"limit": limit, "offset": offset}
        result: dict[str, Any] = self._call("find_requests", query=query, body=dict(matcher or {}))
        return result

    def count_requests(self, matcher: Mapping[str, Any] | None = None) -> int:
        """``POST /__admin/requests/count``: how many requests a matcher selects."""
        result = self._call("count_requests", body=dict(matcher or {}))
        return int(result["count"])

    def verify_requests(
        self,
        matcher: Mapping[str, Any] | None = None,
        *,
        count: int | None = None,
        at_least: int | None = None,
        at_most: int | None = None,
        wait_ms: float | None = None,
    ) -> dict[str, Any]:
        """``POST /__admin/requests/verify``: ``pass``, ``count``, ``message`` and ``closest`` requests."""
        body: dict[str, Any] = {"matcher": dict(matcher or {})}
        options = {"count": count, "at_least": at_least, "at_most": at_most, "wait_ms": wait_ms}
        body.update({key: value for key, value in options.items() if value is not None})
        result: dict[str, Any] = self._call("verify_requests", body=body)
        return result

    def unmatched_requests(self, **filters: str | int | None) -> dict[str, Any]:
        """``GET /__admin/requests/unmatched``: requests that hit no v4 route."""
        result: dict[str, Any] = self._call("unmatched_requests", query=filters)
        return result

    def har_export(self, **filters: str | int | None) -> dict[str, Any]:
        """``GET /__admin/requests/har``: the journal as a HAR 1.2 document."""
        result: dict[str, Any] = self._call("har_export", query=filters)
        return result

    # -- clock ---------------------------------------------------------------------------------------

    def get_clock(self) -> dict[str, Any]:
        """``GET /__admin/clock``: the sandbox's time and whether it is frozen."""
        result: dict[str, Any] = self._call("get_clock")
        return result

    def set_clock(
        self, *, advance: float | None = None, freeze: bool | float | None = None
    ) -> dict[str, Any]:
        """``POST /__admin/clock``: advance the time, freeze it (now or at a unix time) or unfreeze it."""
        body = {key: value for key, value in (("advance", advance), ("freeze", freeze)) if value is not None}
        result: dict[str, Any] = self._call("set_clock", body=body)
        return result

    # -- faults --------------------------------------------------------------------------------------

    def list_faults(self) -> dict[str, Any]:
        """``GET /__admin/faults``: every fault rule, in the order tried."""
        result: dict[str, Any] = self._call("list_faults")
        return result

    def create_fault(
        self,
        fault: Any,
        *,
        match: Mapping[str, Any] | None = None,
        probability: float | None = None,
        count: int | None = None,
    ) -> dict[str, Any]:
        """``POST /__admin/faults``: add a fault rule for the API requests ``match`` selects."""
        body: dict[str, Any] = {"fault": fault}
        options = {"match": match, "probability": probability, "count": count}
        body.update({key: value for key, value in options.items() if value is not None})
        result: dict[str, Any] = self._call("create_fault", body=body)
        return result

    def clear_faults(self) -> dict[str, Any]:
        """``DELETE /__admin/faults``: delete every fault rule."""
        result: dict[str, Any] = self._call("clear_faults")
        return result

    def get_throttle(self) -> dict[str, Any]:
        """``GET /__admin/faults/throttle``: v4's hosted throttle switch, numbers and buckets."""
        result: dict[str, Any] = self._call("get_throttle")
        return result

    def set_throttle(
        self, *, enabled: bool, limit: int | None = None, period_s: int | None = None
    ) -> dict[str, Any]:
        """``PUT /__admin/faults/throttle``: switch v4's hosted throttle on or off."""
        body: dict[str, Any] = {"enabled": enabled}
        body.update(
            {key: value for key, value in (("limit", limit), ("period_s", period_s)) if value is not None}
        )
        result: dict[str, Any] = self._call("set_throttle", body=body)
        return result

    def get_fault(self, fault_id: int) -> dict[str, Any]:
        """``GET /__admin/faults/{id}``: one fault rule."""
        result: dict[str, Any] = self._call("get_fault", {"id": fault_id})
        return result

    def delete_fault(self, fault_id: int) -> dict[str, Any]:
        """``DELETE /__admin/faults/{id}``: delete one fault rule."""
        result: dict[str, Any] = self._call("delete_fault", {"id": fault_id})
        return result

    # -- outbox --------------------------------------------------------------------------------------

    def list_outbox(self, **filters: str | int | None) -> dict[str, Any]:
        """``GET /__admin/outbox``: emails sent, oldest first (``to``, ``subject``, ``invoice_id``, ...)."""
        result: dict[str, Any] = self._call("list_outbox", query=filters)
        return result

    def clear_outbox(self) -> dict[str, Any]:
        """``DELETE /__admin/outbox``: forget every email."""
        result: dict[str, Any] = self._call("clear_outbox")
        return result

    def latest_message(self, **filters: str | int | None) -> dict[str, Any]:
        """``GET /__admin/outbox/latest``: the newest matching email (``AdminError`` 404 if none)."""
        result: dict[str, Any] = self._call("latest_message", query=filters)
        return result

    def wait_outbox(
        self, *, count: int = 1, timeout_ms: int | None = None, **filters: str | int | None
    ) -> dict[str, Any]:
        """``POST /__admin/outbox/wait``: wait until ``count`` emails match the filters."""
        body = {key: value for key, value in filters.items() if value is not None}
        body["count"] = count
        if timeout_ms is not None:
            body["timeout_ms"] = timeout_ms
        result: dict[str, Any] = self._call("wait_outbox", body=body)
        return result

    def get_message(self, message_id: int) -> dict[str, Any]:
        """``GET /__admin/outbox/{id}``: one email with its bodies and attachment metadata."""
        result: dict[str, Any] = self._call("get_message", {"id": message_id})
        return result

    def delete_message(self, message_id: int) -> dict[str, Any]:
        """``DELETE /__admin/outbox/{id}``: forget one email."""
        result: dict[str, Any] = self._call("delete_message", {"id": message_id})
        return result

    def message_html(self, message_id: int) -> str:
        """``GET /__admin/outbox/{id}/html``: the email's HTML body."""
        return bytes(self._call("message_html", {"id": message_id})).decode("utf-8")

    def message_text(self, message_id: int) -> str:
        """``GET /__admin/outbox/{id}/text``: the email's plain-text body."""
        return bytes(self._call("message_text", {"id": message_id})).decode("utf-8")

    def get_attachment(self, message_id: int, index: int) -> bytes:
        """``GET /__admin/outbox/{id}/attachments/{index}``: an attachment's bytes."""
        return bytes(self._call("get_attachment", {"id": message_id, "index": index}))

    # -- webhooks ------------------------------------------------------------------------------------

    def list_webhooks(self, **filters: str | int | None) -> dict[str, Any]:
        """``GET /__admin/webhooks``: webhook deliveries, oldest first (``event``, ``status``, ...)."""
        result: dict[str, Any] = self._call("list_webhooks", query=filters)
        return result

    def clear_webhooks(self) -> dict[str, Any]:
        """``DELETE /__admin/webhooks``: forget the delivery log."""
        result: dict[str, Any] = self._call("clear_webhooks")
        return result

    def list_subscriptions(self, **filters: str | None) -> dict[str, Any]:
        """``GET /__admin/webhooks/subscriptions``: every subscription with its settings."""
        result: dict[str, Any] = self._call("list_subscriptions", query=filters)
        return result

    def get_subscription_settings(self, subscription_id: int) -> dict[str, Any]:
        """``GET /__admin/webhooks/subscriptions/{subscription_id}/settings``: delay and simulated failure."""
        params = {"subscription_id": subscription_id}
        result: dict[str, Any] = self._call("get_subscription_settings", params)
        return result

    def put_subscription_settings(self, subscription_id: int, settings: Mapping[str, Any]) -> dict[str, Any]:
        """``PUT /__admin/webhooks/subscriptions/{subscription_id}/settings``: ``delay_ms`` and ``fail``."""
        params = {"subscription_id": subscription_id}
        result: dict[str, Any] = self._call("put_subscription_settings", params, body=dict(settings))
        return result

    def wait_webhooks(
        self, *, count: int = 1, timeout_ms: int | None = None, **filters: str | int | None
    ) -> dict[str, Any]:
        """``POST /__admin/webhooks/wait``: wait until ``count`` finished deliveries match the filters."""
        body = {key: value for key, value in filters.items() if value is not None}
        body["count"] = count
        if timeout_ms is not None:
            body["timeout_ms"] = timeout_ms
        result: dict[str, Any] = self._call("wait_webhooks", body=body)
        return result

    def get_delivery(self, delivery_id: int) -> dict[str, Any]:
        """``GET /__admin/webhooks/{id}``: one delivery."""
        result: dict[str, Any] = self._call("get_delivery", {"id": delivery_id})
        return result

    def redeliver(self, delivery_id: int) -> dict[str, Any]:
        """``POST /__admin/webhooks/{id}/redeliver``: send the same delivery again, now."""
        result: dict[str, Any] = self._call("redeliver", {"id": delivery_id})
        return result

    # -- server errors -------------------------------------------------------------------------------

    def list_errors(self) -> dict[str, Any]:
        """``GET /__admin/errors``: unexpected exceptions the server met, oldest first."""
        result: dict[str, Any] = self._call("list_errors")
        return result

    def clear_errors(self) -> dict[str, Any]:
        """``DELETE /__admin/errors``: forget the recorded exceptions."""
        result: dict[str, Any] = self._call("clear_errors")
        return result
