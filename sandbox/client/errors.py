"""AdminClient methods for server exceptions: ``/__admin/errors``."""

from __future__ import annotations

from typing import Any

from sandbox.client.transport import Transport


class ErrorMethods(Transport):
    """Server exceptions: ``/__admin/errors``."""

    def list_errors(self) -> dict[str, Any]:
        """``GET /__admin/errors``: unexpected exceptions the server met, oldest first."""
        result: dict[str, Any] = self._call("list_errors")
        return result

    def clear_errors(self) -> dict[str, Any]:
        """``DELETE /__admin/errors``: forget the recorded exceptions."""
        result: dict[str, Any] = self._call("clear_errors")
        return result
