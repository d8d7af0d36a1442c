"""Sex / gender / civility: M/F, H/F, Homme/Femme, masculin/féminin, male/female, M./Mme.
1/2 (the NIR convention) under a header naming the column; without a header only when the
column holds exactly 1 and 2 in sex-like proportions (each 30-70 %), at lower confidence.
A real sex column has a handful of distinct values, so a column with many is rejected
whatever its letters."""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS, strip_accents

WORDS = frozenset((
    "M", "F", "H", "HOMME", "FEMME", "MASCULIN", "FEMININ", "MASC", "FEM", "MALE", "FEMALE",
    "MAN", "WOMAN", "MR", "MME", "MLLE", "MONSIEUR", "MADAME", "MADEMOISELLE", "MRS", "MS",
    "MISS", "GARCON", "FILLE", "X", "I", "U", "AUTRE", "INCONNU", "INDETERMINE"))
# Unknown / other markers count as values of a sex column but never prove one alone.
_UNDETERMINED = frozenset(("X", "I", "U", "AUTRE", "INCONNU", "INDETERMINE"))
_DIGITS = frozenset(("1", "2", "0", "9"))


def _folded(value: str) -> str:
    return strip_accents(value).upper().strip(" .")


class Sex(Recogniser):
    kind = "sex"
    label = "sex values"
    header_words = HEADER_WORDS["sex"]
    context_words = ("sexe", "homme", "femme", "ne", "nee")
    pattern = re.compile(r"[^\d\s]{1,14}\.?|[0-9]")
    confidence = 0.9
    min_ratio = 0.95
    sql_valid = ("upper(trim(strip_accents({col}), ' .')) IN ("
                 + ", ".join(f"'{w}'" for w in sorted(WORDS)) + ")")

    def validate(self, value: str) -> bool:
        return _folded(value) in WORDS

    def normalise(self, value: str) -> str:
        folded = _folded(value)
        if folded in ("M", "H", "HOMME", "MASCULIN", "MASC", "MALE", "MAN", "MR", "MONSIEUR",
                      "GARCON", "1"):
            return "M"
        if folded in ("F", "FEMME", "FEMININ", "FEM", "FEMALE", "WOMAN", "MME", "MLLE",
                      "MADAME", "MADEMOISELLE", "MRS", "MS", "MISS", "FILLE", "2"):
            return "F"
        return "U"

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        folded = [_folded(v) for v in values]
        distinct = set(folded)
        if len(distinct) > 8 or not distinct - _UNDETERMINED:
            return Signal(0.0)
        words = sum(1 for f in folded if f in WORDS)
        if not header and distinct == {"1", "2"} and len(values) >= 20:
            share = folded.count("1") / len(values)
            if 0.3 <= share <= 0.7:
                return Signal(1.0, [f"only 1 and 2 ({percent(share)} / {percent(1 - share)}), "
                                    "coded like the NIR's sex digit"], 0.6)
        digits = sum(1 for f in folded if f in _DIGITS) if header > 0 else 0
        if not header and len(distinct & {"M", "F", "H", "HOMME", "FEMME", "MASCULIN",
                                          "FEMININ", "MALE", "FEMALE", "MR", "MME",
                                          "MONSIEUR", "MADAME"}) < 2 and len(values) >= 10:
            return Signal(0.0)    # a one-letter flag column ('F' for facturé) is no sex column
        ratio = (words + digits) / len(values)
        return Signal(ratio, [f"{percent(ratio)} sex values, {len(distinct)} distinct"] if ratio else [])
