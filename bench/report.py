"""The bench's tables (markdown) and the targets they are checked against."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.fixture_cost import FixtureCost
from bench.load import Summary

README = Path(__file__).resolve().parent / "README.md"
START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


@dataclass
class CaseResult:
    """One case on one dataset: the sandbox's runs, the baseline's runs, memory after the runs."""

    case: str
    dataset: str
    sandbox: Summary
    base: Summary | None
    rss_mb: float

    def ratio(self, figure: str) -> float:
        """The median, over the back-to-back pairs of runs, of the sandbox's ``figure`` (a ``Sample``
        field: ``rps``, ``p50_ms``, ``p99_ms``) over the baseline's.

        Each sandbox run follows its own baseline run, so a pair sees the same moment of the
        machine: the median of the pairs' ratios moves less than the ratio of the two medians.
        """
        if self.base is None:
            return float("nan")
        pairs = []
        for mine, base in zip(self.sandbox.samples, self.base.samples, strict=False):
            theirs = float(getattr(base, figure))
            ratio = float(getattr(mine, figure)) / theirs if theirs else float("nan")
            if not math.isnan(ratio):
                pairs.append(ratio)
        return statistics.median(pairs) if pairs else float("nan")


@dataclass
class Timing:
    """Repeated measurements of one duration, in milliseconds."""

    values_ms: list[float]

    @property
    def median(self) -> float:
        """The median."""
        ordered = sorted(self.values_ms)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def p99(self) -> float:
        """The 99th percentile (nearest rank)."""
        ordered = sorted(self.values_ms)
        return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]

    def text(self) -> str:
        """``median (min-max)``, or ``median (p99)`` for many values."""
        if len(self.values_ms) > 10:
            return f"{self.median:.1f} ms (p99 {self.p99:.1f} ms, n={len(self.values_ms)})"
        return f"{self.median:.0f} ms ({min(self.values_ms):.0f}–{max(self.values_ms):.0f})"


@dataclass
class DatasetResult:
    """Everything measured on one dataset."""

    name: str
    invoices: int
    cases: list[CaseResult] = field(default_factory=list)
    cold_start: Timing | None = None
    idle_rss_mb: float = float("nan")
    reset: Timing | None = None


def _times(ratio: float) -> str:
    return "–" if math.isnan(ratio) else f"{ratio:.2f}×"


def _ratio(value: float, base: float) -> str:
    return _times(value / base if base else float("nan"))


def throughput_table(results: Sequence[DatasetResult], seconds: float, runs: int, connections: int) -> str:
    """Requests/s, p50 and p99 for every case, each beside its ratio to the baseline."""
    lines = [
        f"Median of {runs} runs of {seconds:g} s each, {connections} connections; "
        "×base is the ratio to the bare aiohttp app answering the same request, run just before "
        "each sandbox run: the median of the pairs' ratios (for latency, lower is better).",
        "",
        "| case | data | req/s | spread | base req/s | ×base | p50 ms | ×base | p99 ms | ×base "
        "| errors | RSS MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for row in result.cases:
            s, b = row.sandbox, row.base
            lines.append(
                f"| {row.case} | {row.dataset} | {s.rps:,.0f} | ±{s.spread * 50:.0f}% | "
                f"{b.rps if b else float('nan'):,.0f} | {_times(row.ratio('rps'))} | "
                f"{s.p50_ms:.1f} | {_times(row.ratio('p50_ms'))} | "
                f"{s.p99_ms:.1f} | {_times(row.ratio('p99_ms'))} | {s.errors} | "
                f"{row.rss_mb:.0f} |"
            )
    return "\n".join(lines).replace("| nan |", "| – |")


def growth(small: CaseResult, large: CaseResult) -> float:
    """The case's throughput on the large dataset as a share of its throughput on the small one.

    Where the case has a baseline, the shares of the baseline are compared: the baseline sends the
    same bytes whatever the data size, so this cancels how much faster or slower the machine was
    during one dataset's runs, minutes apart from the other's. Without one, raw requests/s.
    """
    mine, theirs = large.ratio("rps"), small.ratio("rps")
    if math.isnan(mine) or math.isnan(theirs) or not theirs:
        return large.sandbox.rps / small.sandbox.rps if small.sandbox.rps else float("nan")
    return mine / theirs


def growth_table(small: DatasetResult, large: DatasetResult) -> str:
    """Each case's throughput on the large dataset as a share of its throughput on the small one."""
    lines = [
        f"{large.name} / {small.name} compares the two datasets' ×base where the case has a baseline "
        "(raw requests/s otherwise); the raw ratio is shown beside it.",
        "",
        f"| case | {small.name} req/s | {large.name} req/s | raw | {small.name} ×base | {large.name} ×base "
        f"| {large.name} / {small.name} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    large_by_case = {row.case: row for row in large.cases}
    for row in small.cases:
        other = large_by_case.get(row.case)
        if other is not None:
            lines.append(
                f"| {row.case} | {row.sandbox.rps:,.0f} | {other.sandbox.rps:,.0f} | "
                f"{_ratio(other.sandbox.rps, row.sandbox.rps)} | {_times(row.ratio('rps'))} | "
                f"{_times(other.ratio('rps'))} | {_times(growth(row, other))} |"
            )
    return "\n".join(lines)


def other_table(results: Sequence[DatasetResult], fixture: FixtureCost | None) -> str:
    """Cold start, reset, fixture cost and memory."""
    names = [r.name for r in results]
    lines = [f"| measure | {' | '.join(names)} |", "|---|" + "---|" * len(names)]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | {' | '.join(cells)} |")

    row(
        "cold start to healthy `/__admin/health`",
        [r.cold_start.text() if r.cold_start else "–" for r in results],
    )
    row("RSS when healthy", [f"{r.idle_rss_mb:.0f} MB" for r in results])
    row(
        "RSS after the runs (max)", [f"{max((c.rss_mb for c in r.cases), default=0):.0f} MB" for r in results]
    )
    row(
        "`POST /__admin/reset` (client-side, keep-alive)",
        [r.reset.text() if r.reset else "–" for r in results],
    )
    if fixture is not None:
        cells = ["–"] * len(results)
        cells[0] = (
            f"{fixture.per_test_ms:.2f} ms per test ({fixture.tests} tests: "
            f"{fixture.with_fixture_ms:.2f} ms each with, {fixture.without_fixture_ms:.2f} ms without)"
        )
        row("`ninja_sandbox` fixture cost", cells)
    return "\n".join(lines)


def update_readme(text: str, path: Path = README) -> None:
    """Replace the results between the markers in bench/README.md."""
    readme = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    path.write_text(pattern.sub(lambda _: f"{START}\n{text}\n{END}", readme), encoding="utf-8")
