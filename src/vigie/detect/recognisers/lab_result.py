"""Lab results: a measured value with its unit ("13,2 g/dL", "Hb 13,2 g/dL; CRP < 4 mg/L",
"< 20 copies/mL") or a qualitative result alone ("Négatif", "positive", "indétectable").
A bare number is a result only under a results header (values alone: any quantity); so is a
bare percentage ("12.5%"): % is a lab unit only beside an analyte ("HbA1c 7,1 %"), alone it is
any share (a discount, a completion rate)."""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.lexicons.labs import QUALITATIVE_CELL, RESULT_UNITS, VALUE_WITH_UNIT
from vigie.detect.recognisers._medical import ONE_LINE_CELL

_BARE_NUMBER = re.compile(r"[<>]?\s*[0-9]+(?:[.,][0-9]+)?")
# A percentage without an analyte label: VALUE_WITH_UNIT's number, an optional sign, then %.
_BARE_PERCENT_REGEX = r"\s*[-+]?[<>≤≥]?\s*[0-9]+(?:[.,][0-9]+)?\s*%\s*"
_BARE_PERCENT = re.compile(_BARE_PERCENT_REGEX)
_UNIT_SQL = "|".join(sorted((re.escape(u) for u in RESULT_UNITS), key=len, reverse=True))


class LabResult(Recogniser):
    kind = "lab_result"
    label = "lab results with units"
    header_words = HEADER_WORDS["lab_result"]
    context_words = ("resultat", "valeur", "taux", "dosage")
    pattern = ONE_LINE_CELL
    confidence = 0.9
    min_ratio = 0.7
    header_min_ratio = 0.5
    sql_valid = (
        "((regexp_matches(lower({col}), '[0-9]+(?:[.,][0-9]+)?\\s*(?:" + _UNIT_SQL
        + ")(?:[^a-z]|$)') AND NOT regexp_full_match({col}, '" + _BARE_PERCENT_REGEX + "'))"
        " OR regexp_full_match(strip_accents(lower(trim({col}))), "
        "'(?:positif|positive|negatif|negative|indetectable|detectable|douteux|douteuse"
        "|immunise|immunisee|non immunise|non immunisee|reactif|non reactif|pos|neg)'))")

    def validate(self, value: str) -> bool:
        if _BARE_PERCENT.fullmatch(value):
            return False
        return bool(VALUE_WITH_UNIT.search(value) or QUALITATIVE_CELL.fullmatch(value))

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        valid = sum(1 for v in values if self.matches(v))
        bare = shares = 0
        if header > 0:
            bare = sum(1 for v in values if _BARE_NUMBER.fullmatch(v))
            shares = sum(1 for v in values if _BARE_PERCENT.fullmatch(v))
        ratio = (valid + bare + shares) / len(values)
        evidence = [f"{percent(valid / len(values))} values with a lab unit or a "
                    "qualitative result"] if valid else []
        if bare:
            evidence.append(f"{percent(bare / len(values))} bare numbers under a results header")
        if shares:
            evidence.append(f"{percent(shares / len(values))} bare percentages under a results header")
        return Signal(ratio, evidence)
