"""Street addresses: an optional number (with bis/ter), then a French way type ("12 bis
rue des Lilas", "3, AV. J. JAURES", "Lieu-dit Les Granges"), optionally after a short
complement ("Bât. B, 12 rue…") and followed by postcode and city."""

from __future__ import annotations

import re

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS, strip_accents

# Way types that open an address on their own ("Lieu-dit Les Granges", "Route de Lyon").
WAY_WORDS = (
    "rue", "avenue", "boulevard", "place", "chemin", "impasse", "allee", "route", "quai",
    "cours", "square", "passage", "cite", "residence", "lotissement", "hameau", "lieu dit",
    "lieudit", "faubourg", "voie", "sentier", "ruelle", "rond point", "parvis", "esplanade",
    "promenade", "domaine", "montee", "traverse", "chaussee", "quartier", "villa", "clos",
    "street", "road", "lane", "drive")
# Abbreviations, too ambiguous alone ("Dr Martin", "St Louis"): only after a number.
WAY_ABBREVIATIONS = (
    "r", "av", "ave", "bd", "bld", "blvd", "pl", "ch", "che", "imp", "all", "rte", "sq",
    "pass", "res", "lot", "ham", "ld", "fbg", "fg", "prom", "mail", "dom", "za", "zi", "zac",
    "bp", "cs", "st", "rd", "ln", "dr", "ct", "way", "court")


def _alternation(words) -> str:
    return "(?:" + "|".join(sorted((w.replace(" ", r"[\s\-]") for w in words), key=len, reverse=True)) + ")"


_NUMBER = r"(?:[0-9]{1,5}(?:\s*-\s*[0-9]{1,5})?\s*(?:bis|ter|quater|[a-d])?\b\s*,?\s*)"
# A complement may come first ("Bât. B, 12 rue…", "Résidence les Pins, 4 allée…").
_ADDRESS = (rf"(?:.{{0,40}}[\s,])?{_NUMBER}(?:{_alternation(WAY_WORDS + WAY_ABBREVIATIONS)})\.?\s+[a-z0-9].*"
            rf"|{_alternation(WAY_WORDS)}\s+[a-z0-9].*")
_ADDRESS_RE = re.compile(_ADDRESS, re.IGNORECASE)


class Address(Recogniser):
    kind = "address"
    label = "street addresses"
    header_words = HEADER_WORDS["address"]
    context_words = ("adresse", "domicile", "demeurant", "habite", "residant")
    pattern = re.compile(r"[^|;]{5,200}")
    confidence = 0.9
    min_ratio = 0.7
    sql_valid = ("regexp_full_match(lower(strip_accents(trim({col}))), '"
                 + _ADDRESS.replace("'", "''") + "')")

    def validate(self, value: str) -> bool:
        return bool(_ADDRESS_RE.fullmatch(strip_accents(value.strip())))

    def normalise(self, value: str) -> str:
        return re.sub(r"\s+", " ", strip_accents(value).upper()).strip()
