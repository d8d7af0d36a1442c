"""E-mail addresses: a strict regex on the common shape (no library needed offline:
email-validator would add DNS habits and a dependency for a syntax check)."""

from __future__ import annotations

import re

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS

_EMAIL = r"[A-Za-z0-9][A-Za-z0-9._%+'\-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}"


class Email(Recogniser):
    kind = "email"
    label = "e-mail addresses"
    header_words = HEADER_WORDS["email"]
    context_words = ("mail", "email", "courriel", "adresse electronique")
    pattern = re.compile(_EMAIL)
    confidence = 0.97
    sql_valid = f"regexp_full_match(trim({{col}}), '{_EMAIL.replace(chr(39), chr(39) * 2)}')"

    def validate(self, value: str) -> bool:
        return ".." not in value

    def normalise(self, value: str) -> str:
        return value.strip().lower()
