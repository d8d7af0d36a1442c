"""Blood groups (ABO + rhesus) in every French and English notation: "O+", "A Rh-",
"AB nég", "B positif", "O RH+", "0 négatif". A bare "A" or "O" counts only when the header
names a blood-group column: alone it is any category code."""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS, strip_accents

_RHESUS = r"(?:\+|-|POS|NEG|POSITIF|NEGATIF|POSITIVE|NEGATIVE)"
_GROUP_RE = re.compile(rf"(AB|A|B|O|0)\s*(?:RH(?:ESUS)?\s*(?:D\s*)?)?({_RHESUS})")
_BARE_RE = re.compile(r"(AB|A|B|O|0)")


def _folded(value: str) -> str:
    return re.sub(r"\s+", " ", strip_accents(value).upper().replace("GROUPE", "")).strip(" .")


class BloodGroup(Recogniser):
    kind = "blood_group"
    label = "blood groups"
    header_words = HEADER_WORDS["blood_group"]
    context_words = ("groupe sanguin", "groupe", "rhesus", "rh")
    pattern = re.compile(r"[A-Za-z0-9 +\-éÉèÈ.]{1,24}")
    confidence = 0.95
    min_ratio = 0.9
    sql_valid = (f"regexp_full_match(trim(replace(upper(strip_accents({{col}})), 'GROUPE', '')), "
                 f"'(AB|A|B|O|0) *(RH(ESUS)? *(D *)?)?{_RHESUS}')")

    def validate(self, value: str) -> bool:
        return bool(_GROUP_RE.fullmatch(_folded(value)))

    def normalise(self, value: str) -> str:
        folded = _folded(value)
        match = _GROUP_RE.fullmatch(folded)
        if not match:
            return folded
        group = "O" if match.group(1) == "0" else match.group(1)
        return group + ("+" if match.group(2).startswith(("+", "POS")) else "-")

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        full = sum(1 for v in values if self.matches(v))
        bare = sum(1 for v in values if _BARE_RE.fullmatch(_folded(v))) if header > 0 else 0
        ratio = (full + bare) / len(values)
        return Signal(ratio, [f"{percent(ratio)} blood groups"] if full + bare else [])
