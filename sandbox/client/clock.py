"""AdminClient methods for the clock: ``/__admin/clock``."""

from __future__ import annotations

from typing import Any

from sandbox.client.transport import Transport


class ClockMethods(Transport):
    """The clock: ``/__admin/clock``."""

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
