"""User names / logins: a header names the column (login, username, pseudo, identifiant);
values are tokens of 3-64 characters with a letter and no blank (e-mail logins count,
though an all-e-mail column goes to `email`, which wins on values)."""

from __future__ import annotations

import re

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS


class Username(Recogniser):
    kind = "username"
    label = "login-like tokens"
    header_words = HEADER_WORDS["username"]
    context_words = ("login", "identifiant", "utilisateur", "pseudo")
    pattern = re.compile(r"[\w.@+\-]{3,64}")
    confidence = 0.85
    needs_header = True
    header_min_ratio = 0.8
    sql_valid = "regexp_full_match(trim({col}), '[\\w.@+\\-]{3,64}') AND regexp_matches({col}, '[A-Za-z]')"

    def validate(self, value: str) -> bool:
        return any(ch.isalpha() for ch in value)

    def normalise(self, value: str) -> str:
        return value.strip().lower()
