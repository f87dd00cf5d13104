"""Server-drawn SVG bar charts: no script, no style attribute (the CSP forbids it), only SVG attributes.

Each chart is an image with a title; its figures stand in the table beside it, for screen readers and copying.
Rows are drawn as a label line (name left, figure right) over a bar, so the chart reads on a 360 px phone.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from .dashboard import Figure

WIDTH = 360
ROW = 44  # label line and bar
BAR = 16
LEGEND_LINE = 20
LONGEST_LABEL = 40

COLOURS = {"states": "#198754", "stars": "#b58100", "product_sets": "#0d6efd", "funnel": "#20865c"}
SERIES_COLOURS = {
    "first_level_checks": ("#198754", "#dc3545", "#0d6efd", "#fd7e14"),
    "pipeline": ("#0dcaf0", "#0d6efd", "#198754", "#dc3545", "#6c757d", "#adb5bd"),
}


def _short(label: str) -> str:
    return label if len(label) <= LONGEST_LABEL else label[:LONGEST_LABEL - 1] + "…"


def _text(x: float, y: float, content, anchor: str = "start") -> Markup:
    return Markup('<text x="{}" y="{}" text-anchor="{}">{}</text>').format(round(x, 1), y, anchor, content)


def _rect(x: float, y: float, width: float, colour: str, height: int = BAR) -> Markup:
    return Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>').format(
        round(x, 1), y, round(width, 1), height, colour)


def _label_line(y: int, label: str, figure_text) -> Markup:
    return _text(0, y + 15, _short(label)) + _text(WIDTH, y + 15, figure_text, "end")


def _bars(figure: Figure, top: int, centred: bool) -> Markup:
    largest = max((row.values[0] for row in figure.rows), default=0) or 1
    parts = Markup()
    for index, row in enumerate(figure.rows):
        y = top + index * ROW
        width = WIDTH * row.values[0] / largest
        parts += _label_line(y, row.label, row.values[0])
        parts += _rect((WIDTH - width) / 2 if centred else 0, y + 22, width, COLOURS.get(figure.key, "#198754"))
    return parts


def _legend(figure: Figure, colours: tuple[str, ...]) -> Markup:
    parts = Markup()
    for index, (name, colour) in enumerate(zip(figure.columns[1:], colours, strict=True)):
        y = index * LEGEND_LINE
        parts += _rect(0, y + 3, 12, colour, 12) + _text(18, y + 14, name)
    return parts


def _stacked(figure: Figure, top: int) -> Markup:
    colours = SERIES_COLOURS[figure.key]
    largest = max((sum(row.values) for row in figure.rows), default=0) or 1
    parts = _legend(figure, colours)
    for index, row in enumerate(figure.rows):
        y, x = top + index * ROW, 0.0
        parts += _label_line(y, row.label, sum(row.values))
        for value, colour in zip(row.values, colours, strict=True):  # a colour per series, none dropped
            width = WIDTH * value / largest
            if width:
                parts += _rect(x, y + 22, width, colour)
            x += width
    return parts


def chart_svg(figure: Figure) -> Markup | None:
    """The figure as an SVG bar chart (a funnel is centred bars); None when it has no chart or no rows."""
    if figure.chart is None or not figure.rows:
        return None
    top = len(figure.columns[1:]) * LEGEND_LINE + 8 if figure.chart == "stacked" else 0
    body = _stacked(figure, top) if figure.chart == "stacked" else _bars(figure, top, figure.chart == "funnel")
    height = top + len(figure.rows) * ROW
    title_id = f"chart-{figure.key}-title"
    return Markup(
        '<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'role="img" aria-labelledby="{title_id}" font-size="14" fill="currentColor">'
        '<title id="{title_id}">{title}</title>{body}</svg>').format(
        width=WIDTH, height=height, title_id=title_id, title=escape(figure.title), body=body)
