"""Schemathesis against the running sandbox: the stateless and stateful phases, counted and collected.

Every response is checked with Schemathesis' own checks: no server error the document does not
declare, a documented status, content type, body and headers. Failures are collected (one per
operation, status and kind) rather than stopping at the first, so one run shows them all; the
server's own log of unexpected exceptions (``/__admin/errors``) is read before each reset.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, CheckContext, GenerationMode, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

TOKEN = "TOKEN"
SECRET = "SECRET"


def documented_server_error(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """``not_a_server_error``, except for the 500s the document declares (v4's own, e.g. ``/x/create``).

    Whether such a 500 was deliberate, and not an exception that happened to land on a route that
    declares one, is checked separately: every unexpected exception is in ``/__admin/errors``.
    """
    if response.status_code >= 500 and case.operation.responses.find_by_status_code(response.status_code):
        return None
    return not_a_server_error(ctx, response, case)


CHECKS = [
    documented_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _settings(**extra: Any) -> settings:
    return settings(
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        **extra,
    )


@dataclass
class FuzzReport:
    """What a phase sent and what went wrong."""

    base_url: str
    requests: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, int, str], str] = field(default_factory=dict)
    server_errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many requests the phase sent."""
        return sum(self.requests.values())

    def check(self, case: Case, response: Response) -> None:
        """Run the checks on one answer and keep any failure."""
        self.requests[case.operation.label] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                key = (case.operation.label, response.status_code, type(failure).__name__)
                self.failures.setdefault(key, f"{group}"[:3000])

    def collect_server_errors(self) -> None:
        """Keep the server's unexpected exceptions (a reset forgets them)."""
        answer = httpx.get(f"{self.base_url}/__admin/errors", timeout=30)
        answer.raise_for_status()
        self.server_errors.extend(answer.json()["errors"])

    def reset(self) -> None:
        """Back to the seeded state, after reading the exceptions the reset would forget."""
        self.collect_server_errors()
        httpx.post(f"{self.base_url}/__admin/reset", timeout=30).raise_for_status()

    def problems(self) -> str:
        """Every failure and unexpected exception, readable; empty when there are none."""
        parts = [
            f"{label} -> {status} ({kind}):\n{text}" for (label, status, kind), text in self.failures.items()
        ]
        parts += [f"{e['method']} {e['path']}:\n{e['traceback']}" for e in self.server_errors]
        return "\n\n".join(parts)


def load_schema(base_url: str) -> Any:
    """The v4 document as the sandbox serves it, with the demo token and the API secret."""
    config = schemathesis.Config.from_dict(
        {
            "auth": {"openapi": {"NinjaToken": {"api_key": TOKEN}, "NinjaSecret": {"api_key": SECRET}}},
            # Only the links the document declares: inferred ones multiply the rules and the run time.
            "phases": {"stateful": {"inference": {"algorithms": []}}},
        }
    )
    return schemathesis.openapi.from_url(f"{base_url}/api-docs", config=config)


def run_stateless(schema: Any, report: FuzzReport, *, positive: int, negative: int) -> None:
    """Each operation on its own: ``positive`` valid and ``negative`` invalid requests at most."""
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, examples in ((GenerationMode.POSITIVE, positive), (GenerationMode.NEGATIVE, negative)):
            strategy: st.SearchStrategy[Case] = operation.as_strategy(generation_mode=mode)

            @_settings(max_examples=examples)
            @given(case=strategy)
            def send(case: Case) -> None:
                report.check(case, case.call())

            send()
    report.collect_server_errors()


def run_stateful(schema: Any, report: FuzzReport, *, scenarios: int, steps: int) -> None:
    """Scenarios that follow the document's links, each from the seeded state."""
    base: Any = schema.as_state_machine()

    class Scenario(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            report.reset()

        def validate_response(
            self, response: Response, case: Case, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            report.check(case, response)

    Scenario.run(settings=_settings(max_examples=scenarios, stateful_step_count=steps))
    report.collect_server_errors()
