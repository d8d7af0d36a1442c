"""French phone numbers (metropolitan and overseas), in every usual notation.

python-phonenumbers validates number ranges; it is asked only about France and the
overseas regions (FR, GP, MQ, GF, RE, YT, PM), which keeps it fast and French. A cheap
regex filters first. A national number must keep its leading 0 ("06 12 34 56 78") unless
the header names a phone column: nine bare digits are as often a SIREN as a phone whose 0
a spreadsheet dropped. `sql_valid` is a regex approximation of the same shapes (digits
and prefixes, not phonenumbers' per-range validity) for full-column counts.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Sequence

import phonenumbers

from vigie.detect.base import SQL_WHITESPACE, Recogniser, Signal, deleted_sql, percent
from vigie.detect.column_names import HEADER_WORDS

REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM")
COUNTRY_CODES = frozenset((33, 590, 596, 594, 262, 269, 508))
_PUNCTUATION = re.compile(r"[\s.\-/()\u00a0\u202f]+")
_PREFIXED = re.compile(r"(?:\+|00)(?:33|590|596|594|262|269|508)0?[1-9][0-9]{5,9}|0[1-9][0-9]{8}|33[1-9][0-9]{8}")
_BARE = re.compile(r"[1-9][0-9]{8}")


def phone_digits(value: str) -> str:
    """Punctuation out: '+33 (0)6 12-34.56 78' -> '+330612345678'."""
    return _PUNCTUATION.sub("", value)


def parse_french(value: str) -> phonenumbers.PhoneNumber | None:
    """A valid French (metropolitan or overseas) number, or None."""
    digits = phone_digits(value)
    if len(digits) == 11 and digits.startswith("33"):     # "33612345678": the + was lost
        digits = "+" + digits
    return _parse_digits(digits)


@lru_cache(maxsize=65_536)
def _parse_digits(value: str) -> phonenumbers.PhoneNumber | None:
    """Cached: a column repeats numbers, and the classifier's probe re-reads its sample."""
    for region in REGIONS:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return None
        if number.country_code in COUNTRY_CODES and phonenumbers.is_valid_number(number):
            return number
        if value.startswith(("+", "00")):
            return None      # international form: the region guess cannot change anything
    return None


class Phone(Recogniser):
    kind = "phone"
    label = "French phone numbers"
    header_words = HEADER_WORDS["phone"]
    context_words = ("tel", "telephone", "portable", "mobile", "joignable", "appeler", "contact")
    pattern = re.compile(r"[+(0-9][0-9\s.\-/()\u00a0\u202f]{7,22}")
    confidence = 0.95
    sql_valid = (f"regexp_full_match({deleted_sql('{col}', SQL_WHITESPACE + './()-' + chr(0xA0) + chr(0x202F))}, "
                 "'(?:\\+|00)(?:33|590|596|594|262|269|508)0?[1-9][0-9]{5,9}|0[1-9][0-9]{8}|33[1-9][0-9]{8}')")

    def validate(self, value: str) -> bool:
        return bool(_PREFIXED.fullmatch(phone_digits(value))) and parse_french(value) is not None

    def normalise(self, value: str) -> str:
        number = parse_french(value)
        if number is None:
            return phone_digits(value)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        hits = bare = 0
        for value, count in Counter(values).items():
            if self.matches(value):
                hits += count
            elif header > 0 and _BARE.fullmatch(phone_digits(value)) \
                    and parse_french("0" + phone_digits(value)) is not None:
                bare += count
        ratio = (hits + bare) / len(values)
        evidence = [f"{percent(ratio)} valid {self.label}"] if hits or bare else []
        if bare:
            evidence.append(f"{percent(bare / len(values))} without their leading 0")
        return Signal(ratio, evidence)
