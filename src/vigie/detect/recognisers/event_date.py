"""Event dates (visit, sampling, account creation): dates that are recent and dense, or
carry a time, or run into the future — anything dated that is not a birth date. Under a
date header, Unix timestamps count too."""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Signal, percent
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.recognisers.dates import DATE_SQL, DateRecogniser, profile_dates


# Unix timestamps of 2001-2033 in seconds or milliseconds, under a date header only.
_EPOCH = re.compile(r"1[0-9]{9}(?:[0-9]{3})?(?:\.[0-9]+)?")


class EventDate(DateRecogniser):
    """Any parsed date (the base's validator); the column profile tells it from births."""

    kind = "event_date"
    header_words = HEADER_WORDS["event_date"]
    confidence = 0.85
    sql_valid = f"({DATE_SQL} IS NOT NULL)"

    def assess(self, values: Sequence[str], header: float) -> Signal:
        profile = profile_dates(values)
        if profile is None:
            if header > 0 and values:
                epochs = sum(1 for v in values if _EPOCH.fullmatch(v))
                ratio = epochs / len(values)
                return Signal(ratio, [f"{percent(ratio)} Unix timestamps"] if epochs else [])
            return Signal(0.0)
        dense = (profile.time_ratio > 0.5 or profile.future_ratio > 0.02
                 or profile.median_age < 15 or profile.spread < 15 or profile.old_age < 45)
        shape = 1.0 if dense else (0.6 if profile.spread < 30 else 0.3)
        evidence = [f"{percent(profile.parsed_ratio)} dates",
                    f"{profile.spread:.0f} years between 5th and 95th percentile "
                    f"(median {profile.median_age:.0f} years ago)"]
        return Signal(profile.parsed_ratio * shape, evidence)
