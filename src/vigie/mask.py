"""Masked examples for reports: enough shape for a DPO to recognise the kind, never enough
to recover the value.

`mask(kind, value)` keeps at most a few characters that are shared by a great many people
(a NIR's sex, birth year and key; a phone's first and last two digits; an IBAN's country and
last four; an e-mail's first letters and top-level domain; a date's century) and stars out
the rest. Which masker a kind gets is a property of the kinds table (vigie.kinds `masker`,
a key of MASKERS). Values that do not parse as their kind, and names outside the
vocabulary, fall back to the generic mask, which keeps only the first character of longer
values. Never reversible, never raises.
"""

from __future__ import annotations

import re

from vigie.detect.recognisers.dates import parse_date
from vigie.detect.recognisers.nir import normalise_nir
from vigie.kinds import KIND

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def mask(kind: str, value: str) -> str:
    """A masked example of `value` read as `kind` (a vigie.kinds name)."""
    text = str(value).strip()
    if not text:
        return ""
    masked = MASKERS[KIND[kind].masker](text) if kind in KIND else None
    return _generic(text) if masked is None else masked


def _generic(text: str) -> str:
    if len(text) <= 3:
        return "*" * len(text)
    if len(text) > 40:
        return text[0] + "*" * 8 + f" ({len(text)} characters)"
    return text[0] + "*" * (len(text) - 1)


def _mask_words(text: str) -> str:
    """'Marie DUPONT' -> 'M**** D*****' (letters of each word but the first starred)."""
    return _WORD.sub(lambda m: m.group(0)[0] + "*" * (len(m.group(0)) - 1), text[:80])


def _nir(text: str) -> str | None:
    number = normalise_nir(text)
    if len(number) not in (13, 15) or not number[:5].isdigit():
        return None
    masked = f"{number[0]} {number[1:3]} ** ** *** ***"
    return masked + f" {number[13:]}" if len(number) == 15 else masked


def _phone(text: str) -> str | None:
    digits = re.sub(r"[^\d+]", "", text)
    if digits.startswith("+33"):
        digits = "0" + digits[3:].lstrip("0")
    elif digits.startswith("0033"):
        digits = "0" + digits[4:].lstrip("0")
    digits = digits.lstrip("+")
    if len(digits) < 8 or not digits.isdigit():
        return None
    return digits[:2] + " ** ** ** " + digits[-2:] if len(digits) == 10 else \
        digits[:2] + " " + "*" * (len(digits) - 4) + " " + digits[-2:]


def _email(text: str) -> str | None:
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain:
        return None
    host, _, tld = domain.rpartition(".")
    return f"{local[0]}***@{host[0]}***.{tld[:6]}"


def _date(text: str) -> str | None:
    parsed = parse_date(text)
    if parsed is None:
        return None
    return f"{parsed.day.year // 100}**-**-**"


def _iban(text: str) -> str | None:
    compact = re.sub(r"[\s.\-]", "", text).upper()
    if len(compact) < 15 or not compact[:2].isalpha():
        return None
    return f"{compact[:4]} **** ... {compact[-4:]}"


def _card(text: str) -> str | None:
    digits = re.sub(r"[\s\-]", "", text)
    if not digits.isdigit() or len(digits) < 12:
        return None
    return f"**** **** **** {digits[-4:]}"


def _postcode(text: str) -> str | None:
    return text[:2] + "***" if re.fullmatch(r"[0-9]{5}", text) else None


def _ip(text: str) -> str | None:
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}", text):
        return text.split(".")[0] + ".*.*.*"
    if ":" in text:
        return text.split(":")[0] + ":****:…"
    return None


def _address(text: str) -> str:
    """'12 rue des Lilas' -> '** r** d** L****': the shape of an address, no place."""
    masked = re.sub(r"[0-9]", "*", text[:80])
    return _mask_words(masked)


# Masker name -> function; None means the value does not parse: the generic mask then.
MASKERS = {
    "nir": _nir, "phone": _phone, "email": _email, "date": _date, "iban": _iban,
    "payment_card": _card, "postcode": _postcode, "ip_address": _ip, "address": _address,
    "words": _mask_words, "secret": lambda text: "********", "one_star": lambda text: "*",
    "two_stars": lambda text: "**", "generic": _generic,
}
