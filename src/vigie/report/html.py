"""One-page HTML report a DPO can forward: self-contained (inline CSS and SVG, no asset).

Every value that comes from the leak (table and column names, evidence, masked examples)
goes through Jinja2 autoescaping: a crafted header such as `<script>` renders as text.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from jinja2 import Environment, Template

from vigie.assess.model import Assessment
from vigie.report.labels import exposure_rows

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

BAR_WIDTH = 420      # px of the longest exposure bar
BAR_HEIGHT = 22      # px per bar row
LABEL_WIDTH = 170    # px for the kind label left of the bars


@lru_cache(maxsize=1)
def _template() -> Template:
    """The page template, shipped beside this module (package data `*.j2`)."""
    text = resources.files("vigie.report").joinpath("report.html.j2").read_text("utf-8")
    return _ENV.from_string(text)


def render_html(assessment: Assessment) -> str:
    """The report as one HTML document."""
    rows = exposure_rows(assessment)
    top = max((r["persons"] for r in rows), default=0) or 1
    bars = [dict(r, y=i * BAR_HEIGHT, width=max(1, round(BAR_WIDTH * r["persons"] / top)))
            for i, r in enumerate(rows)]
    return _template().render(
        a=assessment, bars=bars, chart_height=max(BAR_HEIGHT, len(bars) * BAR_HEIGHT),
        bar_width=BAR_WIDTH, label_width=LABEL_WIDTH, bar_height=BAR_HEIGHT)
