"""Internal record identifiers (row ids, order numbers, sample barcodes, UUIDs): not a
person's. Proposed for token-like values that are unique across the sample (plain integers
only when fixed-width or a dense sequence: others are quantities), or that repeat
but share one fixed shape ("P0000042": a foreign key of a one-row-per-visit export), or under
an id header, at a confidence below any validated personal kind, so a NIR or an e-mail
column never ends up here but random references do."""

from __future__ import annotations

import re
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-:./#]{0,63}")
# Amounts, results, times of day: quantities, not ids.
_MEASURE = re.compile(r"[-+]?[0-9]*[.,][0-9]+|[0-9]{1,2}[:h][0-9]{2}(?::[0-9]{2})?")
# Repeats that quantities drawn from a sample's range would show; none seen means row ids
# (e^-5: under 1 % of uniform quantities pass, and real quantities cluster, repeating more).
EXPECTED_REPEATS = 5.0
_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


class RecordId(Recogniser):
    kind = "record_id"
    label = "identifier-like tokens"
    header_words = HEADER_WORDS["record_id"]
    pattern = _ID
    confidence = 0.7
    min_ratio = 0.9
    header_min_ratio = 0.8
    whole_sample = True         # distinctness and spread only mean something on the full sample

    def validate(self, value: str) -> bool:
        if _MEASURE.fullmatch(value):
            return False
        return any(ch.isdigit() for ch in value) or bool(_UUID.fullmatch(value))

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        shaped = sum(1 for v in values if self.matches(v))
        distinct = len(set(values)) / len(values)
        if header <= 0 and (len(values) < 5 or _looks_like_quantities(values)
                            or (distinct < 0.95 and not _fixed_shape(values, distinct))):
            return Signal(0.0)
        ratio = shaped / len(values)
        evidence = [f"{percent(ratio)} identifier-like values", f"{percent(distinct)} distinct"]
        uuids = sum(1 for v in values if _UUID.fullmatch(v))
        if uuids:
            evidence.append(f"{percent(uuids / len(values))} UUIDs")
        return Signal(ratio, evidence)


def _shape(value: str) -> str:
    """'P0000042' -> 'A9999999': letters and digits generalised, the rest kept."""
    return "".join("9" if ch.isdigit() else "A" if ch.isalpha() else ch for ch in value)


def _fixed_shape(values: Sequence[str], distinct: float) -> bool:
    """Repeated keys of one fixed, digit-bearing shape, varied enough to be keys rather
    than codes of a small category (sex 1/2, a year)."""
    if distinct < 0.2:
        return False
    shapes: dict[str, int] = {}
    for value in values:
        shape = _shape(value)
        shapes[shape] = shapes.get(shape, 0) + 1
    shape, count = max(shapes.items(), key=lambda item: item[1])
    return count / len(values) >= 0.98 and "9" in shape and len(shape) >= 4


def _looks_like_quantities(values: Sequence[str]) -> bool:
    """Small plain integers of varying width spread far wider than their count (stock
    levels, amounts in cents) are quantities; ids are fixed-width, a dense sequence (1..n),
    or large (a sample of a big table's row ids)."""
    if not all(v.isdigit() for v in values):
        return False
    widths: dict[int, int] = {}
    for value in values:
        widths[len(value)] = widths.get(len(value), 0) + 1
    if max(widths.values()) / len(values) >= 0.95 and max(widths) >= 4:
        return False
    numbers = [int(v) for v in values]
    if _distinct_beyond_chance(numbers):
        return False
    return max(numbers) < 100_000 and max(numbers) - min(numbers) > 3 * len(set(numbers))


def _distinct_beyond_chance(numbers: list[int]) -> bool:
    """No value repeats where quantities drawn from that range would (birthday bound): a
    sample of row ids (1..n, every k-th row of it, or a random subset), not of amounts.
    Catches what the density test cannot on a sample taken from a larger table."""
    if len(set(numbers)) != len(numbers):
        return False
    spread = max(numbers) - min(numbers) + 1
    expected_repeats = len(numbers) * (len(numbers) - 1) / (2 * spread)
    return expected_repeats >= EXPECTED_REPEATS
