"""``ApiCheck``'s throttle as a hosted v4 runs it on every route, switched at ``/__admin/faults/throttle``.

A self-hosted v4, the default here, throttles only the login-type routes; those stay throttled by
client address with v4's numbers whether this switch is on or not (reference §2.8). The bucket is
keyed by account, or by client address on ``ping`` with only the secret, and follows the sandbox
clock: each request adds ``period_s / limit`` to the level, which drains one per second; the first
request starts it at 0, so ``limit + 1`` back-to-back requests pass. Above ``period_s`` the answer
is 403 ``"Please wait N second(s)"`` (N rounded up) and the bucket is left as it was; a bucket idle
for ``period_s`` starts over, as v4's cache entries expire.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class ThrottleConfig:
    """The bucket's numbers: ``limit`` requests per ``period_s`` seconds (v4: 1000 an hour)."""

    limit: int = 1000
    period_s: int = 3600


class Throttle:
    """``ApiCheck``'s leaky bucket per key, in exact fractions of a second."""

    def __init__(self, initial: ThrottleConfig | None = None) -> None:
        self.initial = initial
        self.config = initial
        self.buckets: dict[str, tuple[Fraction, int]] = {}

    def configure(self, config: ThrottleConfig | None) -> None:
        """Switch on with these numbers (None: off); every bucket starts over."""
        self.config = config
        self.buckets.clear()

    def reset(self) -> None:
        """Back to the setting the sandbox started with."""
        self.configure(self.initial)

    def wait(self, key: str, now: int) -> int | None:
        """Seconds to wait when the request is refused, else None (and the bucket moves)."""
        config = self.config
        if config is None:
            return None
        entry = self.buckets.get(key)
        if entry is None or now - entry[1] >= config.period_s:
            level = Fraction(0)
        else:
            level = max(entry[0] - (now - entry[1]), Fraction(0)) + Fraction(config.period_s, config.limit)
        if level > config.period_s:
            return math.ceil(level - config.period_s)
        self.buckets[key] = (level, now)
        return None

    def to_json(self) -> dict[str, Any]:
        """The switch, its numbers and every live bucket."""
        config = self.config or ThrottleConfig()
        return {
            "enabled": self.config is not None,
            "limit": config.limit,
            "period_s": config.period_s,
            "buckets": [
                {"key": key, "level": float(level), "last_request": last}
                for key, (level, last) in self.buckets.items()
            ],
        }
