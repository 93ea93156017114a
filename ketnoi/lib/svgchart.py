"""The arithmetic of the small charts the prices pages and the dialogue dashboard draw as inline
SVG on the server: where each point, bar and axis label goes. Templates only write out the
numbers computed here.

A price holds from the day its list takes effect until the next list, so a price history is drawn
as steps, not as slopes between lists (a slope would show prices nobody ever charged). Bars start
at zero so that their lengths compare honestly. The dashboard's charts share one row of categories
(its sessions): stacked columns of counts, and lines of averages that break where a session has
none. Pure: no Django.
"""

import math
from collections.abc import Callable
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
         margin_left: int = 220, margin_right: int = 110, margin_top: int = 8, margin_bottom: int = 28,
         tick_label: Callable[[int], str] = format_amount) -> BarChart:
    """Horizontal bars, one per (label, price), in the order given, from zero to a round maximum.
    The axis is written in đồng unless ``tick_label`` writes it otherwise (counts: ``str``)."""
    ticks = nice_ticks(0, max([amount for _label, amount in rows] or [1]))
    ceiling = ticks[-1] or 1
    left, right = float(margin_left), float(width - margin_right)
    height = margin_top + len(rows) * (bar_height + gap) + margin_bottom
    placed = [Bar(x=left, y=float(margin_top + i * (bar_height + gap)), width=_round(amount / ceiling * (right - left)),
                  height=float(bar_height), label=label, amount=amount) for i, (label, amount) in enumerate(rows)]
    return BarChart(width=width, height=height, left=left, right=right, top=float(margin_top),
                    bottom=float(height - margin_bottom), bars=placed,
                    x_ticks=[Tick(_round(left + tick / ceiling * (right - left)), tick_label(tick)) for tick in ticks])


# --- columns and lines over a row of categories (the dialogue dashboard's sessions) -------------

@dataclass(frozen=True)
class Segment:
    """One series' part of a column: stacked on the parts of the series before it."""

    x: float
    y: float
    width: float
    height: float
    series: int     # index into the chart's series, for the template's colour class
    value: int


@dataclass(frozen=True)
class Column:
    label: str
    x: float        # the centre of the column's band
    top: float      # where its stack ends (the total's label sits above it)
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    columns: list[Column]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


@dataclass(frozen=True)
class SeriesPoint:
    x: float
    y: float
    label: str
    value: float


@dataclass(frozen=True)
class Series:
    points: list[SeriesPoint]  # only the categories that have a value
    path: str                  # straight segments; a category without a value breaks the line


@dataclass(frozen=True)
class SeriesChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def _bands(count: int, left: float, right: float) -> list[float]:
    """The centre of each of ``count`` equal bands across [left, right]."""
    band = (right - left) / max(count, 1)
    return [left + band * (i + 0.5) for i in range(count)]


def columns(labels: list[str], series: list[list[int]], *, width: int = 640, height: int = 220,
            margin_left: int = 44, margin_right: int = 12, margin_top: int = 18, margin_bottom: int = 30,
            fill: float = 0.6, label_gap: int = 40) -> ColumnChart:
    """Stacked columns, one per label; ``series`` holds one list of counts per series, each as
    long as ``labels``. The scale starts at zero and ends at a round number above the tallest
    stack, so that heights compare honestly."""
    if any(len(values) != len(labels) for values in series):
        raise ValueError("every series needs one value per label")
    if any(value < 0 for values in series for value in values):
        raise ValueError("columns count things: no negative values")
    totals = [sum(values[i] for values in series) for i in range(len(labels))]
    ticks = nice_ticks(0, max(totals or [0]))
    ceiling = ticks[-1] or 1
    left, right = float(margin_left), float(width - margin_right)
    top, bottom = float(margin_top), float(height - margin_bottom)
    centres = _bands(len(labels), left, right)
    band = (right - left) / max(len(labels), 1)
    bar = _round(band * fill)

    def y_of(value: float) -> float:
        return bottom - value / ceiling * (bottom - top)

    placed = []
    for i, (label, centre) in enumerate(zip(labels, centres)):
        stacked, segments = 0, []
        for index, values in enumerate(series):
            value = values[i]
            if value:
                upper = y_of(stacked + value)
                segments.append(Segment(x=_round(centre - bar / 2), y=_round(upper), width=bar,
                                        height=_round(y_of(stacked) - upper), series=index, value=value))
            stacked += value
        placed.append(Column(label=label, x=_round(centre), top=_round(y_of(stacked)), total=stacked,
                             segments=segments))
    return ColumnChart(width=width, height=height, left=left, right=right, top=top, bottom=bottom, columns=placed,
                       x_ticks=_spaced([(c, label) for c, label in zip(centres, labels)], label_gap),
                       y_ticks=[Tick(_round(y_of(tick)), str(tick)) for tick in ticks])


def lines(labels: list[str], series: list[list[float | None]], *, low: int = 0, high: int | None = None,
          width: int = 640, height: int = 220, margin_left: int = 44, margin_right: int = 12, margin_top: int = 18,
          margin_bottom: int = 30, label_gap: int = 40) -> SeriesChart:
    """One line per series across the labels, on the same bands as `columns` (so a line chart
    under a column chart lines up with it). A missing value (None) breaks the line there rather
    than bridging two categories with a value nobody gave. The scale runs from ``low`` to
    ``high`` (a survey's 1–5) or to a round number above the largest value."""
    if any(len(values) != len(labels) for values in series):
        raise ValueError("every series needs one value per label")
    given = [value for values in series for value in values if value is not None]
    if high is None:
        ticks = nice_ticks(low, math.ceil(max(given or [low])))
    else:
        ticks = nice_ticks(low, high)
    floor, ceiling = ticks[0], ticks[-1]
    left, right = float(margin_left), float(width - margin_right)
    top, bottom = float(margin_top), float(height - margin_bottom)
    centres = _bands(len(labels), left, right)

    def y_of(value: float) -> float:
        return bottom - (value - floor) / ((ceiling - floor) or 1) * (bottom - top)

    drawn = []
    for values in series:
        points, path, pen_down = [], [], False
        for label, centre, value in zip(labels, centres, values):
            if value is None:
                pen_down = False
                continue
            point = SeriesPoint(x=_round(centre), y=_round(y_of(value)), label=label, value=value)
            points.append(point)
            path.append(f"{'L' if pen_down else 'M'}{point.x} {point.y}")
            pen_down = True
        drawn.append(Series(points=points, path=" ".join(path)))
    return SeriesChart(width=width, height=height, left=left, right=right, top=top, bottom=bottom, series=drawn,
                       x_ticks=_spaced([(c, label) for c, label in zip(centres, labels)], label_gap),
                       y_ticks=[Tick(_round(y_of(tick)), str(tick)) for tick in ticks])
