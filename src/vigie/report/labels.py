"""Human labels shared by the HTML and Markdown reports (one place, same wording)."""

from __future__ import annotations

from vigie.assess.model import Assessment
from vigie.kinds import EDPB_TYPES


def exposure_rows(assessment: Assessment) -> list[dict]:
    """Exposure entries, most persons first: kind, persons, share of all persons, art. 9."""
    total = assessment.persons.distinct or 0
    rows: list[dict] = []
    for kind, exposure in assessment.exposure.items():
        share = (100.0 * exposure.persons / total) if total else 0.0
        rows.append({"kind": kind, "persons": exposure.persons, "share": share,
                     "art9": exposure.art9,
                     "data_type": EDPB_TYPES[exposure.edpb_data_type].wording
                     if exposure.edpb_data_type in EDPB_TYPES else ""})
    rows.sort(key=lambda r: (-r["persons"], r["kind"]))
    return rows
