"""Batches of a population as leak writers need them, and declarative flat columns.

A flat leak (one row per patient or per visit) is declared as a list of `Col`: header,
kind, how to render the value from the batch, and which of the population's *_mentions
columns the written text discloses. `render` turns each source batch into a batch of
written strings and feeds the ground truth with exactly what was written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigie.kinds import is_personal
from vigie.synth.leaks.base import TableTruth
from vigie.synth.leaks.notation import date_text

BATCH_ROWS = 100_000
# A lab result names the tests it answers ("TSH 4,02 mUI/L; Lithium 1,05 mmol/L"), so it
# discloses what the visit's lab_test discloses; the population has no separate truth.
RESULT_MENTIONS = "lab_test_mentions"


@dataclass
class Rows:
    """One batch being written: patients rows, and the visits rows they align with (or None)."""

    patients: pa.RecordBatch
    visits: pa.RecordBatch | None
    gen: np.random.Generator
    start: int = 0                      # position of the batch's first row in the file
    patient_rows: pa.Array | None = None   # per visit row, its patient's row in pop.patients
    cache: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return self.patients.num_rows

    def p(self, name: str) -> pa.Array:
        return self.patients.column(name)

    def v(self, name: str) -> pa.Array:
        if self.visits is None:
            raise ValueError(f"visit column {name!r} asked of a batch without visits")
        return self.visits.column(name)

    def shared(self, key: str, compute: Callable[["Rows"], object]):
        """A value computed once per batch and shared by several columns (e.g. two
        timestamps that must stay ordered)."""
        if key not in self.cache:
            self.cache[key] = compute(self)
        return self.cache[key]

    def slice(self, offset: int, length: int) -> "Rows":
        """Rows offset..offset+length of this batch (same generator)."""
        visits = None if self.visits is None else self.visits.slice(offset, length)
        index = None if self.patient_rows is None else self.patient_rows.slice(offset, length)
        return Rows(self.patients.slice(offset, length), visits, self.gen, self.start + offset,
                    index)

    def positions(self) -> np.ndarray:
        """0-based row numbers of the batch's rows in the whole file."""
        return np.arange(self.start, self.start + len(self), dtype=np.int64)


@dataclass(frozen=True)
class Col:
    """A written column: header, kind, renderer, and the mentions column its text carries."""

    name: str
    kind: str
    render: Callable[[Rows], pa.Array]
    mentions: str | None = None


def birth_date(fmt: str) -> Callable[[Rows], pa.Array]:
    """Renderer of the patient's date of birth in a notation of notation.DATE_FORMATS."""
    return lambda rows: date_text(rows.p("date_of_birth"), fmt)


def visit_date(fmt: str) -> Callable[[Rows], pa.Array]:
    """Renderer of the visit date in a notation of notation.DATE_FORMATS."""
    return lambda rows: date_text(rows.v("visit_date"), fmt)


def as_batch(table: pa.Table) -> pa.RecordBatch:
    """A table slice as one contiguous record batch."""
    arrays = [column.combine_chunks() for column in table.columns]
    return pa.RecordBatch.from_arrays(arrays, names=table.column_names)


def visit_patient_index(pop) -> pa.Array:
    """For each visit, the row of its patient in pop.patients."""
    index = pc.index_in(pop.visits.column("patient_id"),
                        value_set=pop.patients.column("patient_id"))
    if index.null_count:
        raise ValueError("population has visits of unknown patients")
    return index.combine_chunks() if isinstance(index, pa.ChunkedArray) else index


def patient_batches(pop, gen: np.random.Generator, batch_rows: int = BATCH_ROWS) -> Iterator[Rows]:
    """The patients in order, one Rows per slice."""
    for start in range(0, pop.patients.num_rows, batch_rows):
        yield Rows(as_batch(pop.patients.slice(start, batch_rows)), None, gen, start)


