"""Plaintext passwords: any printable token looks like one, so only a header names the
column (mdp, password, pwd, mot de passe). Hashes go to password_hash, which wins on
values."""

from __future__ import annotations

import re

from vigie.detect.base import HeaderTokenRecogniser
from vigie.detect.column_names import HEADER_WORDS


class Password(HeaderTokenRecogniser):
    kind = "password"
    label = "password-like tokens"
    header_words = HEADER_WORDS["password"]
    context_words = ("mot de passe", "mdp", "password")
    pattern = re.compile(r"\S.{2,127}")
    confidence = 0.9
    sql_valid = "length(trim({col})) BETWEEN 3 AND 128"
