"""French postcodes: five digits that are in the communes' postcode list (refdata).

Random five-digit numbers land on a real postcode about 6 % of the time, so a column of
product codes stays far below the ratio needed. Four digits (a spreadsheet dropped the
leading 0 of "01000") count only under a postcode header.
"""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS
from vigie.refdata.communes import postcode_set


class Postcode(Recogniser):
    kind = "postcode"
    label = "French postcodes"
    header_words = HEADER_WORDS["postcode"]
    context_words = ("cp", "code postal")
    pattern = re.compile(r"[0-9]{4,5}|[0-9]{2} ?[0-9]{3}")
    confidence = 0.9
    min_ratio = 0.9

    def validate(self, value: str) -> bool:
        return self.normalise(value) in postcode_set()

    def normalise(self, value: str) -> str:
        return value.replace(" ", "")

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        codes = postcode_set()
        hits = 0
        for value in values:
            if not self.pattern.fullmatch(value):
                continue
            code = self.normalise(value)
            if header > 0 and len(code) == 4:
                code = "0" + code
            hits += len(code) == 5 and code in codes
        ratio = hits / len(values)
        return Signal(ratio, [f"{percent(ratio)} known French postcodes"] if hits else [])
