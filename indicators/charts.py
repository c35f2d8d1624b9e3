"""Charts drawn on the server as SVG geometry for the templates: no client charting
library. Series differ by colour, dash and marker shape, so they read in greyscale too;
each chart comes with a text description and the table of the same numbers."""

import math
from dataclasses import dataclass

LINE_WIDTH, LINE_HEIGHT = 640, 280
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 24, 16, 36
MARKERS = ("circle", "square", "triangle", "diamond")
BAR_ROW, BAR_LABEL_WIDTH, BAR_WIDTH = 28, 220, 640


def _nice_ceiling(value):
    """The round number just above `value` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _scale_top(indicator, values):
    if indicator.unit == "percent":
        return 100
    return _nice_ceiling(float(max(values, default=0)))


@dataclass
class Point:
    x: float
    y: float
    label: str


def _marker_path(shape, x, y, size=5):
    if shape == "square":
        return f"M{x - size},{y - size}h{2 * size}v{2 * size}h{-2 * size}z"
    if shape == "triangle":
        return f"M{x},{y - size - 1}L{x + size + 1},{y + size}H{x - size - 1}z"
    if shape == "diamond":
        return f"M{x},{y - size - 1}L{x + size + 1},{y}L{x},{y + size + 1}L{x - size - 1},{y}z"
    return f"M{x - size},{y}a{size},{size} 0 1,0 {2 * size},0a{size},{size} 0 1,0 {-2 * size},0"


def describe_series(indicator, series):
    """One sentence per group: baseline, latest, and the years withheld or missing."""
    sentences = []
    for one in series:
        parts = []
        if one.baseline and one.latest:
            parts.append(
                f"{indicator.format_value(one.baseline.value)} in {one.baseline.year}, "
                f"{indicator.format_value(one.latest.value)} in {one.latest.year}"
            )
        elif one.baseline:
            parts.append(f"{indicator.format_value(one.baseline.value)} in {one.baseline.year}")
        suppressed = [str(cell.year) for cell in one.cells if cell.suppressed]
        missing = [str(cell.year) for cell in one.cells if cell.missing]
        if suppressed:
            parts.append(f"suppressed in {', '.join(suppressed)}")
        if missing:
            parts.append(f"not reported in {', '.join(missing)}")
        sentences.append(f"{one.label}: {'; '.join(parts) or 'no figures'}.")
    return " ".join(sentences)


def line_chart(*, indicator, years, series):
    """A trend chart: one line per group, broken where a year has no figure."""
    plot_width = LINE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = LINE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    top = _scale_top(indicator, [cell.value for one in series for cell in one.reported])
    step = plot_width / max(len(years) - 1, 1)

    def x_of(year):
        return round(MARGIN_LEFT + (years.index(year) * step if len(years) > 1 else plot_width / 2), 1)

    def y_of(value):
        return round(MARGIN_TOP + plot_height * (1 - float(value) / top), 1)

    drawn = []
    for position, one in enumerate(series):
        segments, current = [], []
        for cell in one.cells:
            if cell.value is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append(Point(x_of(cell.year), y_of(cell.value), indicator.format_value(cell.value)))
        if current:
            segments.append(current)
        shape = MARKERS[position % len(MARKERS)]
        drawn.append(
            {
                "label": one.label,
                "style": position % 6,
                "marker": shape,
                "paths": [
                    "M" + "L".join(f"{point.x},{point.y}" for point in segment)
                    for segment in segments
                    if len(segment) > 1
                ],
                "markers": [_marker_path(shape, point.x, point.y) for segment in segments for point in segment],
            }
        )
    ticks = [
        {"y": y_of(top * fraction), "label": indicator.format_value(top * fraction)}
        for fraction in (0, 0.25, 0.5, 0.75, 1)
    ]
    return {
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "plot_left": MARGIN_LEFT,
        "plot_right": LINE_WIDTH - MARGIN_RIGHT,
        "plot_bottom": LINE_HEIGHT - MARGIN_BOTTOM,
        "label_y": LINE_HEIGHT - MARGIN_BOTTOM + 20,
        "tick_label_x": MARGIN_LEFT - 8,
        "y_ticks": ticks,
        "x_ticks": [{"x": x_of(year), "label": str(year)} for year in years],
        "series": drawn,
        "description": describe_series(indicator, series),
    }


def bar_chart(*, indicator, rows):
    """The network comparison: one bar per partnership for its latest figure; a suppressed
    or missing figure gets a label instead of a bar (never a zero-length bar)."""
    values = [row.latest_cell.value for row in rows if row.latest_cell and row.latest_cell.value is not None]
    top = _scale_top(indicator, values)
    plot_width = BAR_WIDTH - BAR_LABEL_WIDTH - 90
    bars = []
    for position, row in enumerate(rows):
        cell = row.latest_cell
        y = MARGIN_TOP + position * BAR_ROW
        if cell is not None and cell.value is not None:
            text = f"{indicator.format_value(cell.value)} ({cell.year})"
            length = round(plot_width * float(cell.value) / top, 1)
        else:
            text = f"suppressed ({cell.year})" if cell is not None else "not reported"
            length = None
        bars.append({"name": row.partnership.title, "y": y, "text_y": y + 15, "length": length, "text": text})
    sentences = [f"{bar['name']}: {bar['text']}." for bar in bars]
    return {
        "width": BAR_WIDTH,
        "height": MARGIN_TOP * 2 + len(rows) * BAR_ROW,
        "label_width": BAR_LABEL_WIDTH,
        "bar_left": BAR_LABEL_WIDTH + 8,
        "bars": [{**bar, "value_x": BAR_LABEL_WIDTH + 14 + (bar["length"] or 0)} for bar in bars],
        "description": " ".join(sentences),
    }
