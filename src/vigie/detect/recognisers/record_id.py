"""Internal record identifiers (row ids, order numbers, sample barcodes, UUIDs): not a
person's. Proposed for token-like values that are unique across the sample (or under an
id header, as foreign keys repeat), at a confidence below any validated personal kind, so
a NIR or an e-mail column never ends up here but random references do."""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-:./#]{0,63}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


class RecordId(Recogniser):
    kind = "record_id"
    label = "identifier-like tokens"
    header_words = HEADER_WORDS["record_id"]
    pattern = _ID
    confidence = 0.7
    min_ratio = 0.9
    header_min_ratio = 0.8

    def validate(self, value: str) -> bool:
        return any(ch.isdigit() for ch in value) or bool(_UUID.fullmatch(value))

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        shaped = sum(1 for v in values if self.matches(v))
        distinct = len(set(values)) / len(values)
        if header <= 0 and (distinct < 0.95 or len(values) < 5):
            return Signal(0.0)
        ratio = shaped / len(values)
        evidence = [f"{percent(ratio)} identifier-like values", f"{percent(distinct)} distinct"]
        uuids = sum(1 for v in values if _UUID.fullmatch(v))
        if uuids:
            evidence.append(f"{percent(uuids / len(values))} UUIDs")
        return Signal(ratio, evidence)
