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
        self,
        *,
        advance: float | None = None,
        freeze: bool | float | str | None = None,
        to: float | str | None = None,
        jobs: bool | None = None,
    ) -> dict[str, Any]:
        """``POST /__admin/clock``: advance, set (``to``), freeze (now or at a time) or unfreeze the time.

        Moving forward runs v4's recurring-invoice and reminder jobs (unless ``jobs=False``); the
        answer lists what they did.
        """
        options = (("advance", advance), ("freeze", freeze), ("to", to), ("jobs", jobs))
        body = {key: value for key, value in options if value is not None}
        result: dict[str, Any] = self._call("set_clock", body=body)
        return result

    def list_overdue(self, account_key: str | None = None) -> dict[str, Any]:
        """``GET /__admin/clock/overdue``: the invoices past due at the sandbox's time."""
        result: dict[str, Any] = self._call("list_overdue", query={"account_key": account_key})
        return result
