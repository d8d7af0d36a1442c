"""Place of birth: a commune, a department or a country of birth, under a header that says
"naissance" / "birth" (values alone read as a city of residence)."""

from __future__ import annotations

import re
from functools import lru_cache

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.recognisers.city import is_city
from vigie.refdata.communes import departement_names
from vigie.refdata.normalise import normalise_name

# Countries of birth most often written in French patient files. Hand-written: no offline
# package carries French country names (babel/pycountry are not installed here).
COUNTRIES = frozenset(normalise_name(c) for c in (
    "France", "Etranger", "Algérie", "Maroc", "Tunisie", "Portugal", "Italie", "Espagne",
    "Turquie", "Belgique", "Allemagne", "Suisse", "Royaume-Uni", "Pologne", "Roumanie",
    "Sénégal", "Mali", "Côte d'Ivoire", "Cameroun", "Congo", "République démocratique du Congo",
    "Madagascar", "Comores", "Haïti", "Vietnam", "Viêt Nam", "Cambodge", "Laos", "Chine",
    "Inde", "Sri Lanka", "Pakistan", "Afghanistan", "Syrie", "Liban", "Iran", "Irak", "Russie",
    "Ukraine", "Serbie", "Brésil", "Etats-Unis", "Canada", "Mauritanie", "Guinée", "Niger",
    "Burkina Faso", "Bénin", "Togo", "Gabon", "Tchad", "Egypte", "Luxembourg", "Pays-Bas",
    "Arménie", "Géorgie", "Moldavie", "Albanie", "Kosovo", "Bulgarie", "Hongrie", "Grèce"))


class PlaceOfBirth(Recogniser):
    kind = "place_of_birth"
    label = "places of birth"
    header_words = HEADER_WORDS["place_of_birth"]
    context_words = ("ne a", "nee a", "lieu de naissance")
    pattern = re.compile(r"[^\d@|;]{2,60}(?:\s*\([0-9AB]{2,3}\))?|[0-9][0-9AB][0-9]{0,3}")
    confidence = 0.9
    needs_header = True

    def validate(self, value: str) -> bool:
        name = normalise_name(value)
        return name in COUNTRIES or name in _departements() or is_city(value) \
            or value.strip().upper() in departement_names()

    def normalise(self, value: str) -> str:
        return normalise_name(value)


@lru_cache(maxsize=1)
def _departements() -> frozenset[str]:
    return frozenset(normalise_name(n) for n in departement_names().values())
