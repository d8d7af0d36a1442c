"""Markdown report: the same facts as the HTML page, for tickets and e-mails.

Markdown renders inline HTML and treats `|`, `*`, `_`, backticks and brackets as syntax, so
every value from the leak goes through `md_escape` (hand-written: the stdlib has no
Markdown escaper and the whole job is one substitution).
"""

from __future__ import annotations

import re

from vigie.assess.model import Assessment
from vigie.report.labels import exposure_rows

# Characters with a meaning inside a line (emphasis, code, links, HTML, tables, entities).
# Line-start syntax (lists, headings) cannot occur: every value sits after fixed text.
_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>&~])")


def md_escape(text: object) -> str:
    """Text safe inside a Markdown table cell: syntax escaped, HTML neutralised, one line."""
    flat = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", flat)


def render_markdown(assessment: Assessment) -> str:
    """The report as a Markdown document."""
    a = assessment
    sev = a.severity
    out = [
        "# What this leak exposes", "",
        f"Source: {md_escape(a.source.get('path', ''))} ({md_escape(a.source.get('format', ''))}) "
        f"— assessed in {a.elapsed_s:.1f} s by Vigie; examples are masked.", "",
        f"- **{a.persons.distinct:,}** distinct persons ({md_escape(a.persons.method)})",
        f"- **{len(a.tables)}** table(s), **{sum(t.rows for t in a.tables):,}** rows",
        f"- Severity: **{sev.level}** ({sev.score:.2f}, {sev.method}; EDPB field 87: "
        f"{sev.edpb_severity})", "",
        "## Severity (proposal for the DPO)", "",
        f"SE = DPC × EI + CB = {sev.dpc:g} × {sev.ei:g} + {sev.cb:g} = {sev.score:.2f}", "",
    ]
    out += [f"- {md_escape(reason)}" for reason in sev.reasons]
    out += ["", "## Exposure", ""]
    rows = exposure_rows(a)
    if rows:
        out += ["| Kind | Persons | Share | Art. 9 |", "| --- | ---: | ---: | --- |"]
        out += [f"| {md_escape(r['kind'])} | {r['persons']:,} | {r['share']:.1f} % | "
                f"{'yes' if r['art9'] else 'no'} |" for r in rows]
    else:
        out.append("No personal data detected.")
    if a.data_types:
        out += ["", "## Data types (EDPB template, field 70)", "",
                "| Data type | Art. 9 | Kinds | Persons |", "| --- | --- | --- | ---: |"]
        out += [f"| {md_escape(t.label)} | {'yes' if t.art9 else 'no'} | "
                f"{md_escape(', '.join(t.kinds))} | {t.persons:,} |" for t in a.data_types.values()]
    out += ["", "## Tables and columns"]
    for t in a.tables:
        out += ["", f"### {md_escape(t.name)} ({t.rows:,} rows)", "",
                "| # | Column | Kind | Category | Confidence | Non-null | Valid | Masked examples |",
                "| ---: | --- | --- | --- | ---: | ---: | ---: | --- |"]
        for c in t.columns:
            valid = f"{c.valid:,}" if c.validated else "n/a"
            examples = "; ".join(md_escape(e) for e in c.examples)
            out.append(f"| {c.position} | {md_escape(c.name)} | {md_escape(c.kind)} | "
                       f"{md_escape(c.category)} | {c.confidence:.2f} | {c.non_null:,} | {valid} | "
                       f"{examples} |")
    return "\n".join(out) + "\n"
