"""IBAN: ISO 13616 structure and mod-97 key, checked by python-stdnum.

`sql_valid` computes the same mod-97 in DuckDB (letters as 10-35, folded digit by digit
with list_reduce), so full-column counts need no Python loop.
"""

from __future__ import annotations

import re

from stdnum import iban as stdnum_iban

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS

_COMPACT_SQL = "upper(regexp_replace({col}, '[\\s.\\-]+', '', 'g'))"
_REARRANGED_SQL = f"(substr({_COMPACT_SQL}, 5) || substr({_COMPACT_SQL}, 1, 4))"


class Iban(Recogniser):
    kind = "iban"
    label = "IBAN keys"
    header_words = HEADER_WORDS["iban"]
    context_words = ("iban", "rib", "compte", "virement", "bancaire")
    pattern = re.compile(r"[A-Za-z]{2}[0-9]{2}[A-Za-z0-9\s.\-]{11,40}")
    confidence = 0.99
    sql_valid = (
        f"(regexp_full_match({_COMPACT_SQL}, '[A-Z][A-Z][0-9][0-9][A-Z0-9]{{11,30}}') AND "
        f"list_reduce(string_split({_REARRANGED_SQL}, ''), "
        "lambda acc, ch: CASE WHEN ch BETWEEN '0' AND '9' "
        "THEN (TRY_CAST(acc AS INTEGER) * 10 + ascii(ch) - 48) % 97 "
        "ELSE (TRY_CAST(acc AS INTEGER) * 100 + ascii(ch) - 55) % 97 END, 0) = 1)")

    def validate(self, value: str) -> bool:
        return stdnum_iban.is_valid(value)

    def normalise(self, value: str) -> str:
        return stdnum_iban.compact(value)
