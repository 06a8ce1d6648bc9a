"""AdminClient methods for faults and the throttle: ``/__admin/faults``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.client.transport import Transport


class FaultMethods(Transport):
    """Faults and the throttle: ``/__admin/faults``."""

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
