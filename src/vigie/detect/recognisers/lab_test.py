"""Lab exams a patient had ("NFS", "Sérologie VIH", "NFS|Ionogramme|HbA1c"): a cell names
one exam or a list of them. Valid when at least half of the listed items are known French lab
exams (`vigie.detect.lexicons.labs`), an item naming a known exam at its start or its end as
staff qualify them ("Prise de sang à jeun", "Test PCR Covid-19", "Contrôle charge virale",
"Dépistage VIH"). Which exams disclose a mention (sérologie VIH -> hiv) is the free-text
scanner's business: it runs on these columns too."""

from __future__ import annotations

from functools import cache

from vigie.detect.base import Recogniser
from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.lexicons.labs import (LAB_EXAMS, MEASUREMENT, MEASUREMENT_REGEX, RESULT_WORD,
                                        RESULT_WORD_SQL)
from vigie.detect.recognisers._medical import (FOLDED_SQL, ITEM_SEPARATORS, ITEM_SEPARATORS_SQL,
                                               ONE_LINE_CELL, folded_key, sql_string_list)


@cache
def exam_keys() -> frozenset[str]:
    """Folded keys of every known exam name."""
    return frozenset(folded_key(e) for e in LAB_EXAMS)


def _items(value: str) -> list[str]:
    """The non-blank items of a list cell."""
    return [i for i in ITEM_SEPARATORS.split(value) if i.strip()]


@cache
def _longest_exam() -> int:
    return max(len(key.split()) for key in exam_keys())


def names_an_exam(item: str) -> bool:
    """Does an item name a known exam: all of it, or its first or last words when the rest
    only qualifies the exam (an item that gives a result, "Hb 13,2 g/dL", "Sérologie VIH
    négative", is a result, not the name of an exam)."""
    key, known = folded_key(item), exam_keys()
    if key in known:
        return True
    words = key.split()
    if MEASUREMENT.search(item.lower()) or RESULT_WORD.search(key):
        return False
    for n in range(1, min(len(words), _longest_exam() + 1)):
        if " ".join(words[:n]) in known or " ".join(words[-n:]) in known:
            return True
    return False


def _items_sql() -> str:
    """SQL twin of `validate`: the same test on each item of the cell."""
    folded = FOLDED_SQL.format(col="x")
    # Folded keys are [a-z0-9 ] only: no regex escaping needed.
    keys = "|".join(sorted(exam_keys(), key=len, reverse=True))
    qualified = (f"regexp_matches({folded}, '^(?:{keys})(?: |$)|(?:^| )(?:{keys})$') "
                 f"AND NOT regexp_matches(lower(x), '{MEASUREMENT_REGEX}') "
                 f"AND NOT regexp_matches(lower(x), '{RESULT_WORD_SQL}')")
    # CASE: the regexes run only on the items that are not a known exam as written.
    exam = f"CASE WHEN list_contains({sql_string_list(exam_keys())}, {folded}) THEN true ELSE {qualified} END"
    items = f"string_split_regex({{col}}, '{ITEM_SEPARATORS_SQL}')"
    return (f"(len(list_filter({items}, lambda x: {exam})) * 2 "
            f">= len(list_filter({items}, lambda x: {folded} <> '')))")


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
        return 2 * sum(1 for i in items if names_an_exam(i)) >= len(items)

    def normalise(self, value: str) -> str:
        return "|".join(folded_key(i) for i in _items(value))
