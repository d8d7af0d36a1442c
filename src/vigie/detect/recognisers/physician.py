"""Physicians: "Dr Martin", "Docteur M. Durand", "Pr Leroy" on values alone; under a header
that names a physician (medecin, prescripteur, rpps), also plain names and RPPS numbers
(11 digits). Which doctor a patient sees is health data (art. 9): it hints at the illness.
"""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.recognisers.first_name import NAME_SHAPE

_TITLED = re.compile(r"(?:dr|docteur|doctor|pr|professeur|prof)\.?\s+[^\W\d_].*", re.IGNORECASE)
RPPS = re.compile(r"[0-9]{11}")


class Physician(Recogniser):
    kind = "physician"
    label = "physicians"
    header_words = HEADER_WORDS["physician"]
    context_words = ("dr", "docteur", "medecin", "prescripteur", "rpps")
    pattern = re.compile(r"[^|;]{2,80}")
    confidence = 0.9
    min_ratio = 0.7
    sql_valid = ("regexp_full_match(trim({col}), '(?i)(dr|docteur|doctor|pr|professeur|prof)\\.?\\s+[^0-9\\s].*') "
                 "OR regexp_full_match(trim({col}), '[0-9]{11}')")

    def validate(self, value: str) -> bool:
        return bool(_TITLED.fullmatch(value))

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        titled = sum(1 for v in values if self.matches(v))
        other = 0
        if header > 0:
            other = sum(1 for v in values if not _TITLED.fullmatch(v)
                        and (RPPS.fullmatch(v) or NAME_SHAPE.fullmatch(v)))
        ratio = (titled + other) / len(values)
        evidence = [f"{percent(titled / len(values))} 'Dr' / 'Docteur' names"] if titled else []
        if other:
            evidence.append(f"{percent(other / len(values))} names or RPPS numbers under a physician header")
        return Signal(ratio, evidence)
