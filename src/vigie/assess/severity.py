"""Breach severity by the ENISA 2013 method, proposed to the DPO with every reason written out.

Method: ENISA, "Recommendations for a methodology of the assessment of severity of personal
data breaches", Working Document v1.0, December 2013 (https://www.enisa.europa.eu/
publications/dbn-severity), as cross-checked in /work/shared/research/breach-response.md §3:

    SE = DPC × EI + CB

- DPC (data processing context, 1-4): each data type gets a basic score (simple 1,
  behavioural 2, financial 3, sensitive 4), the highest wins, then whole-step contextual
  adjustments, clamped to 1-4. Health data are sensitive (4); a file whose only health
  link is the care relationship (a treating physician, or simply being the patient of a
  health organisation) reveals less than its category and is scored simple + 1.
  Credentials are scored by the data they open, which the file does not show: they add no
  score of their own and a reason asks the DPO to look.
- EI (ease of identification): 0.25 negligible, 0.5 limited, 0.75 significant, 1 maximum.
  NIR, or a full name with a date of birth or a postal address, identify directly (1).
- CB (circumstances of the breach, added): loss of confidentiality 0 / +0.25 (known
  recipients) / +0.5 (unknown recipients: published, sold), integrity and availability
  0 / +0.25 / +0.5, malicious intent +0.5.
- Levels: SE < 2 low, < 3 medium, < 4 high, ≥ 4 very high. The EDPB template's field 87
  (Minor / Moderate / Severe) is filled with low→Minor, medium→Moderate, high and very
  high→Severe: our convention, not EDPB text.

Each kind's and mention's role in DPC and EI is a property of the kinds table (vigie.kinds:
`enisa`, `identifies`), so a new health kind scores as sensitive data the day it is added.

The number of persons is shown beside the score, never multiplied into it (ENISA lists it
among the "other possibly relevant criteria"). The score is a proposal: the DPO can
override any input through `Circumstances` and `assess_severity`'s arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigie.assess.model import Severity
from vigie.kinds import KIND, MENTIONS, meaning

METHOD = "ENISA 2013"

# Circumstances of the breach: element -> points per level (ENISA, research note §3.4).
_LOSS_POINTS = {"none": 0.0, "known": 0.25, "unknown": 0.5}
_ALTERATION_POINTS = {"none": 0.0, "recoverable": 0.25, "unrecoverable": 0.5}
_MALICIOUS_POINTS = 0.5


def _with_role(kinds: set[str], role: str) -> set[str]:
    """The kinds (and mentions) whose ENISA data-processing role (vigie.kinds) is `role`."""
    return {k for k in kinds if (k in KIND or k in MENTIONS) and meaning(k).enisa == role}


def _identifying(kinds: set[str], *roles: str) -> set[str]:
    """The kinds whose ease-of-identification role (vigie.kinds) is one of `roles`."""
    return {k for k in kinds if k in KIND and KIND[k].identifies in roles}


@dataclass
class Circumstances:
    """What the file alone cannot tell: how it got out. Defaults fit a leak found outside.

    confidentiality: "unknown" (published or sold: unknown recipients), "known" (a known
    number of recipients) or "none" (no evidence of disclosure). integrity/availability:
    "none", "recoverable" or "unrecoverable". malicious: theft, hacking or sale.
    `assumed` names the elements left at their default, so the reasons say they were
    not confirmed.
    """

    confidentiality: str = "unknown"
    integrity: str = "none"
    availability: str = "none"
    malicious: bool = True
    assumed: tuple[str, ...] = ("confidentiality", "malicious")

    def __post_init__(self) -> None:
        if self.confidentiality not in _LOSS_POINTS:
            raise ValueError(f"confidentiality must be one of {sorted(_LOSS_POINTS)}")
        for name in ("integrity", "availability"):
            if getattr(self, name) not in _ALTERATION_POINTS:
                raise ValueError(f"{name} must be one of {sorted(_ALTERATION_POINTS)}")


def level_of(score: float) -> str:
    """ENISA severity band of a score."""
    if score < 2:
        return "low"
    if score < 3:
        return "medium"
    if score < 4:
        return "high"
    return "very high"


def edpb_severity_of(level: str) -> str:
    """EDPB template field 87 value for an ENISA level (our stated convention)."""
    return {"low": "Minor", "medium": "Moderate"}.get(level, "Severe")


def data_processing_context(kinds: set[str], *, health_context: bool = True) -> tuple[float, list[str]]:
    """DPC (1-4) of the personal kinds and mentions present, with its reasons."""
    sensitive = _with_role(kinds, "sensitive")
    mentions = sorted(k for k in sensitive if k in MENTIONS)
    findings = sorted(k for k in sensitive if k in KIND)
    personal = {k for k in kinds if (k in KIND or k in MENTIONS) and meaning(k).personal}
    financial = _with_role(kinds, "financial")
    if mentions or findings:
        shown = ", ".join(dict.fromkeys(mentions + findings))
        return 4.0, [f"DPC 4: sensitive data (GDPR art. 9 health data: {shown}); "
                     "ENISA basic score for sensitive data is 4."]
    if financial:
        shown = ", ".join(sorted(financial))
        return 3.0, [f"DPC 3: financial data ({shown}) enabling payments or bank fraud."]
    reasons = []
    score = 1.0
    if _with_role(kinds, "behavioural"):
        score = 2.0
        reasons.append("Basic DPC 2: behavioural data (IP addresses reveal location and traffic).")
    elif personal:
        reasons.append("Basic DPC 1: simple data (identity, contact details, identifiers).")
    else:
        return 1.0, ["DPC 1: no personal data detected."]
    care = _with_role(kinds, "care_context")
    if care or health_context:
        why = ("a treating physician is named" if care
               else "the controller is a health organisation")
        score += 1
        reasons.append(f"DPC +1: {why}, so the file reveals a care relationship "
                       "(health data by context, GDPR recital 35).")
    if _with_role(kinds, "credentials"):
        reasons.append("Credentials are present: ENISA scores them by the data they give "
                       "access to; the DPO should raise DPC if they open health records.")
    return min(4.0, score), reasons


def ease_of_identification(kinds: set[str]) -> tuple[float, str]:
    """EI from which identifying kinds are present, with its reason."""
    full_name = bool(_identifying(kinds, "full_name")) or (
        bool(_identifying(kinds, "surname")) and bool(_identifying(kinds, "given_name")))
    alone = sorted(_identifying(kinds, "alone"))
    if alone:
        shown = "the NIR" if alone == ["nir"] else ", ".join(alone)
        return 1.0, f"EI 1 (maximum): {shown} identifies each person directly."
    if full_name and _identifying(kinds, "locator"):
        return 1.0, ("EI 1 (maximum): full names with a date of birth or a postal address "
                     "identify each person directly.")
    if full_name:
        return 0.75, "EI 0.75 (significant): full names, without date of birth or address."
    direct = sorted(_identifying(kinds, "direct"))
    if direct:
        return 0.75, f"EI 0.75 (significant): direct identifiers ({', '.join(direct)})."
    partial = sorted(_identifying(kinds, "surname", "given_name", "full_name", "locator",
                                  "partial"))
    if partial:
        return 0.5, f"EI 0.5 (limited): partial identifiers only ({', '.join(partial)})."
    return 0.25, "EI 0.25 (negligible): no identifying data detected."


def circumstances_score(c: Circumstances) -> tuple[float, list[str]]:
    """CB: points for loss of confidentiality, integrity, availability and malice, added."""
    def suffix(element: str) -> str:
        return (" (assumed for a leaked file; the DPO should confirm)"
                if element in c.assumed else "")

    reasons = []
    conf = _LOSS_POINTS[c.confidentiality]
    if conf:
        who = "an unknown number of" if c.confidentiality == "unknown" else "known"
        reasons.append(f"CB +{conf:g}: loss of confidentiality, data disclosed to {who} "
                       f"recipients{suffix('confidentiality')}.")
    integrity = _ALTERATION_POINTS[c.integrity]
    if integrity:
        reasons.append(f"CB +{integrity:g}: loss of integrity ({c.integrity}).")
    availability = _ALTERATION_POINTS[c.availability]
    if availability:
        reasons.append(f"CB +{availability:g}: loss of availability ({c.availability}).")
    malice = _MALICIOUS_POINTS if c.malicious else 0.0
    if malice:
        reasons.append(f"CB +{malice:g}: malicious intent (theft, hacking or sale){suffix('malicious')}.")
    return conf + integrity + availability + malice, reasons


def assess_severity(kinds: set[str], persons: int, circumstances: Circumstances | None = None,
                    *, health_context: bool = True, dpc: float | None = None,
                    ei: float | None = None) -> Severity:
    """The ENISA score for a leak exposing `kinds` (kinds and mentions) about `persons` people.

    `dpc` and `ei` override the proposals (the DPO's call); `health_context` says the
    controller is a health organisation, which makes even an administrative patient list
    health data by context.
    """
    circumstances = circumstances or Circumstances()
    reasons: list[str] = []
    if dpc is None:
        dpc, dpc_reasons = data_processing_context(kinds, health_context=health_context)
        reasons += dpc_reasons
    else:
        reasons.append(f"DPC {dpc:g}: set by the DPO.")
    if ei is None:
        ei, ei_reason = ease_of_identification(kinds)
        reasons.append(ei_reason)
    else:
        reasons.append(f"EI {ei:g}: set by the DPO.")
    cb, cb_reasons = circumstances_score(circumstances)
    reasons += cb_reasons
    score = dpc * ei + cb
    level = level_of(score)
    reasons.append(f"SE = DPC × EI + CB = {dpc:g} × {ei:g} + {cb:g} = {score:g}: {level}.")
    reasons.append(f"{persons} distinct persons affected (shown beside the score, "
                   "not part of it).")
    reasons.append("This is a proposal: the risk decision and any override belong to the DPO.")
    return Severity(METHOD, score, level, reasons, dpc, ei, cb, edpb_severity_of(level))
