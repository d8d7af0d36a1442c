"""Payment card numbers: 13-19 digits with a valid Luhn key (python-stdnum), and an
issuer prefix (Visa 4, Mastercard 51-55 / 2221-2720, Amex 34/37, CB-co-badged the same):
a Luhn key alone passes one random number in ten."""

from __future__ import annotations

import re

from stdnum import luhn

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS

_DIGITS_SQL = "regexp_replace({col}, '[\\s\\-]+', '', 'g')"
_ISSUER = r"(?:4[0-9]{12}(?:[0-9]{3}){0,2}|5[1-5][0-9]{14}|2(?:2[2-9][1-9]|2[3-9][0-9]|[3-6][0-9]{2}|7[01][0-9]|720)[0-9]{12}|3[47][0-9]{13}|6(?:011|5[0-9]{2})[0-9]{12})"
_ISSUER_RE = re.compile(_ISSUER)


class PaymentCard(Recogniser):
    kind = "payment_card"
    label = "card numbers (Luhn)"
    header_words = HEADER_WORDS["payment_card"]
    context_words = ("carte", "cb", "visa", "mastercard", "paiement")
    pattern = re.compile(r"[0-9][0-9\s\-]{11,22}[0-9]")
    confidence = 0.95
    sql_valid = (
        f"(regexp_full_match({_DIGITS_SQL}, '{_ISSUER}') AND "
        f"list_sum(list_transform(string_split(reverse({_DIGITS_SQL}), ''), "
        "lambda ch, i: CASE WHEN i % 2 = 0 THEN ((ascii(ch) - 48) * 2) % 10 + (ascii(ch) - 48) * 2 // 10 "
        "ELSE ascii(ch) - 48 END)) % 10 = 0)")

    def validate(self, value: str) -> bool:
        digits = self.normalise(value)
        return bool(_ISSUER_RE.fullmatch(digits)) and luhn.is_valid(digits)

    def normalise(self, value: str) -> str:
        return re.sub(r"[\s\-]+", "", value)
