"""Processor mode (GDPR art. 33(2)): when the organisation is a subcontractor, one notice
per controller (the `group` column of affected.csv), with that controller's own patient
count and exposed kinds, so each can meet its own art. 33/34 duties (the Weda lesson).
The notices hold counts only; the per-patient list travels separately.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from vigie.errors import UsageError
from vigie.incidents.obligations import now_utc
from vigie.incidents.register import load_incident, record_event
from vigie.incidents.tables import affected
from vigie.notify.documents import TEMPLATES, private_dir
from vigie.notify.facts import context, neutral_label
from vigie.notify.pdf import write_pdf
from vigie.paths import write_private


def _file_stem(group: str, taken: set[str]) -> str:
    """A safe, unique file name for a controller's notice."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", group).strip("_")[:60] or "controller"
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}_{n}"
    taken.add(candidate)
    return candidate


def draft_controllers(engine, incident_id: int, out: Path, *, author: str = "dpo") -> list[Path]:
    """Write out/controllers/<controller>.md and .pdf; returns the written paths."""
    incident = load_incident(engine, incident_id)
    persons: Counter = Counter()
    kinds: dict[str, Counter] = {}
    with engine.connect() as conn:
        rows = conn.execute(select(affected.c.grp, affected.c.kinds)
                            .where(affected.c.incident_id == incident_id, affected.c.grp != ""))
        for group, joined in rows:
            persons[group] += 1
            kinds.setdefault(group, Counter()).update(k for k in joined.split("|") if k)
    if not persons:
        raise UsageError("no controller groups: open the incident with an affected.csv that "
                         "has a group column (vigie assess --registry-group)")
    base = context(incident, now_utc())
    folder = private_dir(Path(out) / "controllers")
    written: list[Path] = []
    taken: set[str] = set()
    for group in sorted(persons):
        lines = [f"{neutral_label(k)} : {n} de vos patients [approximatif]"
                 for k, n in sorted(kinds[group].items(), key=lambda kv: -kv[1])]
        text = TEMPLATES.get_template("controller.md.j2").render(
            **base, group=group, persons=persons[group], kinds=lines)
        stem = _file_stem(group, taken)
        write_private(folder / f"{stem}.md", text)
        written += [folder / f"{stem}.md", write_pdf(folder / f"{stem}.pdf", text)]
    record_event(engine, incident_id, "draft", author,
                 {"document": "controllers", "controllers": len(persons)})
    return written
