"""v4's seeded lookup tables (currencies, countries, languages, ...), as a fresh v4.5.50 install has them."""

from __future__ import annotations

from functools import cached_property
from importlib import resources
from typing import Any

import orjson


class StaticData:
    """The lookup tables, loaded once from the package's ``data/static.json``."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self.tables = tables

    @classmethod
    def load(cls) -> StaticData:
        """Read the bundled tables."""
        raw = resources.files("sandbox").joinpath("data/static.json").read_bytes()
        return cls(orjson.loads(raw))

    @cached_property
    def _currency_codes(self) -> dict[str, dict[str, Any]]:
        return {str(row["code"]).lower(): row for row in self.tables["currencies"]}

    @cached_property
    def _country_codes(self) -> dict[str, dict[str, Any]]:
        index: dict[str, dict[str, Any]] = {}
        for row in self.tables["countries"]:
            for key in ("iso_3166_3", "iso_3166_2"):
                if row.get(key):
                    index[str(row[key]).lower()] = row
        return index

    def currency_by_code(self, code: str) -> dict[str, Any] | None:
        """The currency with this ISO code, case-insensitively."""
        return self._currency_codes.get(code.lower())

    def country_by_code(self, code: str) -> dict[str, Any] | None:
        """The country with this ISO 3166 alpha-2 or alpha-3 code, case-insensitively."""
        return self._country_codes.get(code.lower())
