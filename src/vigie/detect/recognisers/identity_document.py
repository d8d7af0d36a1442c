"""Identity documents: national identity card (12 digits before 2021, 9 characters since)
and passport ("12AB34567") numbers, under a header that names the document: the shapes
alone are any reference."""

from __future__ import annotations

import re

from vigie.detect.base import HeaderTokenRecogniser
from vigie.detect.column_names import HEADER_WORDS

_SHAPES = r"[0-9]{12}|[0-9]{2}[A-Z]{2}[0-9]{5}|[A-Z0-9]{9}|[0-9]{4}[A-Z0-9]{3}[0-9]{5}"


class IdentityDocument(HeaderTokenRecogniser):
    kind = "identity_document"
    label = "identity-document numbers"
    header_words = HEADER_WORDS["identity_document"]
    context_words = ("cni", "carte d identite", "passeport", "piece d identite")
    pattern = re.compile(r"[A-Za-z0-9 ]{9,14}")
    confidence = 0.9
    required = "[0-9]"
    # The shapes apply to the compacted number, not to the cell as `token_sql` would.
    sql_valid = f"regexp_full_match(upper(replace({{col}}, ' ', '')), '{_SHAPES}') AND regexp_matches({{col}}, '{required}')"

    def validate(self, value: str) -> bool:
        number = self.normalise(value)
        return bool(re.fullmatch(_SHAPES, number)) and super().validate(number)

    def normalise(self, value: str) -> str:
        return value.replace(" ", "").upper()
