"""Insurance member / contract numbers: shapes vary with every insurer, so only a header
names the column (num_adh, numero_adherent, no_contrat, member id…); values must be
token-like identifiers with digits."""

from __future__ import annotations

import re

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS


class InsuranceNumber(Recogniser):
    kind = "insurance_number"
    label = "member-number-like identifiers"
    header_words = HEADER_WORDS["insurance_number"]
    context_words = ("adherent", "contrat", "mutuelle")
    pattern = re.compile(r"[A-Za-z0-9][A-Za-z0-9 /._\-]{3,29}")
    confidence = 0.85
    needs_header = True
    header_min_ratio = 0.8
    sql_valid = "regexp_full_match(trim({col}), '[A-Za-z0-9][A-Za-z0-9 /._\\-]{3,29}') AND regexp_matches({col}, '[0-9].*[0-9].*[0-9]')"

    def validate(self, value: str) -> bool:
        return sum(ch.isdigit() for ch in value) >= 3

    def normalise(self, value: str) -> str:
        return re.sub(r"[\s/._\-]+", "", value).upper()
