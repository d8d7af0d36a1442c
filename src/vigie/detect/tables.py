"""A results table read as a table: exam + value + unit.

A laboratory system's long results table keeps one measure per row, its parts in columns of
their own: the exam ("Hémoglobine", "CRP", "Sérologie VIH"), the value alone ("13,2",
"<0,5", "positif") and its unit ("g/dL", "mmol/L"). Alone, "13,2" is any quantity and "g/dL"
any unit, so the column classifier leaves them `none`; read beside the exam they are that
exam's result, health data (GDPR art. 9). `read_as_table` runs on a table once each column
has been classified on its own and turns into `lab_result`:

- a `none` column of bare values (numbers with a comma or a dot, comparators, qualitative
  results) in a table with an exam column (`lab_test`), when a lab-unit column is there
  too, when it sits next to the exam column, or when its header names a value or a result;
- a `none` column of bare values next to a lab-unit column, when its header names a value;
- the unit column of a value column so read.

Nothing else changes: a price, a stock or a count in a table without exams or lab units
stays `none`, a column of a few small integers (a number of tubes) is not a result unless a
lab-unit column gives its units, and distinct integers are row numbers.
"""

from __future__ import annotations

from typing import Sequence

from vigie.detect.base import percent
from vigie.detect.column_names import UNIT_WORDS, VALUE_WORDS, HeaderIndex
from vigie.detect.lexicons.labs import BARE_NUMBER, BARE_NUMBER_REGEX, RESULT_UNITS
from vigie.detect.recognisers._medical import sql_string_list
from vigie.detect.recognisers.lab_result import LabResult, row_numbers
from vigie.detect.registry import ColumnVerdict, clean_sample

PART_SHARE = 0.8           # share of a sample that must be values (or units) of the kind
# Units that name nothing lab-specific alone ("%" is any share, "s" any duration): a unit
# column needs some other unit among its values.
GENERIC_UNITS = frozenset({"%", "s", "sec", "mm", "log"})
SPECIFIC_UNIT_SHARE = 0.3
# Plain integers with fewer distinct values than this are counts (tubes, boxes) unless a
# lab-unit column gives them units.
MIN_DISTINCT_INTEGERS = 20
_LAB_UNITS = frozenset(u.replace("µ", "u") for u in RESULT_UNITS)
_VALUE, _UNIT = "value", "unit"
_PARTS = HeaderIndex({_VALUE: VALUE_WORDS, _UNIT: UNIT_WORDS})
_RESULT = LabResult()

# SQL twins, for counting validated values over the full column.
VALUE_SQL = (f"(regexp_full_match({{col}}, '{BARE_NUMBER_REGEX}') OR {_RESULT.sql_valid})")
UNIT_SQL = (f"list_contains({sql_string_list(_LAB_UNITS)}, "
            "replace(lower(trim({col})), 'µ', 'u'))")


def lab_unit(value: str) -> str | None:
    """The folded lab unit a cell holds ("mmol/L" -> "mmol/l"), or None."""
    unit = value.strip().lower().replace("µ", "u")
    return unit if unit in _LAB_UNITS else None


def _is_value(value: str) -> bool:
    return bool(BARE_NUMBER.fullmatch(value)) or _RESULT.matches(value)


def _share(values: Sequence[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _is_unit_column(values: Sequence[str]) -> bool:
    units = [lab_unit(v) for v in values]
    known = [u for u in units if u is not None]
    if not values or len(known) < PART_SHARE * len(values):
        return False
    specific = sum(1 for u in known if u not in GENERIC_UNITS)
    return specific >= SPECIFIC_UNIT_SHARE * len(values)


def _counts_only(values: Sequence[str]) -> bool:
    """Plain small integers of few distinct values: counts, not measures."""
    return all(v.isdigit() for v in values) and len(set(values)) < MIN_DISTINCT_INTEGERS


def _shown(name: str | None, position: int) -> str:
    return (name or f"column_{position + 1}")[:60]


def read_as_table(names: Sequence[str | None], samples: Sequence[Sequence[object]],
                  verdicts: Sequence[ColumnVerdict]) -> list[ColumnVerdict]:
    """The verdicts of one table's columns (same order as `names`, None = no header),
    with the value and unit columns of a results table read as `lab_result`."""
    out = list(verdicts)
    # Only `none` columns can be read anew.
    cleaned = [clean_sample(values) if v.kind == "none" else [] for values, v in zip(samples, verdicts)]
    parts = [_PARTS.match(name) for name in names]
    exams = [i for i, v in enumerate(verdicts) if v.kind == "lab_test"]
    units = [i for i, v in enumerate(verdicts) if cleaned[i] and _is_unit_column(cleaned[i])]
    if not exams and not units:
        return out
    for i, verdict in enumerate(verdicts):
        if not cleaned[i] or i in units:
            continue
        share = _share(cleaned[i], _is_value)
        if share < PART_SHARE:
            continue
        unit = next((u for u in units if abs(u - i) == 1), units[0] if units else None)
        named = _VALUE in parts[i]
        exam_next = next((e for e in exams if abs(e - i) == 1), None)
        if (unit is None and _counts_only(cleaned[i])) or row_numbers(cleaned[i]):
            continue
        if exams and (unit is not None or exam_next is not None or named):
            exam = exam_next if exam_next is not None else exams[0]
            why = [f"beside the exam column '{_shown(names[exam], exam)}'"]
        elif unit is not None and abs(unit - i) == 1 and named:
            why = [f"header '{_shown(names[i], i)}' names a value"]
        else:
            continue
        if unit is not None:
            why.append(f"units in column '{_shown(names[unit], unit)}'")
            out[unit] = ColumnVerdict(
                "lab_result", 0.75,
                [f"{percent(_share(cleaned[unit], lab_unit))} lab units",
                 f"the units of the results in column '{_shown(names[i], i)}'"],
                verdicts[unit].runners_up, valid_sql=UNIT_SQL)
        out[i] = ColumnVerdict(
            "lab_result", 0.8,
            [f"{percent(share)} bare values (numbers, qualitative results)", *why,
             "a results table: " + ("exam, value and unit" if exams and unit is not None
                                    else "exam and value" if exams else "value and unit")
             + " in columns of their own"],
            verdict.runners_up, valid_sql=VALUE_SQL)
    return out
