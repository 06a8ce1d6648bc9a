"""Faults and the throttle without a server: header syntax, rule bookkeeping, the bucket's arithmetic."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.admin.matching import parse_matcher
from sandbox.faults import Fault, Faults, FaultSpecError, parse_fault, parse_fault_header
from sandbox.journal import JournalEntry
from sandbox.settings import Settings, ThrottleSetting, parse_throttle
from sandbox.throttle import Throttle, ThrottleConfig


def _entry(**fields: Any) -> JournalEntry:
    values: dict[str, Any] = {
        "id": 0,
        "time": 1_700_000_000.0,
        "method": "GET",
        "path": "/api/v1/clients/5",
        "query": "",
        "headers": {"X-Ninja-Token": "TOKEN"},
        "raw_body": b"",
        "status": 0,
        "response_headers": {},
        "raw_response_body": b"",
        "duration_ms": 0.0,
        "account_key": "KEY1",
        "route": "/api/v1/clients/{clients}",
    }
    values.update(fields)
    return JournalEntry(**values)


# --- the header syntax ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "fault"),
    [
        ("latency=200", Fault(latency_ms=200)),
        ("error=500", Fault(error="500")),
        ("ERROR=403-Throttle", Fault(error="403-throttle")),
        ("drop", Fault(drop="before")),
        ("drop=after", Fault(drop="after")),
        ("truncate=10", Fault(truncate=10)),
        (" latency = 50 , error = 503 ", Fault(latency_ms=50, error="503")),
    ],
)
def test_header_syntax(header: str, fault: Fault) -> None:
    assert parse_fault_header(header) == fault


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("", "cannot read 'an empty part'"),
        ("latency=1,latency=2", "latency is given twice"),
        ("truncate=-1", "truncate needs a whole number"),
        ("error=", "cannot read 'error='"),
        ("error=404-nope", "unknown error 404-nope"),
        ("drop=later", 'drop must be true, "before" or "after"'),
        ("truncate=²", "truncate needs a whole number"),
        ("error=4²2", "unknown error 4²2"),
        ("latency=999999", "latency_ms must be at most 300000"),
    ],
)
def test_header_syntax_errors(header: str, message: str) -> None:
    with pytest.raises(FaultSpecError) as caught:
        parse_fault_header(header)
    assert str(caught.value).startswith(message)


def test_drop_must_be_true_not_one() -> None:
    with pytest.raises(FaultSpecError, match="drop must be true"):
        parse_fault({"drop": 1})


def test_fault_json_round_trips() -> None:
    for data in (
        {"latency_ms": 20, "error": 404},
        {"error": "403-throttle"},
        {"error": 429, "body": {"message": "slow"}},
        {"drop": True},
        {"drop": "after"},
        {"truncate": 0},
    ):
        assert parse_fault(data).to_json() == data
    assert parse_fault({"drop": "before"}).to_json() == {"drop": True}


def test_delays_follow_the_error_v4_would_sleep_before() -> None:
    assert parse_fault({"error": 403}).delay == "token"
    assert parse_fault({"error": "403-secret"}).delay == "token"
    assert parse_fault({"error": "403-throttle"}).delay == "throttle"
    assert parse_fault({"error": 500}).delay is None


# --- rules ------------------------------------------------------------------------------------------------


def test_rules_fire_in_order_and_count_down() -> None:
    faults = Faults()
    first = faults.add(parse_matcher({"path_template": "/api/v1/clients/{id}"}), Fault(error="500"), count=1)
    faults.add(parse_matcher({}), Fault(latency_ms=5))
    assert faults.pick(_entry()) == Fault(error="500")
    assert faults.pick(_entry()) == Fault(latency_ms=5)
    assert (first.matched, first.hits, first.remaining) == (1, 1, 0)
    assert faults.pick(_entry(path="/api/v1/products")) == Fault(latency_ms=5)


def test_account_matcher_targets_one_account() -> None:
    faults = Faults()
    faults.add(parse_matcher({"account": "KEY2"}), Fault(drop="before"))
    assert faults.pick(_entry()) is None
    assert faults.pick(_entry(account_key="KEY2")) == Fault(drop="before")


def test_probability_draws_are_seeded() -> None:
    def fired(seed: int) -> list[bool]:
        faults = Faults(seed=seed)
        faults.add(parse_matcher({}), Fault(error="500"), probability=0.5)
        return [faults.pick(_entry()) is not None for _ in range(40)]

    assert fired(7) == fired(7)
    assert 0 < sum(fired(7)) < 40
    never = Faults()
    rule = never.add(parse_matcher({}), Fault(error="500"), probability=0.0)
    assert all(never.pick(_entry()) is None for _ in range(50))
    assert (rule.matched, rule.hits) == (50, 0)


def test_reset_forgets_rules_and_restarts_ids() -> None:
    faults = Faults(ThrottleConfig(5, 60))
    faults.add(parse_matcher({}), Fault(error="500"))
    faults.throttle.configure(None)
    faults.reset(seed=1)
    assert faults.rules == []
    assert faults.add(parse_matcher({}), Fault(error="500")).id == 1
    assert faults.throttle.config == ThrottleConfig(5, 60)


# --- the throttle -----------------------------------------------------------------------------------------


def test_v4_numbers_let_1001_requests_through_then_ask_for_4_seconds() -> None:
    throttle = Throttle(ThrottleConfig())
    now = 1_700_000_000
    assert all(throttle.wait("account:1", now) is None for _ in range(1001))
    assert throttle.wait("account:1", now) == 4
    assert throttle.wait("account:1", now) == 4  # a refused request leaves the bucket alone
    assert throttle.wait("account:2", now) is None
    assert throttle.wait("account:1", now + 3) == 1
    assert throttle.wait("account:1", now + 4) is None
    assert throttle.wait("account:1", now + 4 + 3600) is None  # idle for the period: starts over
    assert throttle.buckets["account:1"] == (0, now + 4 + 3600)


def test_uneven_numbers_stay_exact() -> None:
    throttle = Throttle(ThrottleConfig(3, 10))
    assert [throttle.wait("k", 0) for _ in range(5)] == [None, None, None, None, 4]


def test_switched_off_never_refuses() -> None:
    throttle = Throttle()
    assert all(throttle.wait("k", 0) is None for _ in range(5000))
    assert throttle.to_json() == {"enabled": False, "limit": 1000, "period_s": 3600, "buckets": []}


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("off", None), ("", None), ("on", (1000, 3600)), (" ON ", (1000, 3600)), ("100/60", (100, 60))],
)
def test_throttle_setting(text: str, numbers: tuple[int, int] | None) -> None:
    assert parse_throttle(text) == numbers
    assert Faults.from_settings(Settings(throttle=ThrottleSetting(text))).throttle.config == (
        ThrottleConfig(*numbers) if numbers else None
    )


@pytest.mark.parametrize("text", ["yes", "100", "0/60", "10/0", "1.5/60", "a/b", "²/60"])
def test_bad_throttle_settings(text: str) -> None:
    with pytest.raises(ValueError, match="throttle must be off, on or LIMIT/SECONDS"):
        ThrottleSetting(text)


def test_throttle_setting_from_the_environment() -> None:
    assert Settings.from_env({"SANDBOX_THROTTLE": "50/30"}).throttle == "50/30"
    assert Settings.from_env({}).throttle == "off"
