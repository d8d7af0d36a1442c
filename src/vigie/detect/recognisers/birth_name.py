"""Birth (maiden) names: surnames whose header says so (nom_jf, nom_naiss, nom de
naissance, birth_name, maiden). Values look exactly like usage names: only the header
tells them apart, so it is required."""

from __future__ import annotations

from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.recognisers.last_name import LastName


class BirthName(LastName):
    kind = "birth_name"
    header_words = HEADER_WORDS["birth_name"]
    context_words = ("nee", "nom de naissance", "nom de jeune fille")
    confidence = 0.92
    needs_header = True
