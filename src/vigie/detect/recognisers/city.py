"""Cities: commune names from the COG list (refdata), compared in normal form, with the
usual spellings of leaks folded first ("ST ETIENNE", "Paris 14e", "LYON 03", "Nantes
Cedex 2", "Dijon (21)", "75014 PARIS")."""

from __future__ import annotations

import re

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS
from vigie.refdata.communes import city_name_set
from vigie.refdata.normalise import normalise_name

_SUFFIX = re.compile(r"\s*(?:\(.*\)|CEDEX.*|[0-9]+\s*(?:E|ER|EME|ARR|ARRONDISSEMENT)?)\s*$")
_SAINT = re.compile(r"\b(STE|ST)\b")
_LEADING_POSTCODE = re.compile(r"^[0-9]{5}\s+")


def normalise_city(value: str) -> str:
    """Normal form of a city as written in leaks ('St-Étienne Cedex 1' -> 'SAINT ETIENNE')."""
    name = normalise_name(_LEADING_POSTCODE.sub("", value.strip()))
    name = _SUFFIX.sub("", name).strip()
    return _SAINT.sub(lambda m: "SAINTE" if m.group(1) == "STE" else "SAINT", name)


def is_city(value: str) -> bool:
    """The value names a French commune (or an arrondissement's city)."""
    return normalise_city(value) in city_name_set()


class City(Recogniser):
    kind = "city"
    label = "French commune names"
    header_words = HEADER_WORDS["city"]
    context_words = ("ville", "commune", "domicilie", "habitant", "residant")
    pattern = re.compile(r"(?:[0-9]{5}\s+)?[^\d@|;]{2,60}(?:\s[0-9]{1,2}\s*[A-Za-z]*)?(?:\s*\([0-9AB]{2,3}\))?")
    confidence = 0.9
    min_ratio = 0.85

    def validate(self, value: str) -> bool:
        return is_city(value)

    def normalise(self, value: str) -> str:
        return normalise_city(value)
