"""User names / logins: a header names the column (login, username, pseudo, identifiant);
values are tokens of 3-64 characters with a letter and no blank (e-mail logins count,
though an all-e-mail column goes to `email`, which wins on values)."""

from __future__ import annotations

import re

from vigie.detect.base import HeaderTokenRecogniser, token_sql
from vigie.detect.column_names import HEADER_WORDS


class Username(HeaderTokenRecogniser):
    kind = "username"
    label = "login-like tokens"
    header_words = HEADER_WORDS["username"]
    context_words = ("login", "identifiant", "utilisateur", "pseudo")
    pattern = re.compile(r"[\w.@+\-]{3,64}")
    confidence = 0.85
    # A letter: any Unicode letter in Python (re has no letter class, hence the override);
    # RE2's classes are ASCII, so the SQL twin asks for [A-Za-z].
    sql_valid = token_sql(pattern, "[A-Za-z]")

    def validate(self, value: str) -> bool:
        return any(ch.isalpha() for ch in value)

    def normalise(self, value: str) -> str:
        return value.strip().lower()
