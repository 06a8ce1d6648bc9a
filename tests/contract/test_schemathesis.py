"""Schemathesis against a real sandbox: what the document promises is what the API answers.

Two phases from the seeded state: every operation alone (valid and invalid input), then scenarios
that follow the document's links. Together they send at least 2,000 generated requests; none may
fail a check, and the server may meet no unexpected exception (bad input gets v4's error answer).
"""

from __future__ import annotations

import pytest
from contract_fuzz import FuzzReport, load_schema, run_stateful, run_stateless

from sandbox import SandboxServer

STATELESS_MINIMUM = 1300
STATEFUL_MINIMUM = 700
SENT: dict[str, int] = {}


@pytest.mark.slow
def test_stateless_phase_finds_no_failure(server: SandboxServer) -> None:
    report = FuzzReport(server.url)
    report.reset()
    report.server_errors.clear()
    schema = load_schema(server.url)
    run_stateless(schema, report, positive=6, negative=4)
    SENT["stateless"] = report.total
    assert not report.problems(), report.problems()
    assert report.total >= STATELESS_MINIMUM
    assert len(report.requests) == len(list(schema.get_all_operations()))  # every operation was sent


@pytest.mark.slow
def test_stateful_phase_finds_no_failure(server: SandboxServer) -> None:
    report = FuzzReport(server.url)
    report.reset()
    report.server_errors.clear()
    run_stateful(load_schema(server.url), report, scenarios=55, steps=15)
    SENT["stateful"] = report.total
    assert not report.problems(), report.problems()
    assert report.total >= STATEFUL_MINIMUM


def test_both_phases_sent_at_least_2000_requests() -> None:
    if set(SENT) != {"stateless", "stateful"}:
        pytest.skip("runs after both phases in the same process")
    assert sum(SENT.values()) >= 2000, SENT
