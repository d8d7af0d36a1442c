"""Markdown-lite text (our own templates: '#' headings, '- ' bullets, '**bold**',
paragraphs) to PDF with fpdf2, the pure-Python PDF writer (no system library to install).

Lines are wrapped by textwrap before they reach fpdf2: its multi_cell line breaking costs
about 120 ms a page, which 10,000 letters cannot afford; the width below keeps Helvetica
11 pt inside an A4 text column. The core fonts are Latin-1, so typographic characters
outside it are replaced by their plain equivalents.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from fpdf import FPDF

from vigie.paths import write_private

REPLACEMENTS = {"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "...",
                "€": "EUR", "œ": "oe", "Œ": "OE", "\u202f": " ", "\u00a0": " "}
WIDTH = {1: 60, 2: 75, 0: 92}     # characters per line for h1, h2, body


def latin1(text: str) -> str:
    for old, new in REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def render(markdown: str) -> bytes:
    """The PDF bytes of a markdown-lite text."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    for raw in latin1(markdown).splitlines():
        line = raw.rstrip()
        level = len(line) - len(line.lstrip("#")) if line.startswith("#") else 0
        text = line.lstrip("#").strip() if level else line
        bullet = text.startswith("- ")
        text = text[2:] if bullet else text
        text = text.replace("**", "")
        if not text:
            pdf.ln(3)
            continue
        pdf.set_font("Helvetica", "B" if level else "", {1: 15, 2: 12}.get(level, 10))
        height = {1: 8, 2: 7}.get(level, 5)
        if level:
            pdf.ln(2)
        for i, part in enumerate(textwrap.wrap(text, WIDTH[min(level, 2)] - (3 if bullet else 0))):
            prefix = ("- " if i == 0 else "  ") if bullet else ""
            pdf.cell(0, height, prefix + part, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def write_pdf(path: Path, markdown: str) -> Path:
    """Render and write 0600 (documents about patients are personal data)."""
    write_private(path, render(markdown))
    return path
