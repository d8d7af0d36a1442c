"""Insurance member / contract numbers: shapes vary with every insurer, so only a header
names the column (num_adh, numero_adherent, no_contrat, member id…); values must be
token-like identifiers with digits."""

from __future__ import annotations

import re

from vigie.detect.base import HeaderTokenRecogniser
from vigie.detect.column_names import HEADER_WORDS


class InsuranceNumber(HeaderTokenRecogniser):
    kind = "insurance_number"
    label = "member-number-like identifiers"
    header_words = HEADER_WORDS["insurance_number"]
    context_words = ("adherent", "contrat", "mutuelle")
    pattern = re.compile(r"[A-Za-z0-9][A-Za-z0-9 /._\-]{3,29}")
    confidence = 0.85
    required = "[0-9].*[0-9].*[0-9]"       # three digits

    def normalise(self, value: str) -> str:
        return re.sub(r"[\s/._\-]+", "", value).upper()
