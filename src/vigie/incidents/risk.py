"""The default risk proposal the DPO starts from, and the rule for moving away from it.

GDPR art. 34 and EDPB Guidelines 9/2022: with health data (art. 9), identifiable people
and confidentiality lost, damage "should be considered likely", so the proposal is
"high". Otherwise the assessment's ENISA level maps to an outcome (our convention:
low -> unlikely, medium -> risk, high/very high -> high). The decision is the DPO's;
a downgrade below the proposal needs a written reason.
"""

from __future__ import annotations

from vigie.kinds import CATEGORY, KIND, is_art9

OUTCOMES = ("unlikely", "risk", "high")
# French labels go into the documents; English ones are printed in the terminal.
OUTCOME_LABELS = {"unlikely": "risque improbable", "risk": "risque",
                  "high": "risque élevé"}
OUTCOME_LABELS_EN = {"unlikely": "risk unlikely", "risk": "risk", "high": "high risk"}
ENISA_TO_OUTCOME = {"low": "unlikely", "medium": "risk", "high": "high", "very high": "high"}


def exposed_kinds(assessment: dict) -> list[str]:
    """Kinds and mentions the assessment says are exposed for at least one person."""
    return [k for k, v in (assessment.get("exposure") or {}).items()
            if isinstance(v, dict) and (v.get("persons") or 0) > 0]


def propose(assessment: dict, nature: tuple[str, ...]) -> tuple[str, str, str]:
    """(outcome, why in French for the documents, why in English for the terminal) — the
    proposal shown before the DPO decides."""
    kinds = exposed_kinds(assessment)
    art9 = any(is_art9(k) for k in kinds)
    identifiable = (assessment.get("persons") or {}).get("distinct", 0) > 0 and any(
        k in KIND and CATEGORY[KIND[k].category].identifying for k in kinds)
    if art9 and identifiable and "confidentiality" in nature:
        return "high", ("données de santé (art. 9), personnes identifiables et perte de "
                        "confidentialité : risque élevé présumé (EDPB, lignes directrices 9/2022)"), (
                        "health data (art. 9), identifiable persons and confidentiality lost: "
                        "high risk presumed (EDPB Guidelines 9/2022)")
    level = str((assessment.get("severity") or {}).get("level", "")).lower()
    outcome = ENISA_TO_OUTCOME.get(level, "high")
    return (outcome, f"niveau ENISA proposé par l'évaluation : {level or 'inconnu'}",
            f"ENISA level proposed by the assessment: {level or 'unknown'}")


def is_downgrade(proposal: str, decision: str) -> bool:
    """True when the DPO's decision is below the proposal."""
    return OUTCOMES.index(decision) < OUTCOMES.index(proposal)
