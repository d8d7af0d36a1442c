"""The facts the CNIL and ARS documents are written from, each figure tagged
exact / approximate / unknown and tied to the assessment run that produced it.

Nothing here is typed twice: counts come from the attached assessment and the register,
free text from the DPO's recorded facts, likely consequences from the advice library.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from vigie.incidents.obligations import clocks
from vigie.incidents.register import FACT_FIELDS
from vigie.incidents.risk import OUTCOME_LABELS, exposed_kinds
from vigie.kinds import EDPB_TYPES, EXPOSED_NAMES, is_art9, meaning
from vigie.notify import advice

PARIS = ZoneInfo("Europe/Paris")
TAGS = {"exact": "exact", "approximate": "approximatif", "unknown": "inconnu"}
NATURE_LABELS = {"confidentiality": "perte de confidentialité", "integrity": "perte d'intégrité",
                 "availability": "perte de disponibilité"}
# ENISA level as the French document names it (the register keeps the English level).
ENISA_LEVEL_LABELS = {"low": "faible", "medium": "moyenne", "high": "élevée",
                      "very high": "très élevée"}
# ENISA level -> EDPB template field 87 (our stated convention, not EDPB text).
EDPB_SEVERITY = {"low": "mineure", "medium": "modérée", "high": "grave", "very high": "grave"}
# Art. 33(3) items the CNIL notification cannot be called complete without.
ART33_ITEMS = {
    "nature": "nature de la violation (art. 33(3)(a))",
    "persons": "catégories et nombre approximatif de personnes (art. 33(3)(a))",
    "records": "catégories et nombre approximatif d'enregistrements (art. 33(3)(a))",
    "dpo_contact": "nom et coordonnées du DPO ou du point de contact (art. 33(3)(b))",
    "consequences": "conséquences probables (art. 33(3)(c))",
    "measures": "mesures prises ou envisagées (art. 33(3)(d))",
}
# The same items as the terminal names them (errors are English; the document is French).
ART33_ITEMS_EN = {
    "nature": "nature of the breach (art. 33(3)(a): fact description=...)",
    "persons": "categories and approximate number of persons (art. 33(3)(a))",
    "records": "categories and approximate number of records (art. 33(3)(a))",
    "dpo_contact": "DPO or contact point name and details (art. 33(3)(b): facts dpo_name=, "
                   "dpo_contact=)",
    "consequences": "likely consequences (art. 33(3)(c): fact consequences=...)",
    "measures": "measures taken or proposed (art. 33(3)(d): fact measures=...)",
}


@dataclass(frozen=True)
class Figure:
    """A number as the CNIL form wants it: value, how sure, and where it comes from."""

    value: int | None
    tag: str
    source: str

    def __str__(self) -> str:
        shown = "non déterminé" if self.value is None else f"{self.value:,}".replace(",", " ")
        return f"{shown} [{TAGS[self.tag]} ; source : {self.source}]"


def paris(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M (heure de Paris)")


def run_label(incident) -> str:
    src = incident.assessment.get("source") or {}
    return f"évaluation Vigie {incident.assessment_sha256[:12]} du fichier {src.get('path', '?')}"


def figures(incident) -> dict[str, Figure]:
    run = run_label(incident)
    distinct = (incident.assessment.get("persons") or {}).get("distinct")
    tables = incident.assessment.get("tables") or []
    rows = sum(int(t.get("rows") or 0) for t in tables) if tables else None
    return {
        "persons": Figure(distinct, "approximate" if distinct else "unknown", run + " (personnes "
                          "distinctes dédoublonnées : " + str((incident.assessment.get("persons")
                                                               or {}).get("method", "?")) + ")"),
        "records": Figure(rows, "exact" if rows is not None else "unknown",
                          run + " (lignes lues dans le fichier)"),
        "registry": Figure(incident.affected_count or None,
                           "approximate" if incident.affected_count else "unknown",
                           "rapprochement probabiliste avec le registre des patients"),
    }


def data_categories(incident) -> list[dict]:
    """One line per EDPB field-70 data type (the form's own list, in French): its kinds,
    persons per kind (approximate)."""
    exposure = incident.assessment.get("exposure") or {}
    by_type: dict[str, list[str]] = {}
    for kind in exposed_kinds(incident.assessment):
        if kind in EXPOSED_NAMES and (edpb := meaning(kind).edpb):
            by_type.setdefault(edpb, []).append(kind)
    return [{"label": EDPB_TYPES[key].french,
             "kinds": [f"{neutral_label(k)} : {exposure[k]['persons']:,}".replace(",", " ")
                       + " personnes [approximatif]" for k in kinds]}
            for key, kinds in by_type.items()]


def neutral_label(kind: str) -> str:
    """A kind's name in documents sent to authorities and doctors (vigie.kinds `neutral`)."""
    return meaning(kind).neutral or kind


def consequences(incident) -> list[str]:
    """DPO's text first when given, then the consequences the exposed kinds make likely."""
    derived = advice.consequences_for(exposed_kinds(incident.assessment))
    own = incident.facts.get("consequences", "").strip()
    return ([own] if own else []) + derived


def missing_items(incident) -> list[str]:
    """Keys of the art. 33(3) items still empty (the completeness gate), in ART33_ITEMS."""
    fig = figures(incident)
    filled = {
        "nature": bool(incident.nature) and bool(incident.facts.get("description", "").strip()),
        "persons": fig["persons"].value is not None,
        "records": fig["records"].value is not None and bool(data_categories(incident)),
        "dpo_contact": bool(incident.facts.get("dpo_name", "").strip()
                            and incident.facts.get("dpo_contact", "").strip()),
        "consequences": bool(consequences(incident)),
        "measures": bool(incident.facts.get("measures", "").strip()),
    }
    return [k for k, ok in filled.items() if not ok]


def cnil_clock(incident):
    return next(c for c in clocks(incident) if c.regime["id"] == "gdpr-33-cnil")


def context(incident, now: datetime) -> dict:
    """Everything the templates use."""
    clock = cnil_clock(incident)
    filed_in_time = any(f["regime"] == "gdpr-33-cnil" and clock.due is not None
                        and f["at"] <= clock.due.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                        for f in incident.filings)
    kinds = exposed_kinds(incident.assessment)
    missing = missing_items(incident)
    return {
        "incident": incident, "now": paris(now),
        "facts": {name: incident.facts.get(name, "") for name in FACT_FIELDS},
        "aware_at": paris(incident.aware_at),
        "due": paris(clock.due) if clock.due else "",
        "late": clock.due is not None and now > clock.due and not filed_in_time,
        "natures": [NATURE_LABELS[n] for n in incident.nature],
        "figures": figures(incident), "categories": data_categories(incident),
        "art9": any(is_art9(k) for k in kinds),
        "consequences": consequences(incident), "missing_keys": missing,
        "missing": [ART33_ITEMS[k] for k in missing],
        "risk_label": OUTCOME_LABELS[incident.risk["outcome"]],
        "risk_proposal_label": OUTCOME_LABELS[incident.risk["proposal"]],
        "severity": incident.severity, "run": run_label(incident),
        "severity_label": ENISA_LEVEL_LABELS.get(str(incident.severity["level"]).lower(),
                                                 "à déterminer"),
        "edpb_severity": EDPB_SEVERITY.get(str(incident.severity["level"]).lower(), "à déterminer"),
    }
