"""Dates of birth: dates whose ages spread like a population's (20+ years between the 5th
and 95th percentiles, a median age of 15+, the oldest 5 % over 45, nobody older than 120,
none in the future): thirty years of visit dates do not pass, a patient list does.
A narrower set of past dates (a paediatric file) is a birth date only if the header says so.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Sequence

from vigie.detect.base import Signal, percent
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.recognisers.dates import DATE_SQL, DateRecogniser, parse_date, profile_dates

_YEAR = re.compile(r"(?:18|19|20)[0-9]{2}")


class DateOfBirth(DateRecogniser):
    kind = "date_of_birth"
    header_words = HEADER_WORDS["date_of_birth"] + (
        "annee naissance", "an naissance", "year of birth", "birth year")
    context_words = ("ne le", "nee le", "date de naissance", "ddn", "age de")
    confidence = 0.92
    sql_valid = f"(coalesce({DATE_SQL} <= current_date, false))"

    def validate(self, value: str) -> bool:
        parsed = parse_date(value)
        return parsed is not None and parsed.day <= date.today()

    def assess(self, values: Sequence[str], header: float) -> Signal:
        profile = profile_dates(values)
        if profile is None:
            if header > 0 and values:     # a birth-year column
                this_year = date.today().year
                years = sum(1 for v in values if _YEAR.fullmatch(v) and int(v) <= this_year)
                ratio = years / len(values)
                return Signal(ratio, [f"{percent(ratio)} birth years"] if years else [], 0.8)
            return Signal(0.0)
        if profile.max_age > 120 or profile.future_ratio > 0.01:
            return Signal(0.0, [])
        population = profile.spread >= 20 and profile.median_age >= 15 and profile.old_age >= 45
        shape = 1.0 if population else 0.6
        evidence = [f"{percent(profile.parsed_ratio)} dates"]
        evidence.append(f"ages spread over {profile.spread:.0f} years (median {profile.median_age:.0f})")
        return Signal(profile.parsed_ratio * shape, evidence)
