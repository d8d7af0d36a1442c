"""The recogniser base: a recogniser is mostly declaration, the mechanics live here once.

Modelled on detect-secrets' `RegexBasedDetector` and Presidio's pattern recognisers: a
concrete recogniser (one module each in `vigie.detect.recognisers`) declares

- `kind`: a name from `vigie.kinds.KINDS`.
- `header_words`: column-name phrases naming the kind, already normalised (lower-case ASCII
  words joined by one space, e.g. "nom jf", "date naissance"). Take them from the
  dictionary `vigie.detect.column_names.HEADER_WORDS[kind]`. They are matched on whole
  words of the normalised header, never as raw substrings.
- `context_words`: normalised words that announce the kind in free text ("nss", "ne le"),
  for the free-text scanner.
- `pattern`: a cheap compiled regex pre-filter, `fullmatch`ed on the stripped value before
  `validate` runs (None: every value goes to `validate`).
- `confidence`: the base confidence (0-1) of a column whose sample fully validates.
- `min_ratio`: share of the sample that must validate for the values alone to propose
  the kind; `header_min_ratio` the (lower) share that suffices when the header names it.
- `needs_header`: the values alone can never propose the kind (a plaintext password or a
  member number looks like any token): only a header naming it can.
- `whole_sample`: the verdict rests on statistics of the whole sample (distinctness,
  density) that the classifier's small strided probe distorts: never cut on the probe.
- `sql_valid`: a DuckDB SQL boolean expression template over `{col}` (a VARCHAR
  expression) that is true for the values `validate` accepts, for counting validated values
  over millions of rows without a Python loop; None when the check needs Python data.
  Fill it with `render_sql(template, column_expression)` (a plain replacement of the
  literal `{col}`: the templates hold regex braces, so never `str.format`).

and overrides `validate(value)` (and `normalise(value)` when the canonical form is not the
stripped value). Column-level statistics that a per-value check cannot see (an age
distribution, uniqueness) go in an override of `assess`. Kinds whose values are bare tokens
(member numbers, logins, passwords) derive from `HeaderTokenRecogniser` and declare
`required`, what a token must contain, instead of writing a validator and its SQL twin.

Privacy: evidence strings describe ratios and shapes, never a value.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar, Sequence

from vigie.kinds import KINDS


@dataclass
class Signal:
    """What a recogniser concludes from a column sample.

    `ratio` is the share of non-empty sample values that are of the kind (0-1, after any
    column-level adjustment); `evidence` are human reasons without raw values;
    `confidence`, when set, caps the column's confidence (e.g. keyless NIRs, bare hex
    digests: weaker forms of the kind).
    """

    ratio: float
    evidence: list[str] = field(default_factory=list)
    confidence: float | None = None


class Recogniser:
    """Base of every recogniser; subclasses declare, this class does the mechanics."""

    kind: ClassVar[str] = "none"
    label: ClassVar[str] = ""               # words used in evidence, e.g. "NIR keys"
    header_words: ClassVar[tuple[str, ...]] = ()
    context_words: ClassVar[tuple[str, ...]] = ()
    pattern: ClassVar[re.Pattern[str] | None] = None
    confidence: ClassVar[float] = 0.9
    min_ratio: ClassVar[float] = 0.8
    header_min_ratio: ClassVar[float] = 0.5
    needs_header: ClassVar[bool] = False
    whole_sample: ClassVar[bool] = False
    sql_valid: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind not in KINDS:
            raise ValueError(f"recogniser {cls.__name__}: unknown kind {cls.kind!r}")

    # -- per value -------------------------------------------------------------------
    def validate(self, value: str) -> bool:
        """True when the stripped, non-empty `value` is of this kind. Default: pattern."""
        return self.pattern is not None

    def normalise(self, value: str) -> str:
        """Canonical form of a valid value (person keys, dedup). Default: stripped."""
        return value.strip()

    def matches(self, value: str) -> bool:
        """Pre-filter then validate; never raises on hostile input."""
        if self.pattern is not None and not self.pattern.fullmatch(value):
            return False
        try:
            return self.validate(value)
        except (ValueError, TypeError, OverflowError):
            return False

    # -- per column ------------------------------------------------------------------
    def assess(self, values: Sequence[str], header: float) -> Signal:
        """Judge a sample of stripped, non-empty values; `header` is the 0-1 strength
        with which the column name names this kind. Default: the validated-hit ratio."""
        if not values:
            return Signal(0.0)
        hits = sum(count for value, count in Counter(values).items() if self.matches(value))
        ratio = hits / len(values)
        return Signal(ratio, [f"{percent(ratio)} valid {self.label or self.kind}"] if hits else [])

    def score(self, signal: Signal, header: float) -> float:
        """Confidence (0-1) that the column is of this kind, from values and header.

        Values lead: a header alone never beats contradicting values (below
        `header_min_ratio` the kind is out, whatever the header says)."""
        ratio = signal.ratio
        if header > 0 and ratio >= self.header_min_ratio:
            return min(0.99, self.confidence * (0.75 + 0.25 * ratio) + 0.1 * header)
        if not self.needs_header and ratio >= self.min_ratio:
            return self.confidence * (0.7 + 0.3 * ratio) - 0.05
        return 0.0


class HeaderTokenRecogniser(Recogniser):
    """Base of the kinds whose values are bare tokens (member numbers, logins, passwords,
    document numbers): any reference has their shape, so only a header naming the column
    proposes them, and then nearly all the sample must fit.

    A subclass declares the token's `pattern` and `required`, a regex the token must
    contain (digits, a letter: what tells it from other tokens). `validate` searches for
    `required`; unless the subclass declares its own, `sql_valid` is derived from the same
    two regexes by `token_sql`, so the Python check and its SQL twin cannot drift apart.
    """

    needs_header = True
    header_min_ratio = 0.8
    required: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "sql_valid" not in cls.__dict__ and cls.required is not None and cls.pattern:
            cls.sql_valid = token_sql(cls.pattern, cls.required)

    def validate(self, value: str) -> bool:
        return self.required is None or re.search(self.required, value) is not None


def token_sql(pattern: re.Pattern[str], required: str) -> str:
    """DuckDB twin of a token check: the trimmed value fullmatches `pattern` and contains
    `required` (both regexes must mean the same in Python's re and RE2)."""
    return (f"regexp_full_match(trim({{col}}), {_sql_string(pattern.pattern)}) "
            f"AND regexp_matches({{col}}, {_sql_string(required)})")


# RE2's \s: what the Python validators' separator classes call whitespace in practice.
SQL_WHITESPACE = " \t\n\f\r"


def deleted_sql(column: str, characters: str) -> str:
    """SQL deleting every one of `characters` from `column`: a chain of replace(), twice
    as fast in DuckDB as one regexp_replace over the same character class (0.5 s against
    1.0 s on 2.5 M NIRs), which matters for the full-column counts."""
    for char in characters:
        literal = _sql_string(char) if " " <= char <= "~" else f"chr({ord(char)})"
        column = f"replace({column}, {literal}, '')"
    return column


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def percent(ratio: float) -> str:
    """A ratio as a short percentage for evidence: 0.9991 -> '99.9%'."""
    if ratio >= 0.999 and ratio < 1:
        return "99.9%"
    return f"{ratio * 100:.1f}%".replace(".0%", "%")


def render_sql(template: str, column: str) -> str:
    """A `sql_valid` template applied to a column expression (e.g. '"NSS"')."""
    return template.replace("{col}", f"({column})")
