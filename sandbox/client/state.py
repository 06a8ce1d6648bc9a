"""AdminClient methods for state and snapshots: ``/__admin/state``, ``/__admin/snapshots``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.client.transport import Transport


class StateMethods(Transport):
    """State and snapshots: ``/__admin/state``, ``/__admin/snapshots``."""

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
