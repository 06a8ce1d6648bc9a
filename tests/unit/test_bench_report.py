"""The bench's ratios to its baseline: the median over back-to-back pairs of runs."""

from __future__ import annotations

import math

from bench.load import Sample, Summary
from bench.report import CaseResult, DatasetResult, growth, growth_table, throughput_table
from bench.targets import targets_table


def _runs(*rps: float) -> Summary:
    return Summary(
        tuple(Sample(rps=value, p50_ms=1000 / value, p99_ms=2000 / value, errors=0) for value in rps)
    )


def test_the_ratio_is_the_median_of_the_pairs_not_the_ratio_of_the_medians() -> None:
    # The machine slows down between pairs; each pair still shows the sandbox at half the baseline.
    row = CaseResult("GET /clients/1", "demo", _runs(500, 1000, 2000), _runs(1000, 2000, 4000), 50.0)
    assert row.ratio("rps") == 0.5
    assert row.ratio("p99_ms") == 2.0
    shuffled = CaseResult("GET /clients/1", "demo", _runs(500, 1000, 2000), _runs(4000, 1000, 2000), 50.0)
    assert shuffled.ratio("rps") == 1.0  # pairs 0.125, 1, 1
    assert shuffled.base is not None
    assert shuffled.sandbox.rps / shuffled.base.rps == 0.5  # what the ratio of the medians would say


def test_a_case_without_a_baseline_has_no_ratio() -> None:
    row = CaseResult("PUT /clients/1", "demo", _runs(500), None, 50.0)
    assert math.isnan(row.ratio("rps"))


def test_the_tables_show_the_paired_ratio() -> None:
    demo = DatasetResult("demo", 40)
    demo.cases.append(CaseResult("GET /clients/1", "demo", _runs(600, 1000), _runs(1000, 2000), 50.0))
    large = DatasetResult("100k", 100_000)
    large.cases.append(CaseResult("GET /clients/1", "100k", _runs(500, 1000), _runs(1000, 2000), 800.0))
    table = throughput_table([demo, large], 3, 2, 32)
    assert "| GET /clients/1 | demo | 800 | ±25% | 1,500 | 0.55× |" in table
    targets = targets_table(demo, large, None)
    assert "| GET one record ≥ 0.5× baseline (demo, same request repeated) | 0.55× | met |" in targets
    assert "| GET one record ≥ 0.5× baseline (100k, same request repeated) | 0.50× | met |" in targets


def test_growth_compares_the_shares_of_the_baseline_where_there_is_one() -> None:
    demo = CaseResult("GET /invoices?client_id=1", "demo", _runs(1000, 1000), _runs(2000, 2000), 50.0)
    # The machine ran a quarter slower during the large dataset's runs: the baseline shows it too.
    large = CaseResult("GET /invoices?client_id=1", "100k", _runs(750, 750), _runs(1500, 1500), 800.0)
    assert growth(demo, large) == 1.0
    slower = CaseResult("GET /invoices?client_id=1", "100k", _runs(500, 500), _runs(2000, 2000), 800.0)
    assert growth(demo, slower) == 0.5
    no_base = CaseResult("PUT /clients/1", "demo", _runs(1000), None, 50.0)
    assert growth(no_base, CaseResult("PUT /clients/1", "100k", _runs(900), None, 800.0)) == 0.9


def test_the_growth_table_shows_raw_and_baseline_shares() -> None:
    demo = DatasetResult("demo", 40)
    demo.cases.append(CaseResult("GET /clients/1", "demo", _runs(1000, 1000), _runs(2000, 2000), 50.0))
    large = DatasetResult("100k", 100_000)
    large.cases.append(CaseResult("GET /clients/1", "100k", _runs(750, 750), _runs(1500, 1500), 800.0))
    table = growth_table(demo, large)
    assert "| GET /clients/1 | 1,000 | 750 | 0.75× | 0.50× | 0.50× | 1.00× |" in table
    targets = targets_table(demo, large, None)
    assert "| growth ≥ 0.8×: GET /clients/1 | 1.00× | met |" in targets
