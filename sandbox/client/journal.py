"""AdminClient methods for the request journal: ``/__admin/requests``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.client.transport import Transport


class JournalMethods(Transport):
    """The request journal: ``/__admin/requests``."""

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
