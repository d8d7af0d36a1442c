"""Diagnoses: a CIM-10 code of the ATIH list, alone or before its label ("E11.9",
"E11.9 Diabète de type 2 sans complication", "B20"), or a short label naming a disease of
the mention vocabulary ("Diabète de type 2", "Hépatite C chronique", "Dépression")."""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from vigie.detect.base import Signal, percent
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.freetext import row_bits
from vigie.detect.lexicons import MENTION_BIT, cim10
from vigie.detect.recognisers._medical import ONE_LINE_CELL, MaskRecogniser, word_counts

_LEADING_CODE = re.compile(r"\s*([A-Za-z][0-9]{2}(?:\.?[0-9A-Za-z+]{1,2})?)(?![0-9A-Za-z])")
# Mentions that name a disease or a state (a drug name alone is not a diagnosis).
_DISEASE_BITS = np.uint16(sum(bit for m, bit in MENTION_BIT.items() if m != "medication"))
MAX_LABEL_WORDS = 12      # longer cells are notes, the free-text scanner's job


def leading_code(value: str) -> str | None:
    """The CIM-10 code a cell starts with, when it is in the list ('E11.9 ...' -> 'E119')."""
    match = _LEADING_CODE.match(value)
    if match and cim10.is_code(match.group(1)):
        return cim10.normalise_code(match.group(1))
    return None


class Diagnosis(MaskRecogniser):
    kind = "diagnosis"
    label = "CIM-10 codes or disease labels"
    header_words = HEADER_WORDS["diagnosis"]
    context_words = ("diagnostic", "cim10", "pathologie", "atcd", "antecedent")
    pattern = ONE_LINE_CELL
    confidence = 0.9
    min_ratio = 0.7
    header_min_ratio = 0.4
    # Code-shaped start (the list itself needs Python); labels are counted by the scanner.
    # No braces but {col}: callers fill the template with str.replace or str.format.
    sql_valid = (r"regexp_matches(trim({col}), '^[A-Za-z][0-9][0-9](\.?[0-9A-Za-z+][0-9A-Za-z+]?)?"
                 r"([^0-9A-Za-z]|$)')")

    def normalise(self, value: str) -> str:
        return leading_code(value) or " ".join(value.split())

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        valid = self.valid_mask(values)
        coded = sum(1 for v in values if leading_code(v))
        ratio = float(valid.mean())
        evidence = []
        if coded:
            evidence.append(f"{percent(coded / len(values))} valid CIM-10 codes")
        if valid.sum() > coded:
            evidence.append(f"{percent((valid.sum() - coded) / len(values))} disease labels")
        return Signal(ratio, evidence)

    @staticmethod
    def valid_mask(values: Sequence[str]) -> np.ndarray:
        """A listed code first, or a short disease label."""
        short = word_counts(values) <= MAX_LABEL_WORDS
        disease = (row_bits(list(values)) & _DISEASE_BITS) != 0
        coded = np.array([leading_code(v) is not None for v in values], dtype=bool)
        return coded | (short & disease)
