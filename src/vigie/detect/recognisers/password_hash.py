"""Password hashes: modular-crypt formats (bcrypt, argon2, sha-crypt, md5-crypt, yescrypt,
scrypt), Django/Werkzeug pbkdf2, LDAP {SSHA}, and bare hex digests (MD5, SHA-1/256/512).
Bare hex is weaker evidence (a token or a file checksum looks the same) unless the header
names a password."""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS

_STRUCTURED = (
    r"\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}",
    r"\$argon2(?:id|i|d)\$v=[0-9]+\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+",
    r"\$(?:1|5|6|md5|apr1)\$(?:rounds=[0-9]+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86}",
    r"\$(?:y|7|gy)\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+\$?[./A-Za-z0-9]*",
    r"(?:pbkdf2_sha256|pbkdf2_sha1|pbkdf2:sha256(?::[0-9]+)?|scrypt(?::[0-9]+){3}|argon2|bcrypt_sha256|sha1|md5)\$[^\s$]*\$?[^\s$]+\$?[^\s$]*",
    r"\{(?:SSHA|SHA|SSHA256|SSHA512|MD5|SMD5|CRYPT)\}[A-Za-z0-9+/=.$]+",
)
_HEX = r"[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128}"
_STRUCTURED_RE = re.compile("|".join(_STRUCTURED))
_HEX_RE = re.compile(_HEX)


class PasswordHash(Recogniser):
    kind = "password_hash"
    label = "password hashes"
    header_words = HEADER_WORDS["password_hash"] + HEADER_WORDS["password"]
    context_words = ("hash", "mot de passe", "password")
    pattern = re.compile(r"\S{20,400}")
    confidence = 0.95
    sql_valid = "regexp_full_match(trim({col}), '" + "|".join(_STRUCTURED + (_HEX,)) + "')"

    def validate(self, value: str) -> bool:
        return bool(_STRUCTURED_RE.fullmatch(value) or _HEX_RE.fullmatch(value))

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        structured = sum(1 for v in values if _STRUCTURED_RE.fullmatch(v))
        hexes = sum(1 for v in values if _HEX_RE.fullmatch(v))
        ratio = (structured + hexes) / len(values)
        evidence = []
        if structured:
            evidence.append(f"{percent(structured / len(values))} crypt-format password hashes")
        if hexes:
            evidence.append(f"{percent(hexes / len(values))} bare hex digests")
        confidence = 0.75 if hexes > structured and header <= 0 else None
        return Signal(ratio, evidence, confidence)
