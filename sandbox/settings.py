"""Settings: one frozen dataclass, filled from command-line flags or ``SANDBOX_*`` variables.

Nothing here is read at import time; ``Settings.from_env()`` and the CLI do it at the edge.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MEMORY = ":memory:"


@dataclass(frozen=True)
class Settings:
    """Everything that shapes one sandbox instance."""

    host: str = "127.0.0.1"
    port: int = 8000
    data: str = "./sandbox-data.json"
    fixtures: str = "demo"
    seed: int = 1
    token: str = "TOKEN"
    api_secret: str = "SECRET"
    error_delay: float = 3.0
    journal_limit: int = 10_000
    fsync: bool = False
    max_body_bytes: int = 12 * 1024 * 1024
    throttle: str = "off"
    admin_token: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def in_memory(self) -> bool:
        """True when nothing is kept on disk."""
        return self.data == MEMORY

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``SANDBOX_*`` variables, defaults for the rest."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in SETTING_SPECS:
            raw = env.get(spec.env)
            if raw is not None and raw != "":
                values[spec.name] = spec.parse(raw)
        return cls(**values)


def parse_throttle(text: str) -> tuple[int, int] | None:
    """``(limit, period_s)`` for a ``--throttle`` value, None for ``off``; ValueError when malformed.

    ``on`` is v4's hosted throttle (1000 requests an hour); ``LIMIT/SECONDS`` sets both numbers.
    """
    text = text.strip().lower()
    if text in ("", "off"):
        return None
    if text == "on":
        return 1000, 3600
    limit, slash, period = text.partition("/")
    if (
        slash
        and (limit + period).isascii()
        and limit.isdigit()
        and period.isdigit()
        and int(limit)
        and int(period)
    ):
        return int(limit), int(period)
    raise ValueError(f"throttle must be off, on or LIMIT/SECONDS such as 100/60, not {text!r}")


class ThrottleSetting(str):
    """A ``--throttle`` value, checked when it is read."""

    def __new__(cls, raw: str) -> ThrottleSetting:
        parse_throttle(raw)
        return super().__new__(cls, raw.strip().lower())


def _parse_bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SettingSpec:
    """How one setting is spelt as a flag and as an environment variable."""

    name: str
    flag: str
    env: str
    kind: type
    help: str

    def parse(self, raw: str) -> Any:
        """Turn the text of a flag or variable into the setting's type."""
        if self.kind is bool:
            return _parse_bool(raw)
        return self.kind(raw)


SETTING_SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("host", "--host", "SANDBOX_HOST", str, "address to bind"),
    SettingSpec("port", "--port", "SANDBOX_PORT", int, "port to bind; 0 picks a free one"),
    SettingSpec("data", "--data", "SANDBOX_DATA", str, "TinyDB JSON file holding all state, or :memory:"),
    SettingSpec("fixtures", "--fixtures", "SANDBOX_FIXTURES", str, "bundled dataset name or dataset file"),
    SettingSpec("seed", "--seed", "SANDBOX_SEED", int, "seed for every random choice"),
    SettingSpec("token", "--token", "SANDBOX_TOKEN", str, "the demo account's API token"),
    SettingSpec("api_secret", "--api-secret", "SANDBOX_API_SECRET", str, "the API secret for /login"),
    SettingSpec(
        "error_delay", "--error-delay", "SANDBOX_ERROR_DELAY", float, "seconds before an invalid-token 403"
    ),
    SettingSpec(
        "journal_limit", "--journal-limit", "SANDBOX_JOURNAL_LIMIT", int, "requests kept in the journal"
    ),
    SettingSpec("fsync", "--fsync", "SANDBOX_FSYNC", bool, "fsync every write (survive power loss)"),
    SettingSpec(
        "max_body_bytes", "--max-body-bytes", "SANDBOX_MAX_BODY_BYTES", int, "largest request body accepted"
    ),
    SettingSpec(
        "throttle",
        "--throttle",
        "SANDBOX_THROTTLE",
        ThrottleSetting,
        "v4's hosted API throttle: off, on (1000 requests an hour) or LIMIT/SECONDS",
    ),
    SettingSpec(
        "admin_token",
        "--admin-token",
        "SANDBOX_ADMIN_TOKEN",
        str,
        "when set, everything outside /api/v1 needs it (X-Sandbox-Admin-Token, Bearer or Basic)",
    ),
)
