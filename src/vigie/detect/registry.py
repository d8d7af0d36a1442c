"""The one place recognisers are registered, and the column classifier built on them.

`RECOGNISERS` lists one instance per kind. The classifier that `vigie.assess` calls:

    classify_column(name: str | None, values: Sequence[str | None]) -> ColumnVerdict

takes a column name (None or `column_N` when there is no header) and a sample of its
values (nulls allowed; about 1,000 values drawn across the table is plenty; the cells of a
JSON array column `a[].b` are '|'-joined items, judged item by item) and returns
the kind, a 0-1 confidence, evidence without raw values, runner-up kinds, whether the
column is free text (the free-text scanner should run on it) and `valid_sql`, the DuckDB
boolean template over `{col}` (a VARCHAR) that counts validated values of that kind over
the full column (None: count distinct values in SQL and check them with `count_valid`).

How it decides: every recogniser judges the sample (validated-hit ratio plus its own
column statistics) knowing how strongly the header names its kind; `Recogniser.score`
combines both so that values lead (a header alone never beats contradicting values).
The best score wins; nothing convincing gives `none`. Long, varied, wordy values make a
free-text column, `medical_free_text` when the free-text scanner finds health vocabulary
in the sample, else `none`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import FREE_TEXT, match_header
from vigie.detect.freetext import MEDICAL_SAMPLE_SHARE, health_counts, sample_is_medical
from vigie.detect.recognisers.address import Address
from vigie.detect.recognisers.age import Age
from vigie.detect.recognisers.birth_name import BirthName
from vigie.detect.recognisers.blood_group import BloodGroup
from vigie.detect.recognisers.city import City
from vigie.detect.recognisers.date_of_birth import DateOfBirth
from vigie.detect.recognisers.diagnosis import Diagnosis
from vigie.detect.recognisers.email import Email
from vigie.detect.recognisers.event_date import EventDate
from vigie.detect.recognisers.first_name import FirstName
from vigie.detect.recognisers.full_name import FullName
from vigie.detect.recognisers.iban import Iban
from vigie.detect.recognisers.identity_document import IdentityDocument
from vigie.detect.recognisers.insurance_number import InsuranceNumber
from vigie.detect.recognisers.insurer import Insurer
from vigie.detect.recognisers.ip_address import IpAddress
from vigie.detect.recognisers.lab_result import LabResult
from vigie.detect.recognisers.lab_test import LabTest
from vigie.detect.recognisers.last_name import LastName
from vigie.detect.recognisers.medical_free_text import MedicalFreeText
from vigie.detect.recognisers.medication import Medication
from vigie.detect.recognisers.nir import Nir
from vigie.detect.recognisers.password import Password
from vigie.detect.recognisers.password_hash import PasswordHash
from vigie.detect.recognisers.payment_card import PaymentCard
from vigie.detect.recognisers.phone import Phone
from vigie.detect.recognisers.physician import Physician
from vigie.detect.recognisers.place_of_birth import PlaceOfBirth
from vigie.detect.recognisers.postcode import Postcode
from vigie.detect.recognisers.record_id import RecordId
from vigie.detect.recognisers.sex import Sex
from vigie.detect.recognisers.username import Username
from vigie.kinds import KIND_CATEGORY

RECOGNISERS: tuple[Recogniser, ...] = (
    Nir(), Iban(), PaymentCard(), Phone(), Email(), BloodGroup(), Postcode(), City(),
    Address(), FirstName(), LastName(), BirthName(), FullName(), Sex(), DateOfBirth(),
    EventDate(), Age(), PlaceOfBirth(), Insurer(), InsuranceNumber(), PasswordHash(),
    Password(), Username(), IpAddress(), Physician(), IdentityDocument(), RecordId(),
    LabTest(), LabResult(), Diagnosis(), Medication(), MedicalFreeText(),
)

SAMPLE_LIMIT = 1000          # values looked at per column; more adds time, not accuracy
MAX_VALUE_CHARS = 4000       # a hostile cell is cut before any regex sees it
PROBE_SIZE = 200             # values in the first, cheap pass over every recogniser
PROBE_CUT = 0.25             # probe ratio below which a recogniser cannot win the column
WINNING_SCORE = 0.35         # below this, no recogniser is convincing: kind none
# Distinct values that make a comment-headed column free text whatever its distinct share.
HEADED_TEXT_DISTINCT = 40
STRUCTURED_OVER_TEXT = 0.7   # a structured kind this sure beats the free-text reading
# Structured health kinds whose evidence says how much of the sample names a condition
# (a lab appointment's reasons: mostly "Prise de sang", some "Suivi VIH").
CONDITION_EVIDENCE_KINDS = frozenset({"lab_test", "lab_result", "diagnosis"})


@dataclass
class ColumnVerdict:
    """What a column holds. `evidence` never carries a raw value."""

    kind: str
    confidence: float
    evidence: list[str] = field(default_factory=list)
    runners_up: list[tuple[str, float]] = field(default_factory=list)
    free_text: bool = False
    valid_sql: str | None = None

    @property
    def category(self) -> str:
        return KIND_CATEGORY[self.kind]


def recogniser_for(kind: str) -> Recogniser | None:
    """The registered recogniser of a kind (normalise / validate values of it)."""
    return _by_kind().get(kind)


@lru_cache(maxsize=1)
def _by_kind() -> dict[str, Recogniser]:
    return {rec.kind: rec for rec in RECOGNISERS}


def count_valid(kind: str, value_counts: Iterable[tuple[str | None, int]]) -> int:
    """Validated values of a kind from (distinct value, occurrences) pairs, e.g. the rows
    of `SELECT v, count(*) ... GROUP BY v`: the Python path for kinds without `sql_valid`
    (names, cities need their lists), one check per distinct value, not per row."""
    rec = recogniser_for(kind)
    if rec is None:
        return 0
    total = 0
    for value, count in value_counts:
        if value is None:
            continue
        text = str(value)[:MAX_VALUE_CHARS].strip()
        if text and rec.matches(text):
            total += count
    return total


def clean_sample(values: Sequence[object], array_items: bool = False) -> list[str]:
    """Stripped, non-empty string values, at most SAMPLE_LIMIT, each bounded in length.
    With `array_items`, '|'-joined cells of a JSON array column are split into items."""
    out: list[str] = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)          # a spreadsheet's 184057512345678.0 is an integer
        text = value if isinstance(value, str) else str(value)
        for item in text[:MAX_VALUE_CHARS].split("|") if array_items else (text[:MAX_VALUE_CHARS],):
            item = item.strip()
            if item:
                out.append(item)
        if len(out) >= SAMPLE_LIMIT:
            break
    return out[:SAMPLE_LIMIT]


def looks_like_free_text(values: Sequence[str], header_says_text: bool) -> bool:
    """Long, varied, wordy values (comments, reports): the free-text scanner's job.

    Under a comment header ("commentaire", "motif", "observations") staff reuse short stock
    phrases ("RAS", "à revoir dans 3 mois", "test VIH négatif"), so the distinct share can be
    low: there, enough different wordy values also make free text."""
    if not values:
        return False
    mean_chars = sum(len(v) for v in values) / len(values)
    mean_words = sum(v.count(" ") + 1 for v in values) / len(values)
    distinct_values = len(set(values))
    distinct = distinct_values / len(values)
    if header_says_text:
        return mean_words >= 3 and (distinct >= 0.3 or distinct_values >= HEADED_TEXT_DISTINCT)
    return mean_chars >= 30 and mean_words >= 5 and distinct >= 0.5


def clinical_stock_phrases(values: Sequence[str]) -> bool:
    """Notes written from a stock of short phrases ("RAS", "test VIH négatif", "enceinte
    de 3 mois") fail the long-and-varied test; in a column with no header (or one naming
    nothing) they still are free text when they read as clinical writing."""
    if len(set(values)) < HEADED_TEXT_DISTINCT:
        return False
    mean_words = sum(v.count(" ") + 1 for v in values) / len(values)
    return mean_words >= 3 and sample_is_medical(values)



def load_reference_data(stop: threading.Event | None = None) -> None:
    """Load the reference lists the recognisers and the free-text scanner use, each cached
    once per process (2 s in all): the assess engine calls this in a thread while DuckDB
    reads the leak, so that the first classification does not wait for them. Returns
    early, between two lists, once `stop` is set (the run ended before it needed them)."""
    from vigie.detect.lexicons import mention_lexicon
    from vigie.detect.lexicons.cim10 import labels
    from vigie.detect.recognisers.lab_test import exam_keys
    from vigie.refdata.communes import city_name_set, postcode_set
    from vigie.refdata.names import first_name_set, surname_set

    loads = (lambda: mention_lexicon().arrow_tables, labels, exam_keys, city_name_set,
             postcode_set, first_name_set, surname_set)
    for load in loads:
        if stop is not None and stop.is_set():
            return
        load()

def classify_column(name: str | None, values: Sequence[str | None]) -> ColumnVerdict:
    """Kind of a column from its name and a sample of its values (see module doc)."""
    sample = clean_sample(values, array_items=name is not None and "[]" in name)
    header = match_header(name)
    if not sample:
        return _verdict_without_values(name, header)

    strengths = {rec.kind: header[rec.kind].strength if rec.kind in header else 0.0
                 for rec in RECOGNISERS}
    candidates = [rec for rec in RECOGNISERS if strengths[rec.kind] > 0 or not rec.needs_header]
    if len(sample) > 2 * PROBE_SIZE:
        # A spread-out probe first: recognisers far from any threshold on it are dropped
        # before the full sample (every threshold is 0.5 or more; the cut is half that).
        probe = sample[::len(sample) // PROBE_SIZE]
        candidates = [rec for rec in candidates
                      if rec.whole_sample or rec.assess(probe, strengths[rec.kind]).ratio >= PROBE_CUT]
    scored: list[tuple[float, Recogniser, Signal, float]] = []
    for rec in candidates:
        strength = strengths[rec.kind]
        signal = rec.assess(sample, strength)
        score = rec.score(signal, strength)
        if signal.confidence is not None and score > 0:
            score = min(score, signal.confidence)
        if score > 0:
            scored.append((score, rec, signal, strength))
    scored.sort(key=lambda item: item[0], reverse=True)

    free_text = (looks_like_free_text(sample, FREE_TEXT in header)
                 or (not header and clinical_stock_phrases(sample)))
    best = scored[0] if scored else None
    if free_text and (best is None or best[0] < STRUCTURED_OVER_TEXT):
        return _free_text_verdict(sample, name, header, scored)
    if FREE_TEXT in header and (best is None or best[0] < STRUCTURED_OVER_TEXT):
        reason = _health_stock_phrases(sample, name, scored)
        if reason is not None:
            return reason
    if best is None or best[0] < WINNING_SCORE:
        return ColumnVerdict("none", 0.6, [f"no recogniser validated enough of {len(sample)} sampled values"],
                             _runners_up(scored, "none"))

    score, rec, signal, strength = best
    evidence = []
    if strength > 0:
        evidence.append(f"header '{_shown_name(name)}'")
    evidence.extend(signal.evidence)
    if rec.kind in CONDITION_EVIDENCE_KINDS:
        cells, _, naming = health_counts(sample)
        if naming:
            evidence.append(f"{percent(naming / cells)} of sampled values name a health condition")
    return ColumnVerdict(rec.kind, round(score, 2), evidence, _runners_up(scored, rec.kind),
                         free_text=False, valid_sql=rec.sql_valid)


def _free_text_verdict(sample, name, header, scored) -> ColumnVerdict:
    evidence = [f"free text: {len(sample)} sampled values, long and varied"]
    if FREE_TEXT in header:
        evidence.insert(0, f"header '{_shown_name(name)}'")
    if sample_is_medical(sample):
        evidence.append("health vocabulary in the sample")
        return ColumnVerdict("medical_free_text", 0.8, evidence, _runners_up(scored, "medical_free_text"),
                             free_text=True)
    return ColumnVerdict("none", 0.6, evidence, _runners_up(scored, "none"), free_text=True)


def _health_stock_phrases(sample, name, scored) -> ColumnVerdict | None:
    """A visit-reason or comment column of short stock phrases ("Prise de sang", "Suivi
    grossesse", "Renouvellement ordonnance"): too repetitive to read as free text, yet a
    visit's reason is health data (GDPR art. 9) even where most of them are routine, and
    the rare ones name the condition. Medical when enough of the sample uses health
    vocabulary (as `sample_is_medical`) and some of it names a condition; else None (a
    comment about parking, two labels "Première consultation" / "Consultation de suivi")."""
    cells, vocabulary, naming = health_counts(sample)
    if vocabulary < 2 or vocabulary < MEDICAL_SAMPLE_SHARE * cells or not naming:
        return None
    evidence = [f"header '{_shown_name(name)}' names a visit's reason or a comment",
                f"short stock phrases: {len(set(sample))} distinct among {cells} sampled values",
                f"{percent(vocabulary / cells)} use health vocabulary, {percent(naming / cells)} "
                "name a health condition: health data even where most values are routine"]
    return ColumnVerdict("medical_free_text", 0.75, evidence,
                         _runners_up(scored, "medical_free_text"), free_text=True)


def _verdict_without_values(name, header) -> ColumnVerdict:
    kinds = sorted(((m.strength, k) for k, m in header.items() if k in KIND_CATEGORY), reverse=True)
    if not kinds:
        return ColumnVerdict("none", 0.5, ["no non-empty value in the sample"])
    strength, kind = kinds[0]
    return ColumnVerdict(kind, round(0.3 * strength, 2),
                         [f"header '{_shown_name(name)}' only", "no non-empty value in the sample"],
                         [(k, round(0.3 * s, 2)) for s, k in kinds[1:4]],
                         valid_sql=getattr(recogniser_for(kind), "sql_valid", None))


def _runners_up(scored, winner: str) -> list[tuple[str, float]]:
    return [(rec.kind, round(score, 2)) for score, rec, _, _ in scored if rec.kind != winner][:3]


def _shown_name(name: str | None) -> str:
    """A header is a dictionary word when it matched; still cut it short."""
    return (name or "")[:60]


__all__ = ["RECOGNISERS", "ColumnVerdict", "classify_column", "count_valid", "recogniser_for"]
