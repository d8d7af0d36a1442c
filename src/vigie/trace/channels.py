"""Mark channels: places where a value has two spellings that mean exactly the same thing.

A channel writes variant 0 or 1 of a value (the keyed bit decides) and later reads which
variant a leaked value carries. Only layout is touched, never identity traits (names, date
of birth, sex, NIR) nor clinical values: `normalise` maps both variants to one form, and
the tests check that every exported value equals its source after normalisation.
Written by hand: no library offers "equivalent spellings" of French contact data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Way types right after the house number, with the abbreviation La Poste accepts (NF Z 10-011).
WAY_ABBREVIATIONS = {"rue": "r.", "avenue": "av.", "boulevard": "bd", "place": "pl.",
                     "chemin": "ch.", "impasse": "imp.", "allée": "all.", "route": "rte",
                     "square": "sq.", "quai": "qu.", "résidence": "rés.",
                     "lotissement": "lot.", "cours": "crs"}
_LONG_BY_SHORT = {short: long for long, short in WAY_ABBREVIATIONS.items()}
_WAY = "|".join(re.escape(w) for w in sorted([*WAY_ABBREVIATIONS, *_LONG_BY_SHORT],
                                              key=len, reverse=True))
_ADDRESS = re.compile(r"^(\s*\d+\s*(?:bis|ter|quater|[a-d])?\s+)(" + _WAY + r")(?=\s|$)",
                      re.IGNORECASE)
_PHONE_COMPACT = re.compile(r"0[1-9]\d{8}")
_PHONE_SPACED = re.compile(r"0[1-9](?: \d\d){4}")
_PHONE_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class Channel:
    """One marking channel, named after the kind of the columns it lives in."""

    name: str

    def write(self, value: str, bit: int) -> str | None:
        """Variant `bit` of `value`, or None when this value has no two spellings."""
        raise NotImplementedError

    def read(self, value: str) -> int | None:
        """Which variant `value` carries, or None if neither (normalised away, other form)."""
        raise NotImplementedError

    def normalise(self, value: str) -> str:
        """The form both variants share."""
        raise NotImplementedError


class PhoneLayout(Channel):
    """0612345678 (0) or 06 12 34 56 78 (1): the same national number."""

    def write(self, value: str, bit: int) -> str | None:
        digits = self.normalise(value)
        if not _PHONE_COMPACT.fullmatch(digits):
            return None
        return digits if bit == 0 else " ".join(digits[i:i + 2] for i in range(0, 10, 2))

    def read(self, value: str) -> int | None:
        value = value.strip()
        if _PHONE_COMPACT.fullmatch(value):
            return 0
        if _PHONE_SPACED.fullmatch(value):
            return 1
        return None

    def normalise(self, value: str) -> str:
        return _PHONE_SEPARATORS.sub("", value)


class WayAbbreviation(Channel):
    """'12 rue des Lilas' (0) or '12 r. des Lilas' (1): the way type, long or abbreviated."""

    def write(self, value: str, bit: int) -> str | None:
        match = _ADDRESS.match(value)
        if not match:
            return None
        long = _LONG_BY_SHORT.get(match.group(2).lower(), match.group(2).lower())
        way = long if bit == 0 else WAY_ABBREVIATIONS[long]
        return match.group(1) + way + value[match.end():]

    def read(self, value: str) -> int | None:
        match = _ADDRESS.match(value)
        if not match:
            return None
        return 1 if match.group(2).lower() in _LONG_BY_SHORT else 0

    def normalise(self, value: str) -> str:
        match = _ADDRESS.match(value)
        if match:
            long = _LONG_BY_SHORT.get(match.group(2).lower(), match.group(2).lower())
            value = match.group(1) + long + value[match.end():]
        return " ".join(value.casefold().split())


class EmailCase(Channel):
    """'jean.dupont@x.fr' (0) or 'Jean.dupont@x.fr' (1): mail providers ignore local-part case."""

    def write(self, value: str, bit: int) -> str | None:
        local, at, domain = value.strip().rpartition("@")
        if not at or not local or not local[0].isalpha():
            return None
        local = local.lower()
        if bit:
            local = local[0].upper() + local[1:]
        return f"{local}@{domain.lower()}"

    def read(self, value: str) -> int | None:
        local, at, _ = value.strip().rpartition("@")
        if not at or not local or not local[0].isalpha():
            return None
        if local == local.lower():
            return 0
        if local == local[0].upper() + local[1:].lower():
            return 1
        return None

    def normalise(self, value: str) -> str:
        return value.strip().lower()


CHANNELS: dict[str, Channel] = {"phone": PhoneLayout("phone"), "address": WayAbbreviation("address"),
                                "email": EmailCase("email")}
