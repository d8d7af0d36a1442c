"""Date parsing shared by the date_of_birth and event_date recognisers, and their base.

Leaks write dates every way: ISO ("1984-05-02", "1984-05-02T10:22:00Z"), French
("02/05/1984", "02-05-84", "02.05.1984", "2 mai 1984", "1er mai 1984"), compact
("19840502"), English ("May 2, 1984", "02-May-1984"), and US month-first when the day
gives it away ("05/28/1984"). The standard library parses no such mix without a format
per value, so the formats are listed here as regexes; the calendar check is `datetime`.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from typing import ClassVar, Sequence

from vigie.detect.base import Recogniser
from vigie.detect.column_names import strip_accents

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1, "fevrier": 2, "fevr": 2, "fev": 2,
    "feb": 2, "february": 2, "mars": 3, "mar": 3, "march": 3, "avril": 4, "avr": 4, "apr": 4,
    "april": 4, "mai": 5, "may": 5, "juin": 6, "jun": 6, "june": 6, "juillet": 7, "juil": 7,
    "jul": 7, "july": 7, "aout": 8, "aou": 8, "aug": 8, "august": 8, "septembre": 9,
    "sept": 9, "sep": 9, "september": 9, "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11, "decembre": 12, "dec": 12, "december": 12}
_TIME = r"(?:[ T]+(?P<time>[0-9]{1,2}[:h][0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?)\s*(?:Z|[+-][0-9]{2}:?[0-9]{2}|UTC)?)?"
_MONTH_NAME = "(?P<mname>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_FORMATS = [re.compile(p + _TIME, re.IGNORECASE) for p in (
    r"(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})",
    r"(?P<d>[0-9]{1,2})[-/.](?P<m>[0-9]{1,2})[-/.](?P<y>[0-9]{4}|[0-9]{2})",
    r"(?P<y>(?:19|20)[0-9]{2})(?P<m>[01][0-9])(?P<d>[0-3][0-9])",
    rf"(?P<d>[0-9]{{1,2}})(?:er)?[\s\-/.]*{_MONTH_NAME}[\s\-/.,]*(?P<y>[0-9]{{4}}|[0-9]{{2}})",
    rf"{_MONTH_NAME}\s*(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y>[0-9]{{4}})",
)]
_MIDNIGHT = re.compile(r"0?0[:h]00(?::00(?:[.,]0+)?)?")   # a date cell typed as datetime
_DAY_FIRST = 1          # index of the dd/mm/yyyy format, the one US files write mm/dd/yyyy
_WEEKDAY = re.compile(r"^(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)


# DuckDB twin for full-column counts: the numeric notations (month names, French or not,
# are left to the Python path; they are rare in exported columns).
SQL_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d",
               "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%SZ",
               "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%d %H:%M:%S.%f", "%d/%m/%Y %H:%M",
               "%d/%m/%Y %H:%M:%S", "%d-%m-%Y %H:%M")
DATE_SQL = ("try_strptime(trim({col}), ["
            + ", ".join(f"'{f}'" for f in SQL_FORMATS) + "])")


@dataclass(frozen=True)
class ParsedDate:
    day: date
    has_time: bool


def parse_date(value: str, today: date | None = None) -> ParsedDate | None:
    """A calendar date out of one cell, or None. Two-digit years pivot on `today`."""
    return _parse_date(value, (today or date.today()).year % 100)


@lru_cache(maxsize=65_536)
def _parse_date(value: str, pivot: int) -> ParsedDate | None:
    """Cached: a column repeats dates, and both date recognisers read the same sample."""
    text = _WEEKDAY.sub("", strip_accents(value.strip()))
    if len(text) > 40:
        return None
    for index, pattern in enumerate(_FORMATS):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        year = int(parts["y"])
        if year < 100:
            year += 2000 if year <= pivot else 1900
        month = MONTHS[parts["mname"].lower()] if parts.get("mname") else int(parts["m"])
        day = int(parts["d"])
        if index == _DAY_FIRST and month > 12 and day <= 12:   # US month-first, given away by the day
            month, day = day, month
        try:
            parsed = date(year, month, day)
        except ValueError:
            return None
        if not 1850 <= year <= 2150:
            return None
        time_of_day = parts.get("time") or ""
        return ParsedDate(parsed, bool(time_of_day) and not _MIDNIGHT.fullmatch(time_of_day))
    return None


@dataclass(frozen=True)
class DateProfile:
    """What a column of dates looks like, in years before `today`."""

    parsed_ratio: float
    median_age: float
    spread: float          # 5th to 95th percentile, in years
    old_age: float         # 95th percentile
    max_age: float
    future_ratio: float
    time_ratio: float


def profile_dates(values: Sequence[str], today: date | None = None) -> DateProfile | None:
    """Profile of the parseable dates of a sample; None when none parse."""
    today = today or date.today()
    parsed = [p for p in (parse_date(v, today) for v in values) if p is not None]
    if not parsed:
        return None
    ages = sorted((today - p.day).days / 365.25 for p in parsed)
    n = len(ages)
    return DateProfile(
        parsed_ratio=n / len(values),
        median_age=statistics.median(ages),
        spread=ages[min(n - 1, int(n * 0.95))] - ages[int(n * 0.05)],
        old_age=ages[min(n - 1, int(n * 0.95))],
        max_age=ages[-1],
        future_ratio=sum(1 for a in ages if a < 0) / n,
        time_ratio=sum(1 for p in parsed if p.has_time) / n,
    )


class DateRecogniser(Recogniser):
    """Base of the date kinds: the same date-like cells, parsed by `parse_date`, compared
    in ISO form; a subclass declares which dates it accepts and judges their profile."""

    label: ClassVar[str] = "dates"
    pattern = re.compile(r"[0-9A-Za-zÀ-ÿ ,./\-:T+Z]{4,40}")

    def validate(self, value: str) -> bool:
        return parse_date(value) is not None

    def normalise(self, value: str) -> str:
        parsed = parse_date(value)
        return parsed.day.isoformat() if parsed else value.strip()
