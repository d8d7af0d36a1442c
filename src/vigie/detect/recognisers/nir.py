"""NIR (numéro d'inscription au répertoire: social security number, NIA, INS matricule).

python-stdnum's `fr.nir` checks only the length and the key (it accepts sex 9, month 99,
department 00), so it is wrapped: the structure below follows the CNAM rules — sex 1/2
(3/4/7/8: temporary numbers, NNP-like, reported apart at lower confidence), month 01-12,
20-42 or 50-99, department 01-95, 2A/2B (and 20 for Corsicans born before 1976), 97x/98x
with a 2-digit commune, 99 + country for people born abroad — then the key
97 - (n mod 97) with 2A -> 19, 2B -> 18. The 13-character keyless form is accepted at
lower confidence. The same structure drives `sql_valid` so full-column counts in DuckDB
agree with the sample.
"""

from __future__ import annotations

import re
from typing import Sequence

from stdnum.fr import nir as stdnum_nir

from vigie.detect.base import SQL_WHITESPACE, Recogniser, Signal, deleted_sql, percent
from vigie.detect.column_names import HEADER_WORDS

_NONZERO3 = "(?:00[1-9]|0[1-9][0-9]|[1-9][0-9][0-9])"
_NONZERO2 = "(?:0[1-9]|[1-9][0-9])"
_MONTH = "(?:0[1-9]|1[0-2]|2[0-9]|3[0-9]|4[0-2]|[5-9][0-9])"
_PLACE = ("(?:(?:0[1-9]|[1-8][0-9]|9[0-5]|2A|2B)" + _NONZERO3
          + "|97[1-8]" + _NONZERO2 + "|98[4-9]" + _NONZERO2 + "|99" + _NONZERO3 + ")")
_KEY = "(?:0[1-9]|[1-8][0-9]|9[0-7])"
# Written for both Python `re` and DuckDB's RE2.
KEYED = "[1-478][0-9][0-9]" + _MONTH + _PLACE + _NONZERO3 + _KEY
KEYLESS = "[12][0-9][0-9]" + _MONTH + _PLACE + _NONZERO3
_KEYED_RE = re.compile(KEYED)
_KEYLESS_RE = re.compile(KEYLESS)
_SEPARATORS = re.compile(r"[\s.\-_\u00a0\u202f]+")
TEMPORARY_SEX_DIGITS = frozenset("3478")

_NORMALISED_SQL = f"upper({deleted_sql('{col}', SQL_WHITESPACE + '.-_' + chr(0xA0) + chr(0x202F))})"


def normalise_nir(value: str) -> str:
    """'2 84 05 2a 123 456 78' -> '284052A12345678' (separators out, upper case)."""
    return _SEPARATORS.sub("", value).upper()


def key_of(first13: str) -> int:
    """The NIR key of its 13 first characters (2A -> 19, 2B -> 18, as stdnum does)."""
    return int(stdnum_nir.calc_check_digits(first13 + "00"))


def nir_form(value: str) -> str | None:
    """'keyed', 'temporary' (sex 3/4/7/8, valid key), 'keyless', or None if not a NIR."""
    number = normalise_nir(value)
    if len(number) == 15 and _KEYED_RE.fullmatch(number) \
            and stdnum_nir.calc_check_digits(number) == number[13:]:
        return "temporary" if number[0] in TEMPORARY_SEX_DIGITS else "keyed"
    if len(number) == 13 and _KEYLESS_RE.fullmatch(number):
        return "keyless"
    return None


class Nir(Recogniser):
    kind = "nir"
    label = "NIR keys"
    header_words = HEADER_WORDS["nir"]
    context_words = ("nir", "nss", "ins", "secu", "securite sociale", "immatriculation",
                     "carte vitale", "numero de securite sociale")
    pattern = re.compile(r"[0-9][0-9ABab\s.\-_\u00a0\u202f]{11,26}")
    confidence = 0.99
    min_ratio = 0.8
    header_min_ratio = 0.5
    sql_valid = (
        f"(CASE WHEN regexp_full_match({_NORMALISED_SQL}, '{KEYED}') THEN "
        f"TRY_CAST(substr({_NORMALISED_SQL}, 14, 2) AS INTEGER) = 97 - (TRY_CAST(replace(replace("
        f"substr({_NORMALISED_SQL}, 1, 13), '2A', '19'), '2B', '18') AS BIGINT) % 97) "
        f"ELSE regexp_full_match({_NORMALISED_SQL}, '{KEYLESS}') END)")

    def validate(self, value: str) -> bool:
        return nir_form(value) is not None

    def normalise(self, value: str) -> str:
        return normalise_nir(value)

    def assess(self, values: Sequence[str], header: float) -> Signal:
        forms = [nir_form(v) if self.pattern.fullmatch(v) else None for v in values]
        n = len(values)
        if not n:
            return Signal(0.0)
        keyed = forms.count("keyed") / n
        temporary = forms.count("temporary") / n
        keyless = forms.count("keyless") / n
        ratio = keyed + temporary + keyless
        evidence = []
        if keyed:
            evidence.append(f"{percent(keyed)} valid NIR keys")
        if temporary:
            evidence.append(f"{percent(temporary)} temporary numbers (sex 3/4/7/8) with valid keys")
        if keyless:
            evidence.append(f"{percent(keyless)} keyless 13-character NIRs (structure only)")
        # Only keyed numbers prove a NIR: 13 digits pass the structure far more often by
        # chance than 15 digits pass the key, and temporary numbers are not NIRs proper.
        confidence = None
        if ratio and keyed / ratio < 0.5:
            confidence = 0.85 if temporary >= keyless else 0.7
        return Signal(ratio, evidence, confidence)