def visit_batches(pop, gen: np.random.Generator, batch_rows: int = BATCH_ROWS) -> Iterator[Rows]:
    """The visits in order, each aligned with its patient's row (one leak row per visit)."""
    index = visit_patient_index(pop)
    for start in range(0, pop.visits.num_rows, batch_rows):
        visits = as_batch(pop.visits.slice(start, batch_rows))
        rows = index.slice(start, batch_rows)
        yield Rows(as_batch(pop.patients.take(rows)), visits, gen, start, rows)


def result_item_batches(pop, gen: np.random.Generator,
                        batch_rows: int = BATCH_ROWS) -> Iterator[Rows]:
    """One row per exam of each visit, as a long results table keeps them: visits columns
    `exam`, `value` (the result alone: "13,2", "Sérologie VIH négative"), `unit` (null when
    none), `visit_row` (the visit's row in pop.visits) and `exam_mentions` (what that exam
    discloses), each row aligned with its patient."""
    from vigie.synth.medical import exams
    from vigie.synth.mentions import mask_lists

    catalogue = exams()
    masks = dict(zip(catalogue.name.to_pylist(), catalogue.mask.tolist()))
    start = 0
    for rows in visit_batches(pop, gen, batch_rows):
        tests = pc.split_pattern(rows.v("lab_test"), "|")
        parent = pc.list_parent_indices(tests)
        exam = pc.list_flatten(tests)
        value = pc.list_flatten(pc.split_pattern(rows.v("lab_values"), "|"))
        unit = pc.list_flatten(pc.split_pattern(rows.v("lab_units"), "|"))
        if not len(exam) == len(value) == len(unit) or rows.patient_rows is None:
            raise ValueError("population has results not aligned with their exams")
        unit = pc.if_else(pc.equal(unit, ""), pa.scalar(None, pa.string()), unit)
        mentions = mask_lists(np.array([masks[e] for e in exam.to_pylist()], dtype=np.int64))
        visit_row = pc.add(pc.cast(parent, pa.int64()), rows.start)
        items = pa.RecordBatch.from_arrays(
            [exam, value, unit, visit_row, mentions],
            names=["exam", "value", "unit", "visit_row", "exam_mentions"])
        yield Rows(rows.patients.take(parent), items, gen, start, rows.patient_rows.take(parent))
        start += len(exam)


def visits_by_patient(pop) -> tuple[np.ndarray, np.ndarray]:
    """Visit rows ordered by patient, and offsets: patient i owns order[offsets[i]:offsets[i+1]].

    Only the order is kept (8 bytes a visit), so writers take each batch's visits
    without copying the whole visits table.
    """
    index = visit_patient_index(pop).to_numpy()
    order = np.argsort(index, kind="stable")
    counts = np.bincount(index, minlength=pop.patients.num_rows)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return order, offsets


def string_schema(cols: list[Col]) -> pa.Schema:
    return pa.schema([pa.field(c.name, pa.string()) for c in cols])


def render(cols: list[Col], batches: Iterable[Rows], truth: TableTruth, *,
           as_text: bool = True) -> Iterator[pa.RecordBatch]:
    """Written batches of `cols`, observed into `truth` as they go.

    as_text casts every value to a string (text formats); False keeps typed values
    (dates for a spreadsheet's date cells).
    """
    for rows in batches:
        arrays = [c.render(rows) for c in cols]
        if as_text:
            arrays = [pc.cast(a, pa.string()) for a in arrays]
        written = dict(zip((c.name for c in cols), arrays))
        truth.observe(
            rows.p("patient_id"),
            {c.name: written[c.name] for c in cols if is_personal(c.kind)},
            {c.name: rows.v(c.mentions) for c in cols if c.mentions})
        yield pa.RecordBatch.from_arrays(arrays, names=[c.name for c in cols])


def value_rows(batch: pa.RecordBatch) -> Iterator[tuple]:
    """A written batch as row tuples of Python values, for writers that take rows one by one."""
    return zip(*(column.to_pylist() for column in batch.columns))


def declare(truth_builder, name: str, cols: list[Col]) -> TableTruth:
    """Declare the table of `cols` in the truth."""
    return truth_builder.table(name, [(c.name, c.kind) for c in cols])
