"""One-page HTML report a DPO can forward: self-contained (inline CSS and SVG, no asset).

Every value that comes from the leak (table and column names, evidence, masked examples)
goes through Jinja2 autoescaping: a crafted header such as `<script>` renders as text.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from vigie.assess.model import Assessment
from vigie.report.labels import exposure_rows

_ENV = Environment(loader=PackageLoader("vigie.report", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   trim_blocks=True, lstrip_blocks=True)

BAR_WIDTH = 420      # px of the longest exposure bar
BAR_HEIGHT = 22      # px per bar row
LABEL_WIDTH = 170    # px for the kind label left of the bars


def render_html(assessment: Assessment) -> str:
    """The report as one HTML document."""
    rows = exposure_rows(assessment)
    top = max((r["persons"] for r in rows), default=0) or 1
    bars = [dict(r, y=i * BAR_HEIGHT, width=max(1, round(BAR_WIDTH * r["persons"] / top)))
            for i, r in enumerate(rows)]
    return _ENV.get_template("report.html.j2").render(
        a=assessment, bars=bars, chart_height=max(BAR_HEIGHT, len(bars) * BAR_HEIGHT),
        bar_width=BAR_WIDTH, label_width=LABEL_WIDTH, bar_height=BAR_HEIGHT)
