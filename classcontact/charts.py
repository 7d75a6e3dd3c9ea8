"""Small charts drawn on the server as SVG: bars (stacked or not, across or upright) and lines.

No script and no inline style: the Content-Security-Policy forbids both. Colours come from
classes (``chart-s0`` … ``chart-s7``) styled in ``static/css/charts.css``; sizes and positions
are SVG attributes. Each chart carries a ``<title>`` for its accessible name; the page shows
the same numbers in a table right after it, for screen readers and for reading exact values.
"""

from dataclasses import dataclass
from html import escape
import uuid

from django.utils.safestring import SafeString, mark_safe

SERIES_CLASSES = 8  # chart-s0 … chart-s7 in static/css/charts.css

WIDTH = 640
ROW_HEIGHT = 26
PLOT_HEIGHT = 220
LEFT = 44
LABEL_WIDTH = 190
BOTTOM = 46
TOP = 12


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _svg(
    title: str, width: int, height: int, body: list[str], legend: list[Series] | None = None
) -> SafeString:
    title_id = f"chart-{uuid.uuid4().hex[:8]}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{title_id}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{title_id}">{escape(title)}</title>',
        *body,
        "</svg>",
    ]
    if legend and len(legend) > 1:
        items = "".join(
            f'<li><span class="chart-key chart-s{n % SERIES_CLASSES}" aria-hidden="true"></span>'
            f"{escape(series.label)}</li>"
            for n, series in enumerate(legend)
        )
        parts.append(f'<ul class="chart-legend" aria-hidden="true">{items}</ul>')
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _nice_max(value: float) -> float:
    """A round top for the axis: 1, 2, 2.5 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _grid(top_value: float, plot_top: int, plot_bottom: int, width: int) -> list[str]:
    lines = []
    for n in range(5):
        value = top_value * n / 4
        y = plot_bottom - (plot_bottom - plot_top) * n / 4
        lines.append(f'<line class="chart-grid" x1="{LEFT}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}"/>')
        lines.append(
            f'<text class="chart-axis" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{_number(value)}</text>'
        )
    return lines


def _x_labels(labels: list[str], step: float, plot_bottom: int) -> list[str]:
    every = max(1, len(labels) // 12)  # at most about twelve labels under the axis
    return [
        f'<text class="chart-axis" x="{LEFT + step * (n + 0.5):.1f}" y="{plot_bottom + 16}" '
        f'text-anchor="middle">{escape(label)}</text>'
        for n, label in enumerate(labels)
        if n % every == 0
    ]


def column_chart(title: str, labels: list[str], series: list[Series], *, stacked: bool = True) -> SafeString:
    """Upright bars, one group per label; several series are stacked (or side by side)."""
    plot_top, plot_bottom = TOP, TOP + PLOT_HEIGHT
    totals = [sum(s.values[n] for s in series) for n in range(len(labels))] if stacked else []
    peak = max(totals or [v for s in series for v in s.values] or [0])
    top_value = _nice_max(peak)
    step = (WIDTH - LEFT) / max(len(labels), 1)
    scale = (plot_bottom - plot_top) / top_value
    body = _grid(top_value, plot_top, plot_bottom, WIDTH)
    for n in range(len(labels)):
        base = plot_bottom
        for k, one in enumerate(series):
            value = one.values[n]
            if not value:
                continue
            height = value * scale
            if stacked:
                x, bar_width, y = LEFT + step * n + step * 0.15, step * 0.7, base - height
                base -= height
            else:
                bar_width = step * 0.7 / len(series)
                x, y = LEFT + step * n + step * 0.15 + k * bar_width, plot_bottom - height
            body.append(
                f'<rect class="chart-s{k % SERIES_CLASSES}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{bar_width:.1f}" height="{height:.1f}"/>'
            )
    body += _x_labels(labels, step, plot_bottom)
    return _svg(title, WIDTH, plot_bottom + BOTTOM - 16, body, legend=series)


def bar_chart(title: str, labels: list[str], values: list[float], *, unit: str = "") -> SafeString:
    """Bars across the page, one per label, the value written at the end of each."""
    height = TOP * 2 + ROW_HEIGHT * max(len(labels), 1)
    top_value = _nice_max(max(values or [0]))
    room = WIDTH - LABEL_WIDTH - 60
    body = []
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + ROW_HEIGHT * n
        length = room * value / top_value if top_value else 0
        body += [
            f'<text class="chart-label" x="{LABEL_WIDTH - 6}" y="{y + 17}" text-anchor="end">{escape(label)}</text>',
            f'<rect class="chart-s0" x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW_HEIGHT - 8}"/>',
            f'<text class="chart-value" x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 17}">'
            f"{_number(value)}{escape(unit)}</text>",
        ]
    return _svg(title, WIDTH, height, body)


def line_chart(
    title: str, labels: list[str], series: list[Series], *, top: float | None = None
) -> SafeString:
    """One line per series across the labels; a missing value (None) breaks the line."""
    plot_top, plot_bottom = TOP, TOP + PLOT_HEIGHT
    known = [v for s in series for v in s.values if v is not None]
    top_value = top if top is not None else _nice_max(max(known or [0]))
    step = (WIDTH - LEFT) / max(len(labels), 1)
    scale = (plot_bottom - plot_top) / top_value
    body = _grid(top_value, plot_top, plot_bottom, WIDTH)
    for k, one in enumerate(series):
        css = f"chart-s{k % SERIES_CLASSES}"
        points: list[str] = []
        runs: list[list[str]] = [points]
        for n, value in enumerate(one.values):
            if value is None:
                points = []
                runs.append(points)
                continue
            x, y = LEFT + step * (n + 0.5), plot_bottom - value * scale
            points.append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="3.5"/>')
        body += [
            f'<polyline class="chart-line {css}" points="{" ".join(run)}"/>' for run in runs if len(run) > 1
        ]
    body += _x_labels(labels, step, plot_bottom)
    return _svg(title, WIDTH, plot_bottom + BOTTOM - 16, body, legend=series)
