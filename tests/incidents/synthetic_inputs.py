"""Small synthetic inputs for the incident and notify tests (no real person).

Builds what the other stages would hand over: DIR/assessment.json (DESIGN.md contract),
DIR/affected.csv (issue 4 schema) and a registry CSV with contact details.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

FIRST = ["Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo"]
LAST = ["Testard", "Exemple", "Fictif", "Synthèse", "Modèle", "Essai"]


def assessment(persons: int = 120) -> dict:
    return {
        "vigie_report": 1,
        "source": {"path": "leak.txt", "format": "csv", "encoding": "utf-8", "bytes": 12345},
        "tables": [{"name": "leak", "rows": persons * 2, "columns": []}],
        "persons": {"distinct": persons, "method": "NIR, else name + date of birth"},
        "exposure": {"last_name": {"persons": persons}, "first_name": {"persons": persons},
                     "nir": {"persons": persons // 2}, "email": {"persons": persons},
                     "hiv": {"persons": persons // 4}, "lab_result": {"persons": persons}},
        "severity": {"method": "ENISA 2013", "score": 5.0, "level": "very high",
                     "reasons": ["health data (DPC 4)"]},
        "elapsed_s": 0.5,
    }


def kinds_for(i: int) -> list[str]:
    """Patient i's exposed kinds: every other patient has a NIR, every fourth an HIV test."""
    kinds = ["last_name", "first_name", "email", "lab_result"]
    if i % 2 == 0:
        kinds.append("nir")
    if i % 4 == 0:
        kinds.append("hiv")
    return kinds


def contact_for(i: int) -> dict:
    """Registry contact of patient i: i % 10 == 9 has no e-mail, i % 20 == 19 no phone either,
    i % 25 == 7 has a mailbox that bounces."""
    domain = "bounce.exemple.test" if i % 25 == 7 else "exemple.test"
    email = "" if i % 10 == 9 else f"patient{i}@{domain}"
    phone = "" if i % 20 == 19 else f"06{i:08d}"[:10]
    return {"registry_id": f"R{i:06d}", "first_name": FIRST[i % len(FIRST)],
            "last_name": LAST[i % len(LAST)], "email": email, "phone": phone,
            "address": f"{i % 90 + 1} rue de l'Essai", "postcode": "75011", "city": "Paris"}


def build(folder: Path, patients: int = 40, *, groups: bool = False) -> dict[str, Path]:
    """Write assessment.json + affected.csv in folder/assessment and a registry CSV."""
    run = folder / "assessment"
    run.mkdir(parents=True, exist_ok=True)
    (run / "assessment.json").write_text(json.dumps(assessment(patients * 3)), encoding="utf-8")
    with open(run / "affected.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["registry_id", "match_probability", "leak_rows", "exposed_kinds"]
                        + (["group"] if groups else []))
        for i in range(patients):
            writer.writerow([f"R{i:06d}", "0.990000", f"{i + 2}", "|".join(kinds_for(i))]
                            + ([f"LAB{i % 2}"] if groups else []))
    registry = folder / "registry.csv"
    with open(registry, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(contact_for(0)))
        writer.writeheader()
        for i in range(patients + 5):          # a few registry patients not in the leak
            writer.writerow(contact_for(i))
    return {"assessment": run, "affected": run / "affected.csv", "registry": registry}
