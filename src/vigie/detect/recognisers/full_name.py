"""Full names in one cell: "Marie DUPONT", "DUPONT Marie", "Mme Marie Dupont-Leroy".

A value counts when, civility set aside, it has 2 to 5 words, one end a known first name
and the other a known surname.
"""

from __future__ import annotations

import re

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.recognisers.first_name import NAME_SHAPE
from vigie.refdata.names import first_name_set, surname_set
from vigie.refdata.normalise import normalise_name

CIVILITIES = frozenset(("M", "MR", "MME", "MLLE", "MONSIEUR", "MADAME", "MADEMOISELLE",
                        "MRS", "MS", "MISS"))


def name_words(value: str) -> list[str]:
    """Words of a personal name, civility dropped: 'Mme Marie DUPONT' -> ['MARIE', 'DUPONT']."""
    words = re.split(r"[\s,]+", value.strip())
    while words and normalise_name(words[0]) in CIVILITIES:
        words = words[1:]
    return [normalise_name(w) for w in words if w]


def is_full_name(value: str) -> bool:
    words = name_words(value)
    if not 2 <= len(words) <= 5:
        return False
    firsts, lasts = first_name_set(), surname_set()
    return (words[0] in firsts and words[-1] in lasts) or \
        (words[0] in lasts and words[-1] in firsts)


class FullName(Recogniser):
    kind = "full_name"
    label = "first name + surname"
    header_words = HEADER_WORDS["full_name"]
    context_words = ("patient", "patiente", "m", "mme", "monsieur", "madame", "nom")
    pattern = re.compile(r"[^\W\d_][^\d@|;]{2,80}")
    confidence = 0.9
    min_ratio = 0.7

    def validate(self, value: str) -> bool:
        return NAME_SHAPE.fullmatch(value.replace(",", " ")) is not None and is_full_name(value)

    def normalise(self, value: str) -> str:
        return " ".join(name_words(value))
