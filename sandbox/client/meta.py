"""AdminClient methods for the sandbox itself: namespaces, journal coverage and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from sandbox.client.transport import Transport


class MetaMethods(Transport):
    """Namespaces, coverage and the admin API's own description."""

    def list_namespaces(self) -> dict[str, Any]:
        """``GET /__admin/namespaces``: the namespaces opened so far."""
        result: dict[str, Any] = self._call("list_namespaces")
        return result

    def delete_namespace(self, name: str) -> dict[str, Any]:
        """``DELETE /__admin/namespaces/{name}``: close a namespace and forget its data."""
        result: dict[str, Any] = self._call("delete_namespace", {"name": name})
        return result

    def coverage(self, *, unseen: bool = False) -> dict[str, Any]:
        """``GET /__admin/coverage``: the v4 routes and error paths seen (``unseen``: only the gaps)."""
        result: dict[str, Any] = self._call("coverage", query={"unseen": unseen} if unseen else None)
        return result

    def clear_coverage(self) -> dict[str, Any]:
        """``DELETE /__admin/coverage``: start counting coverage again."""
        result: dict[str, Any] = self._call("clear_coverage")
        return result

    def openapi(self) -> dict[str, Any]:
        """``GET /__admin/openapi.json``: the admin API's OpenAPI 3 document."""
        result: dict[str, Any] = self._call("openapi")
        return result
