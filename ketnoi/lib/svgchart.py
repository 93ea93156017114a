"""The arithmetic of the small charts the prices pages draw as inline SVG on the server: where
each point, bar and axis label goes. Templates only write out the numbers computed here.

A price holds from the day its list takes effect until the next list, so a price history is drawn
as steps, not as slopes between lists (a slope would show prices nobody ever charged). Bars start
at zero so that their lengths compare honestly. Pure: no Django.
"""

import math
from dataclasses import dataclass
from datetime import date

from ketnoi.lib.pricecheck import format_amount


@dataclass(frozen=True)
class Tick:
    position: float  # x for a date axis, y for an amount axis, in SVG units
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    amount: int

    @property
    def label(self) -> str:
        return f"{self.day:%d/%m/%Y}: {format_amount(self.amount)}"


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float     # the plot area's edges
    right: float
    top: float
    bottom: float
    points: list[Point]
    path: str       # the steps through the points, as an SVG path
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    baseline_y: float | None  # the commitment's baseline price, drawn as a dashed line


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    amount: int

    @property
    def amount_label(self) -> str:
        return format_amount(self.amount)


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    bars: list[Bar]
    x_ticks: list[Tick]


def nice_ticks(low: int, high: int, count: int = 4) -> list[int]:
    """About ``count`` intervals of a round step (1, 2, 2.5 or 5 × 10ⁿ whole đồng) covering
    [low, high]; a flat range is widened so that it still has an axis. Never below zero."""
    low, high = sorted((int(low), int(high)))
    if low == high:
        pad = max(abs(low) // 10, 1)
        low, high = max(low - pad, 0), high + pad
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next((int(m * magnitude) for m in (1, 2, 2.5, 5, 10) if int(m * magnitude) >= raw), 1)
    step = max(step, 1)
    start = (low // step) * step
    end = -(-high // step) * step
    return list(range(start, end + 1, step))


def _round(value: float) -> float:
    return round(value, 1)


def _spaced(candidates: list[tuple[float, str]], min_gap: float) -> list[Tick]:
    """Keep labels at least ``min_gap`` apart, always the first and the last."""
    kept: list[tuple[float, str]] = []
    for position, label in candidates:
        if kept and position - kept[-1][0] < min_gap:
            if (position, label) == candidates[-1] and len(kept) > 1:
                kept[-1] = (position, label)  # the latest date matters more than the one before it
            continue
        kept.append((position, label))
    return [Tick(_round(position), label) for position, label in kept]


def price_history(points: list[tuple[date, int]], *, until: date | None = None, baseline: int | None = None,
                  width: int = 420, height: int = 180, margin_left: int = 100, margin_right: int = 40,
                  margin_top: int = 12, margin_bottom: int = 30, label_gap: int = 76) -> LineChart:
    """A step chart of one service's price: ``points`` are (day the list took effect, price),
    oldest first; the last price is drawn on to ``until`` (today) when that is later."""
    if not points:
        raise ValueError("a price history needs at least one price")
    points = sorted(points, key=lambda point: point[0])
    left, right = float(margin_left), float(width - margin_right)
    top, bottom = float(margin_top), float(height - margin_bottom)
    first_day = points[0][0]
    last_day = max(points[-1][0], until or points[-1][0])
    days = (last_day - first_day).days
    amounts = [amount for _day, amount in points] + ([baseline] if baseline is not None else [])
    ticks = nice_ticks(min(amounts), max(amounts))
    floor, ceiling = ticks[0], ticks[-1]

    def x_of(day: date) -> float:
        if days == 0:
            return (left + right) / 2
        return left + (day - first_day).days / days * (right - left)

    def y_of(amount: int) -> float:
        return bottom - (amount - floor) / (ceiling - floor) * (bottom - top)

    placed = [Point(_round(x_of(day)), _round(y_of(amount)), day, amount) for day, amount in points]
    path = [f"M{placed[0].x} {placed[0].y}"]
    for point in placed[1:]:
        path.append(f"H{point.x} V{point.y}")
    end = _round(x_of(last_day))
    if end > placed[-1].x:
        path.append(f"H{end}")
    day_labels = [(x_of(day), f"{day:%d/%m/%Y}") for day in dict.fromkeys([day for day, _amount in points] + [last_day])]
    return LineChart(
        width=width, height=height, left=left, right=right, top=top, bottom=bottom, points=placed, path=" ".join(path),
        x_ticks=_spaced(day_labels, label_gap),
        y_ticks=[Tick(_round(y_of(tick)), format_amount(tick)) for tick in ticks],
        baseline_y=None if baseline is None else _round(y_of(baseline)),
    )


def bars(rows: list[tuple[str, int]], *, width: int = 640, bar_height: int = 22, gap: int = 8,
         margin_left: int = 220, margin_right: int = 110, margin_top: int = 8, margin_bottom: int = 28) -> BarChart:
    """Horizontal bars, one per (label, price), in the order given, from zero to a round maximum."""
    ticks = nice_ticks(0, max([amount for _label, amount in rows] or [1]))
    ceiling = ticks[-1] or 1
    left, right = float(margin_left), float(width - margin_right)
    height = margin_top + len(rows) * (bar_height + gap) + margin_bottom
    placed = [Bar(x=left, y=float(margin_top + i * (bar_height + gap)), width=_round(amount / ceiling * (right - left)),
                  height=float(bar_height), label=label, amount=amount) for i, (label, amount) in enumerate(rows)]
    return BarChart(width=width, height=height, left=left, right=right, top=float(margin_top),
                    bottom=float(height - margin_bottom), bars=placed,
                    x_ticks=[Tick(_round(left + tick / ceiling * (right - left)), format_amount(tick)) for tick in ticks])
