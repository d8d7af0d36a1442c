"""Ages in years (0-120, "45", "45 ans", "45.5"): any small number looks like an age,
so only a header naming the column makes one."""

from __future__ import annotations

import re

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS

_AGE = re.compile(r"([0-9]{1,3})(?:[.,][0-9]+)?\s*(?:ans?|years?|y|a)?", re.IGNORECASE)


class Age(Recogniser):
    kind = "age"
    label = "ages (0-120)"
    header_words = HEADER_WORDS["age"]
    context_words = ("age", "ans")
    pattern = _AGE
    confidence = 0.85
    needs_header = True
    header_min_ratio = 0.8
    sql_valid = ("TRY_CAST(regexp_extract(trim({col}), '^([0-9]{1,3})([.,][0-9]+)? *(ans?|years?|y|a)?$', 1) "
                 "AS INTEGER) BETWEEN 0 AND 120")

    def validate(self, value: str) -> bool:
        match = _AGE.fullmatch(value)
        return match is not None and int(match.group(1)) <= 120

    def normalise(self, value: str) -> str:
        match = _AGE.fullmatch(value.strip())
        return match.group(1) if match else value.strip()
