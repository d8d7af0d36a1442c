"""Shared helpers of the medical recognisers: lexicon look-ups on one value, the SQL
folding that mirrors `vigie.detect.lexicons.normal.fold` in DuckDB, and the base of the
recognisers that judge a sample with one vectorised mask."""

from __future__ import annotations

import re
from typing import ClassVar, Sequence

import numpy as np

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.lexicons.normal import TOKEN_SEPARATORS, tokens

# DuckDB's strip_accents + lower, tokens separated by one space: the SQL twin of `tokens`
# (β-HCG and ligatures aside, which do not occur in the structured values counted in SQL).
FOLDED_SQL = ("trim(regexp_replace(strip_accents(lower({col})), '" + TOKEN_SEPARATORS
              + "', ' ', 'g'))")
# Separators of a list of items in one cell: "NFS|CRP", "NFS; CRP", "NFS, CRP", "NFS + CRP".
ITEM_SEPARATORS_SQL = r"\s*[|;,+/\n]\s*"
ITEM_SEPARATORS = re.compile(ITEM_SEPARATORS_SQL)
# The pre-filter of the structured medical kinds (exams, results, diagnoses, drugs): one
# line of at most 400 characters; longer or multi-line cells are notes.
ONE_LINE_CELL = re.compile(r"[^\n]{1,400}")


def folded_key(text: str) -> str:
    """The lexicon key of a phrase: its folded tokens joined by one space."""
    return " ".join(tokens(text))


def sql_string_list(items) -> str:
    """A DuckDB list literal of strings: ['a', 'b']."""
    return "[" + ", ".join("'" + i.replace("'", "''") + "'" for i in sorted(items)) + "]"


def word_counts(values: Sequence[str]) -> np.ndarray:
    """The number of blank-separated words of each value."""
    return np.array([len(v.split()) for v in values], dtype=np.int64)


class MaskRecogniser(Recogniser):
    """A recogniser whose validator is vectorised over a whole sample (`valid_mask`, one
    free-text scan for all values rather than one per value); `validate` is that mask over
    one value, and the default `assess` its ratio, described by `evidence`."""

    evidence: ClassVar[str] = ""       # what the ratio counts, e.g. "values naming a known drug"

    def validate(self, value: str) -> bool:
        return bool(self.valid_mask([value])[0])

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        ratio = float(self.valid_mask(values).mean())
        return Signal(ratio, [f"{percent(ratio)} {self.evidence}"] if ratio else [])

    @staticmethod
    def valid_mask(values: Sequence[str]) -> np.ndarray:
        """One boolean per value: is it of this kind."""
        raise NotImplementedError
