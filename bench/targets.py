"""The issue's targets, checked against the figures of one bench run."""

from __future__ import annotations

from bench.fixture_cost import FixtureCost
from bench.report import CaseResult, DatasetResult, growth

MET, MISSED = "met", "**not met**"


def _case(result: DatasetResult, name: str) -> CaseResult | None:
    return next((row for row in result.cases if row.case == name), None)


def _base_ratio(row: CaseResult | None) -> float:
    if row is None:
        return float("nan")
    return row.ratio("rps")


def targets_table(small: DatasetResult, large: DatasetResult, fixture: FixtureCost | None) -> str:
    """One row per target: what it asks, what was measured, met or not."""
    rows: list[tuple[str, str, bool]] = []

    def ratio_target(label: str, case: str, floor: float) -> None:
        for result in (small, large):
            for suffix in ("", " (every request distinct)"):
                row = _case(result, case + suffix)
                value = _base_ratio(row) if row is not None and not row.sandbox.errors else float("nan")
                what = "same request repeated" if not suffix else "every request distinct"
                rows.append(
                    (f"{label} ≥ {floor}× baseline ({result.name}, {what})", f"{value:.2f}×", value >= floor)
                )

    ratio_target("GET one record", "GET /clients/1", 0.5)
    ratio_target("GET a page of 15 invoices with items", "GET /invoices?per_page=15", 0.25)
    for result in (small, large):
        post = _case(result, "POST /invoices (3 lines, data file + log)")
        if post is not None:
            s = post.sandbox
            rows.append(
                (
                    f"POST invoice (durable) ≥ 2,000 req/s, p99 < 50 ms, 32 connections ({result.name})",
                    f"{s.rps:,.0f} req/s, p99 {s.p99_ms:.1f} ms",
                    s.rps >= 2000 and s.p99_ms < 50,
                )
            )
    large_by_case = {row.case: row for row in large.cases}
    for row in small.cases:
        other = large_by_case.get(row.case)
        if other is not None and row.sandbox.rps:
            share = growth(row, other)
            rows.append((f"growth ≥ 0.8×: {row.case}", f"{share:.2f}×", share >= 0.8))
    if small.cold_start is not None:
        median = small.cold_start.median
        rows.append((f"cold start to healthy < 0.5 s ({small.name})", f"{median / 1000:.2f} s", median < 500))
    if small.reset is not None:
        rows.append(
            (
                "`POST /__admin/reset` < 5 ms (demo, median)",
                f"{small.reset.median:.2f} ms",
                small.reset.median < 5,
            )
        )
    if fixture is not None:
        rows.append(
            ("fixture cost per test < 5 ms (demo)", f"{fixture.per_test_ms:.2f} ms", fixture.per_test_ms < 5)
        )
    worst = max((row.rss_mb for row in large.cases), default=large.idle_rss_mb)
    rows.append(
        (
            f"memory < 150 MB at {large.invoices:,} invoices (RSS, max after a run)",
            f"{worst:.0f} MB",
            worst < 150,
        )
    )
    rows.append(
        (
            f"memory < 150 MB at {large.invoices:,} invoices (RSS when healthy)",
            f"{large.idle_rss_mb:.0f} MB",
            large.idle_rss_mb < 150,
        )
    )
    lines = ["| target | measured | |", "|---|---:|---|"]
    lines += [f"| {label} | {value} | {MET if ok else MISSED} |" for label, value, ok in rows]
    return "\n".join(lines)
