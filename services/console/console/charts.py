"""Bar charts drawn by the console as SVG (templates/charts.html), laid out here from a report's
figures: one row per label, a bar per series side by side, or the series stacked into one bar.
The chart only pictures the figures; the table beside it, from the same answer, is what to read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

WIDTH = 640
LABEL_WIDTH = 190  # the row's label, right-aligned against the bars
VALUE_WIDTH = 110  # the figure written after the longest bar
BAR_HEIGHT = 16
ROW_GAP = 12
LEGEND_HEIGHT = 26
TOP = 6


@dataclass(frozen=True)
class Series:
    name: str
    css: str  # the bar's class in console.css: its colour


@dataclass(frozen=True)
class Row:
    label: str
    values: Sequence[object]  # one figure per series, as the service sent it (None: not known)
    shown: Sequence[str]  # the same, as the reader reads it
    total: str = ""  # a stack's whole, written after it


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    css: str = ""


@dataclass
class Chart:
    """A chart's geometry, in SVG user units."""

    title: str
    width: int = WIDTH
    height: int = 0
    bars: list[Bar] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    legend: list[tuple[Bar, Text]] = field(default_factory=list)


def bar_chart(title: str, series: Sequence[Series], rows: Sequence[Row], *, stacked: bool = False) -> Chart:
    """Rows of bars on one scale, the largest bar (or stack) filling the width."""
    chart = Chart(title)
    top = TOP + (_legend(chart, series) if len(series) > 1 else 0)
    scale = _scale(rows, stacked)
    bars_per_row = 1 if stacked else len(series)
    row_height = bars_per_row * BAR_HEIGHT + ROW_GAP
    for index, row in enumerate(rows):
        y = top + index * row_height
        chart.texts.append(Text(LABEL_WIDTH - 8, y + bars_per_row * BAR_HEIGHT / 2 + 4, row.label, "end", "label"))
        if stacked:
            _stack(chart, series, row, y, scale)
        else:
            _side_by_side(chart, series, row, y, scale)
    chart.height = int(top + max(len(rows), 1) * row_height)
    return chart


def _legend(chart: Chart, series: Sequence[Series]) -> int:
    x = LABEL_WIDTH
    for one in series:
        box = Bar(x, TOP, 12, 12, one.css, one.name)
        chart.legend.append((box, Text(x + 16, TOP + 10, one.name, css="legend")))
        x += 28 + 8 * len(one.name) + (6 * sum(1 for ch in one.name if ord(ch) > 0x2E80))
    return LEGEND_HEIGHT


def _side_by_side(chart: Chart, series: Sequence[Series], row: Row, y: float, scale: float) -> None:
    for offset, (one, value, shown) in enumerate(zip(series, row.values, row.shown)):
        top = y + offset * BAR_HEIGHT
        width = _number(value) * scale
        title = f"{row.label} · {one.name}: {shown}"
        chart.bars.append(Bar(LABEL_WIDTH, top + 1, width, BAR_HEIGHT - 2, one.css, title))
        chart.texts.append(Text(LABEL_WIDTH + width + 4, top + BAR_HEIGHT - 4, shown, css="value"))


def _stack(chart: Chart, series: Sequence[Series], row: Row, y: float, scale: float) -> None:
    x = float(LABEL_WIDTH)
    for one, value, shown in zip(series, row.values, row.shown):
        width = _number(value) * scale
        if width > 0:
            chart.bars.append(Bar(x, y + 1, width, BAR_HEIGHT - 2, one.css, f"{row.label} · {one.name}: {shown}"))
        x += width
    chart.texts.append(Text(x + 4, y + BAR_HEIGHT - 4, row.total, css="value"))


def _scale(rows: Sequence[Row], stacked: bool) -> float:
    if stacked:
        largest = max((sum(_number(v) for v in row.values) for row in rows), default=0.0)
    else:
        largest = max((_number(v) for row in rows for v in row.values), default=0.0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    return room / largest if largest > 0 else 0.0


def _number(value) -> float:
    if value is None or value == "":
        return 0.0
    try:
        return max(float(Decimal(str(value))), 0.0)
    except InvalidOperation:
        return 0.0
