"""Lab results: a measured value with its unit ("13,2 g/dL", "Hb 13,2 g/dL; CRP < 4 mg/L",
"< 20 copies/mL"), a qualitative result alone ("Négatif", "positive", "indétectable"), or a
short cell naming the analyte and its qualitative result ("Toxo immunisée", "Ag HBs négatif",
"IgG positives"). A bare number is a result only under a results header (values alone: any
quantity; beside an exam or a unit column, `vigie.detect.tables` reads it as the result of
that exam); so is a bare percentage ("12.5%"): % is a lab unit only beside an analyte
("HbA1c 7,1 %"), alone it is any share (a discount, a completion rate)."""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.lexicons.labs import (BARE_NUMBER, MAX_RESULT_WORDS, QUALITATIVE_CELL,
                                        QUALITATIVE_RESULTS, RESULT_UNITS, RESULT_WORD,
                                        RESULT_WORD_SQL, VALUE_WITH_UNIT)
from vigie.detect.lexicons.normal import fold
from vigie.detect.recognisers._medical import ONE_LINE_CELL

# A percentage without an analyte label: VALUE_WITH_UNIT's number, an optional sign, then %.
_BARE_PERCENT_REGEX = r"\s*[-+]?[<>≤≥]?\s*[0-9]+(?:[.,][0-9]+)?\s*%\s*"
_BARE_PERCENT = re.compile(_BARE_PERCENT_REGEX)
ROW_NUMBERS_MIN, ROW_NUMBERS_DISTINCT = 50, 0.95
_UNIT_SQL = "|".join(sorted((re.escape(u) for u in RESULT_UNITS), key=len, reverse=True))
_QUALITATIVE_SQL = "|".join(sorted({fold(w) for w in QUALITATIVE_RESULTS}, key=len, reverse=True))


def has_result_word(value: str) -> bool:
    """A short cell holding a qualitative result word ("Toxo immunisée", "VIH 1/2 : négatif")."""
    return (value.strip().count(" ") < MAX_RESULT_WORDS
            and RESULT_WORD.search(fold(value)) is not None)


def row_numbers(values: Sequence[str]) -> bool:
    """Distinct plain integers: the row numbers of a "result_id" column, not measures
    (results repeat: many patients have a sodium of 140)."""
    return (len(values) >= ROW_NUMBERS_MIN and all(v.isdigit() for v in values)
            and len(set(values)) >= ROW_NUMBERS_DISTINCT * len(values))


class LabResult(Recogniser):
    kind = "lab_result"
    label = "lab results with units"
    header_words = HEADER_WORDS["lab_result"]
    context_words = ("resultat", "valeur", "taux", "dosage")
    pattern = ONE_LINE_CELL
    confidence = 0.9
    min_ratio = 0.7
    header_min_ratio = 0.5
    # CASE, not OR: each branch runs only on the cells the earlier ones left (most results
    # carry a unit), which keeps the full-column count near the cost of the first regex.
    sql_valid = (
        "CASE WHEN regexp_matches(lower({col}), '[0-9]+(?:[.,][0-9]+)?(?:\\^[0-9]+)?\\s*(?:" + _UNIT_SQL
        + ")(?:[^a-z]|$)') THEN NOT regexp_full_match({col}, '" + _BARE_PERCENT_REGEX + "')"
        " WHEN regexp_full_match(strip_accents(lower(trim({col}))), '(?:" + _QUALITATIVE_SQL
        + ")') THEN true"
        f" ELSE length(trim({{col}})) - length(replace(trim({{col}}), ' ', '')) < {MAX_RESULT_WORDS}"
        " AND regexp_matches(lower({col}), '" + RESULT_WORD_SQL + "') END")

    def validate(self, value: str) -> bool:
        if _BARE_PERCENT.fullmatch(value):
            return False
        return bool(VALUE_WITH_UNIT.search(value) or QUALITATIVE_CELL.fullmatch(value)
                    or has_result_word(value))

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        valid = sum(1 for v in values if self.matches(v))
        bare = shares = 0
        if header > 0 and not row_numbers(values):
            bare = sum(1 for v in values if BARE_NUMBER.fullmatch(v))
            shares = sum(1 for v in values if _BARE_PERCENT.fullmatch(v))
        ratio = (valid + bare + shares) / len(values)
        evidence = [f"{percent(valid / len(values))} values with a lab unit or a "
                    "qualitative result"] if valid else []
        if bare:
            evidence.append(f"{percent(bare / len(values))} bare numbers under a results header")
        if shares:
            evidence.append(f"{percent(shares / len(values))} bare percentages under a results header")
        return Signal(ratio, evidence)
