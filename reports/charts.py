"""The dashboard's charts: SVG drawn on the server by pygal, no JavaScript, nothing from a CDN.

Each chart is embedded as an `<img>` whose source is a `data:` URL (the Content-Security-Policy
allows `img-src data:`; an SVG shown as an image runs no script and its own styles stay inside it),
with a text alternative on the image and the same figures in a table beside it (templates).
"""

import base64
import functools

import pygal
from django.utils import translation
from django.utils.translation import gettext as _
from pygal.style import Style

from reports.funnel import STAGE_BY_KEY

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#1b6e8f", "#e07b39", "#3c8d5a", "#8a5cb8", "#c0392b"),
    font_family="DejaVu Sans, Arial, sans-serif",
    title_font_size=18,
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    value_font_size=14,
)
# The stages drawn as bars; the funnel chart shows every counted stage, the others three of them.
FUNNEL_KEYS = (
    "applied",
    "eligible",
    "tested",
    "passed",
    "in_training",
    "defended",
    "completion",
    "loan_requested",
    "loan_approved",
)
COMPARED_KEYS = ("applied", "passed", "completion")


def _config(title: str, **extra) -> dict:
    return {
        "title": title,
        "style": STYLE,
        "js": [],  # no tooltips script from pygal's CDN
        "disable_xml_declaration": True,
        "no_data_text": _("No data yet"),
        "print_values": False,
        "show_y_guides": True,
        "truncate_label": 40,
        "truncate_legend": 40,
        "width": 900,
        **extra,
    }


def _data_url(chart) -> str:
    svg = chart.render(is_unicode=True).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


Series = tuple[tuple[str, tuple], ...]


@functools.lru_cache(maxsize=256)
def _drawn(kind: str, language: str, title: str, labels: tuple[str, ...], series: Series) -> str:
    """The chart's data URL for these figures, kept per process: drawing with pygal was half the
    dashboard's time, and the figures change only when the summary is rebuilt (docs/performance.md).
    The key is everything drawn: the kind, the language, the title, the labels and the series."""
    with translation.override(language):
        if kind == "funnel":
            config = _config(title, width=620, height=460, show_legend=False, print_values=True)
            chart = pygal.HorizontalBar(**config)
        elif kind == "area":
            chart = pygal.HorizontalBar(
                **_config(title, height=max(240, 130 + 30 * len(labels)), legend_at_bottom=True)
            )
        else:
            chart = pygal.Line(**_config(title, width=620, height=460, legend_at_bottom=True, dots_size=4))
        chart.x_labels = list(labels)
        for name, values in series:
            chart.add(name, list(values))
        return _data_url(chart)


def _draw(kind: str, title: str, labels, series) -> str:
    return _drawn(
        kind,
        translation.get_language() or "",
        str(title),
        tuple(str(label) for label in labels),
        tuple((str(name), tuple(values)) for name, values in series),
    )


def funnel_chart(total) -> str:
    keys = list(reversed(FUNNEL_KEYS))  # pygal draws the first label at the bottom
    labels = [STAGE_BY_KEY[k].label for k in keys]
    return _draw(
        "funnel",
        _("Funnel: how far applicants got"),
        labels,
        [(_("Applications"), [total.values.get(k) or 0 for k in keys])],
    )


def area_chart(rows, title: str) -> str:
    shown = list(reversed(rows[:20]))  # the busiest twenty; the table below lists every one
    series = [(STAGE_BY_KEY[key].label, [row.values.get(key) or 0 for row in shown]) for key in COMPARED_KEYS]
    return _draw("area", title, [row.label for row in shown], series)


def stream_chart(rows) -> str:
    series = [(STAGE_BY_KEY[key].label, [row.values.get(key) or 0 for row in rows]) for key in COMPARED_KEYS]
    return _draw("stream", _("By stream over time"), [row.label for row in rows], series)
