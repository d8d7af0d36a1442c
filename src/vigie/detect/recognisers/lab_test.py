"""Lab exams a patient had ("NFS", "Sérologie VIH", "NFS|Ionogramme|HbA1c"): a cell names
one exam or a list of them. Valid when at least half of the listed items are known French lab
exams (`vigie.detect.lexicons.labs`). Which exams disclose a mention (sérologie VIH -> hiv)
is the free-text scanner's business: it runs on these columns too."""

from __future__ import annotations

from functools import cache

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.lexicons.labs import LAB_EXAMS
from vigie.detect.recognisers._medical import (FOLDED_SQL, ITEM_SEPARATORS, ITEM_SEPARATORS_SQL,
                                               ONE_LINE_CELL, folded_key, sql_string_list)


@cache
def exam_keys() -> frozenset[str]:
    """Folded keys of every known exam name."""
    return frozenset(folded_key(e) for e in LAB_EXAMS)


def _items(value: str) -> list[str]:
    """The non-blank items of a list cell."""
    return [i for i in ITEM_SEPARATORS.split(value) if i.strip()]


def _items_sql() -> str:
    items = f"list_transform(string_split_regex({{col}}, '{ITEM_SEPARATORS_SQL}'), lambda x: " \
            + FOLDED_SQL.format(col="x") + ")"
    known = sql_string_list(exam_keys())
    return (f"(len(list_filter({items}, lambda x: list_contains({known}, x))) * 2 "
            f">= len(list_filter({items}, lambda x: x <> '')))")


class LabTest(Recogniser):
    kind = "lab_test"
    label = "known lab exams"
    header_words = HEADER_WORDS["lab_test"]
    context_words = ("bilan", "analyse", "analyses", "examen", "prescrit", "prelevement")
    pattern = ONE_LINE_CELL
    confidence = 0.9
    min_ratio = 0.7
    header_min_ratio = 0.4
    sql_valid = _items_sql()

    def validate(self, value: str) -> bool:
        items = _items(value)
        if not items:
            return False
        known = exam_keys()
        return 2 * sum(1 for i in items if folded_key(i) in known) >= len(items)

    def normalise(self, value: str) -> str:
        return "|".join(folded_key(i) for i in _items(value))
