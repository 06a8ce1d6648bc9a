"""A grouped bar chart as plain geometry, for the template to draw as inline SVG (no script, no library)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

TOP, BOTTOM, RIGHT = 12.0, 40.0, 8.0
GRIDLINES = 4


@dataclass(frozen=True)
class Point:
    """One group of bars: its caption (two lines) and one value per series."""

    label: str
    sub: str
    values: tuple[float, ...]
    titles: tuple[str, ...]


@dataclass(frozen=True)
class Bar:
    """A bar: its box, its series (a CSS class) and its tooltip."""

    x: float
    y: float
    width: float
    height: float
    series: str
    title: str


@dataclass(frozen=True)
class Gridline:
    """A horizontal rule and its value label."""

    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    """A caption under a group of bars."""

    x: float
    label: str
    sub: str


@dataclass(frozen=True)
class Chart:
    """Everything the SVG template draws, in the units of its ``viewBox``."""

    width: float
    height: float
    left: float
    baseline: float
    bars: tuple[Bar, ...]
    gridlines: tuple[Gridline, ...]
    ticks: tuple[Tick, ...]


def nice_step(maximum: float, count: int = GRIDLINES) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that covers ``maximum`` in ``count`` steps."""
    if maximum <= 0:
        return 1.0
    raw = maximum / count
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def bar_chart(
    points: Sequence[Point],
    series: Sequence[str],
    label: Callable[[float], str],
    width: float = 720.0,
    height: float = 260.0,
    left: float = 60.0,
) -> Chart:
    """The geometry of a grouped bar chart of ``points`` (one bar per series in each group)."""
    maximum = max((value for point in points for value in point.values), default=0.0)
    step = nice_step(maximum)
    top_value = step * max(1, math.ceil(maximum / step))
    plot_height = height - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = (width - left - RIGHT) / max(1, len(points))
    bar_width = min(22.0, slot * 0.8 / max(1, len(series)))
    group_width = bar_width * len(series)
    bars: list[Bar] = []
    ticks: list[Tick] = []
    for index, point in enumerate(points):
        start = left + slot * index + (slot - group_width) / 2
        for position, (name, value) in enumerate(zip(series, point.values, strict=True)):
            bar_height = plot_height * max(value, 0.0) / top_value
            x = start + bar_width * position
            bars.append(
                Bar(x, baseline - bar_height, bar_width - 1, bar_height, name, point.titles[position])
            )
        ticks.append(Tick(left + slot * index + slot / 2, point.label, point.sub))
    gridlines = tuple(
        Gridline(baseline - plot_height * step * n / top_value, label(step * n))
        for n in range(0, round(top_value / step) + 1)
    )
    return Chart(width, height, left, baseline, tuple(bars), gridlines, tuple(ticks))


def compact(value: float, currency: dict[str, object]) -> str:
    """A short axis label: ``$12k``, ``1.5M €``."""
    for limit, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            number = f"{value / limit:.1f}".rstrip("0").rstrip(".") + suffix
            break
    else:
        number = f"{value:.0f}"
    symbol = str(currency.get("symbol") or currency.get("code") or "")
    return f"{number} {symbol}" if currency.get("swap_currency_symbol") else f"{symbol}{number}"
