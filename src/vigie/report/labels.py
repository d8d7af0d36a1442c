"""Human labels shared by the HTML and Markdown reports (one place, same wording)."""

from __future__ import annotations

from vigie.assess.categories import EDPB_DATA_TYPES
from vigie.assess.model import Assessment


def exposure_rows(assessment: Assessment) -> list[dict]:
    """Exposure entries, most persons first: kind, persons, share of all persons, art. 9."""
    total = assessment.persons.distinct or 0
    rows: list[dict] = []
    for kind, exposure in assessment.exposure.items():
        share = (100.0 * exposure.persons / total) if total else 0.0
        rows.append({"kind": kind, "persons": exposure.persons, "share": share,
                     "art9": exposure.art9,
                     "data_type": EDPB_DATA_TYPES.get(exposure.edpb_data_type or "", "")})
    rows.sort(key=lambda r: (-r["persons"], r["kind"]))
    return rows
