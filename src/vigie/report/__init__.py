"""Render an Assessment: JSON (the contract), one-page HTML, Markdown.

`write_reports(assessment, out_dir, formats)` writes assessment.json / .html / .md with
private permissions (a report describes personal data even when its examples are masked).
"""

from __future__ import annotations

from pathlib import Path

from vigie.assess.model import Assessment
from vigie.paths import write_private
from vigie.report.html import render_html
from vigie.report.json import render_json
from vigie.report.markdown import render_markdown

RENDERERS = {"json": render_json, "html": render_html, "md": render_markdown}
FILE_NAMES = {"json": "assessment.json", "html": "assessment.html", "md": "assessment.md"}


def write_reports(assessment: Assessment, out_dir: Path, formats: list[str]) -> list[Path]:
    """Write each requested format into out_dir (created if missing); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out_dir / FILE_NAMES[fmt]
        write_private(path, RENDERERS[fmt](assessment))
        written.append(path)
    return written
