"""`vigie notify draft doctors`: one French notice per doctor named in the leak.

A doctor whose name sits beside their patients' records in a leak has a stake of their
own: their patients will call them, and phishing will use the leaked link between them
and their patients. Each notice says how many of that doctor's patients are in the leak
and which kinds leaked about them (counts, never a patient's name), what the
organisation did, what to expect, and whom to contact. The doctors come from reading the
leak again (physicians.py): the register keeps no leaked value.

Files are numbered (DIR/doctors/d0001.md and .pdf), never named after a doctor;
DIR/doctors/manifest.csv lists doctor,rpps,patients,kinds,markdown,pdf. All 0600 in a
0700 folder: they hold the doctors' names.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from vigie.errors import UsageError
from vigie.incidents.obligations import now_utc
from vigie.incidents.register import formula_safe, load_incident, record_event
from vigie.kinds import CATEGORY_TABLE, is_art9
from vigie.mask import mask
from vigie.notify import advice
from vigie.notify.documents import TEMPLATES, private_dir
from vigie.notify.facts import PARIS, neutral_label, run_label
from vigie.notify.patients import NATURE_TEXT, REQUIRED_FACTS
from vigie.notify.pdf import write_pdf
from vigie.notify.physicians import Doctor, find_doctors
from vigie.paths import write_private

MANIFEST_COLUMNS = ("doctor", "rpps", "patients", "kinds", "markdown", "pdf")
TITLED = re.compile(r"\s*(dr|docteur|doctor|pr|professeur|prof)\.?\s", re.IGNORECASE)


@dataclass
class DoctorsDraft:
    """What the terminal may show: the manifest, counts, masked names, and a warning
    when the leak read now is not the one the incident's assessment describes."""

    manifest: Path
    doctors: int
    with_rpps: int
    largest: list[tuple[str, int]]          # (masked name, patients), biggest first
    mismatch: str = ""


def addressee(doctor: Doctor) -> str:
    """'Dr Prénom NOM' (the leak's own title kept), or a neutral line for an RPPS alone."""
    if not doctor.name:
        return "Médecin identifié par son numéro RPPS"
    return doctor.name if TITLED.match(doctor.name + " ") else f"Dr {doctor.name}"


def exposure_lines(doctor: Doctor, kinds: list[str]) -> list[str]:
    """One line per category of data (its kinds named), except health data: one line per
    kind and per health mention, which is what a doctor needs to anticipate questions."""
    lines = []
    for category, label in ((c.name, c.notice) for c in CATEGORY_TABLE if c.notice):
        members = [k for k in kinds if advice.category(k) == category]
        if not members:
            continue
        if category == "health":
            lines += [f"{neutral_label(k)} : {doctor.kinds[k]} de vos patients" for k in members]
        else:
            lines.append(f"{label} — {', '.join(neutral_label(k) for k in members)} : "
                         f"{doctor.categories[category]} de vos patients")
    return lines


def draft_doctors(engine, incident_id: int, leak: list[str], out: Path, *,
                  author: str = "dpo") -> DoctorsDraft:
    """Re-read the leak, write one notice per doctor and the manifest; log the draft."""
    incident = load_incident(engine, incident_id)
    facts = incident.facts
    missing = [name for name, fact in REQUIRED_FACTS.items() if not facts.get(fact, "").strip()]
    if missing:
        raise UsageError("the doctors' notices need these facts first: " + ", ".join(missing)
                         + f" (vigie incident fact {incident_id} FIELD=...)")
    doctors, rerun = find_doctors([str(p) for p in leak])
    filed = any(f["regime"] == "gdpr-33-cnil" for f in incident.filings)
    authorities = ("La CNIL " + ("a été notifiée" if filed else "est notifiée")
                   + " (article 33 du RGPD)"
                   + (", et l'incident déclaré à l'ARS et au CERT Santé."
                      if incident.health_establishment else "."))
    base = {"organisation": facts["organisation"], "reference": incident.reference,
            "today": now_utc().astimezone(PARIS).strftime("%d/%m/%Y"),
            "aware_date": incident.aware_at.astimezone(PARIS).strftime("%d/%m/%Y"),
            "nature_text": " et ".join(NATURE_TEXT[n] for n in incident.nature),
            "description": facts.get("description", "").strip(), "measures": facts["measures"],
            "authorities": authorities, "contact_point": facts["contact_point"],
            "dpo_name": facts["dpo_name"], "dpo_contact": facts["dpo_contact"],
            "anti_phishing": advice.library()["anti_phishing_line"],
            "run": run_label(incident)}
    folder = private_dir(Path(out) / "doctors")
    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for number, doctor in enumerate(doctors, start=1):
        kinds = sorted(doctor.kinds, key=advice.kind_order)
        text = TEMPLATES.get_template("doctor.md.j2").render(
            **base, addressee=addressee(doctor), rpps=doctor.rpps, patients=doctor.patients,
            kinds=exposure_lines(doctor, kinds), health=any(is_art9(k) for k in kinds))
        stem = f"d{number:04d}"
        write_private(folder / f"{stem}.md", text)
        write_pdf(folder / f"{stem}.pdf", text)
        writer.writerow([formula_safe(doctor.name), doctor.rpps, doctor.patients,
                         "|".join(kinds), f"{stem}.md", f"{stem}.pdf"])
    manifest_path = folder / "manifest.csv"
    write_private(manifest_path, manifest.getvalue())
    with_rpps = sum(1 for d in doctors if d.rpps)
    mismatch = _mismatch(incident.assessment, rerun)
    record_event(engine, incident_id, "draft", author, {
        "document": "doctors", "out": str(folder.resolve()), "doctors": len(doctors),
        "with_rpps": with_rpps, "leak_persons": rerun["persons"]["distinct"],
        "matches_assessment": not mismatch})
    return DoctorsDraft(manifest_path, len(doctors), with_rpps,
                        [(mask("physician", d.name) if d.name else "(RPPS only)", d.patients)
                         for d in doctors[:3]], mismatch)


def _mismatch(assessed: dict, rerun: dict) -> str:
    """Why the leak read now differs from the incident's assessment ('' when it agrees)."""
    then, now = assessed["persons"].get("distinct"), rerun["persons"].get("distinct")
    if then != now:
        return (f"this leak holds {now} distinct persons, the incident's assessment {then}: "
                "is it the file that was assessed?")
    return ""
