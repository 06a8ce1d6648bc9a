"""The sandbox's notion of time.

Everything that stamps or compares a time (``updated_at``, default dates, the journal, the outbox
and the webhook log) asks the clock, so that tests can freeze, set or advance it without touching
the system time. Moving it forward through ``/__admin/clock`` also runs v4's scheduled jobs for the
time passed over (``sandbox.models.recurring_job``).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime


class Clock:
    """Wall-clock time, with an offset and an optional freeze for tests."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._frozen_at: float | None = None

    def now(self) -> float:
        """Seconds since the epoch, as the sandbox sees them."""
        if self._frozen_at is not None:
            return self._frozen_at
        return time.time() + self._offset

    def timestamp(self) -> int:
        """Whole seconds since the epoch, the unit of ``updated_at`` and ``archived_at``."""
        return int(self.now())

    def today(self) -> date:
        """Today's date in UTC, v4's default server time zone."""
        return datetime.fromtimestamp(self.now(), tz=UTC).date()

    @property
    def frozen(self) -> bool:
        """True while time stands still."""
        return self._frozen_at is not None

    def freeze(self, at: float | None = None) -> None:
        """Stop time at ``at`` (default: now)."""
        self._frozen_at = self.now() if at is None else at

    def unfreeze(self) -> None:
        """Let time run again from where it stands."""
        if self._frozen_at is not None:
            self._offset = self._frozen_at - time.time()
            self._frozen_at = None

    def reset(self) -> None:
        """Back to the wall clock, running."""
        self._offset = 0.0
        self._frozen_at = None

    def set(self, at: float) -> None:
        """Jump to ``at``, staying frozen or running as before."""
        if self._frozen_at is not None:
            self._frozen_at = at
        else:
            self._offset = at - time.time()

    def iso(self) -> str:
        """The time as ISO 8601 in UTC, to the second."""
        return datetime.fromtimestamp(self.now(), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def advance(self, seconds: float) -> None:
        """Move time forward (or back, with a negative value)."""
        if self._frozen_at is not None:
            self._frozen_at += seconds
        else:
            self._offset += seconds
