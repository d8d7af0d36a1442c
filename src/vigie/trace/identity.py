"""Re-identifying a row without its id: column roles and keyed identity lookups.

The virtual key of a person is their person key (HMAC of the registry id, as in the
incident register). At export time every exported person is indexed under keyed lookups
of exact normalised identity keys: the NIR; surname + first name + date of birth (for
every surname column: usage and birth names); the e-mail address. A leak row is
re-identified when one of its lookups names exactly one person, whatever the row order,
column order or names, file format, or whether the id column survived.
Only HMACs are stored: the index says nothing about anyone without the master key.
Exact keys first: a typo in every identity field loses the row here (it then counts as
unlinked, which only weakens the evidence, never fakes it); given the organisation's
registry, vigie.trace.relink links such rows with vigie.link's Splink model instead.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from vigie.detect.recognisers.dates import parse_date
from vigie.detect.recognisers.nir import nir_form, normalise_nir
from vigie.detect.registry import classify_column
from vigie.refdata.normalise import normalise_name

SURNAME_KINDS = ("last_name", "birth_name")
# Lookup families, strongest first (a NIR beats a name + date of birth beats an e-mail).
LOOKUP_FAMILIES = ("nir", "name_dob", "email")
CLASSIFY_SAMPLE = 400           # rows the classifier sees: enough for these kinds, 2.5x faster


@dataclass(frozen=True)
class ColumnRoles:
    """Which columns hold which kind (only the kinds tracing uses)."""

    kinds: dict[str, str]          # column name -> kind

    def columns_of(self, *kinds: str) -> list[str]:
        return [column for column, kind in self.kinds.items() if kind in kinds]


def classify_columns(sample: pa.Table) -> ColumnRoles:
    """Kinds of a table's columns from a sample of its rows (the detect classifier)."""
    kinds = {}
    sample = sample.slice(0, CLASSIFY_SAMPLE)
    for name in sample.column_names:
        column = sample.column(name)
        if pa.types.is_nested(column.type):
            continue
        values = as_strings(column.combine_chunks())
        kinds[name] = classify_column(name, values).kind
    return ColumnRoles(kinds)


def as_strings(array: pa.Array | pa.ChunkedArray) -> list[str | None]:
    """A column as Python strings (dates as ISO text), None for nulls."""
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        if pa.types.is_nested(array.type):
            return [None if v is None else str(v) for v in array.to_pylist()]
        array = pc.cast(array, pa.string())
    return array.to_pylist()


@lru_cache(maxsize=200_000)
def _name(value: str) -> str:
    """Cached: surnames and first names repeat across a registry."""
    return normalise_name(value)


def _date_text(value: str) -> str | None:
    parsed = parse_date(value)
    return parsed.day.isoformat() if parsed else None


def row_identity_keys(row: dict[str, str | None], roles: ColumnRoles) -> list[tuple[str, str]]:
    """(family, normalised key) pairs of one row; empty when it carries no usable identity."""
    keys: list[tuple[str, str]] = []
    for column in roles.columns_of("nir"):
        value = row.get(column)
        if value and nir_form(value) in ("keyed", "temporary"):
            keys.append(("nir", normalise_nir(value)))
    firsts = [_name(row[c]) for c in roles.columns_of("first_name") if row.get(c)]
    births = [d for v in (row.get(c) for c in roles.columns_of("date_of_birth")) if v
              for d in [_date_text(v)] if d]
    for column in roles.columns_of(*SURNAME_KINDS):
        surname = row.get(column)
        if surname:
            for first in firsts:
                for born in births:
                    keys.append(("name_dob", f"{_name(surname)}|{first}|{born}"))
    for column in roles.columns_of("email"):
        value = row.get(column)
        if value and "@" in value:
            keys.append(("email", value.strip().lower()))
    return keys


def lookup(master: bytes, family: str, key: str) -> str:
    """The stored form of an identity key: HMAC-SHA256 under the master key, 32 hex."""
    message = f"{family}|{key}".encode("utf-8")
    return hmac.new(master, message, hashlib.sha256).hexdigest()[:32]


def rows_of(batch: pa.RecordBatch, columns: Sequence[str]) -> Iterable[dict[str, str | None]]:
    """A batch's rows as {column: string} restricted to `columns`."""
    lists = {name: as_strings(batch.column(name)) for name in columns}
    for index in range(batch.num_rows):
        yield {name: values[index] for name, values in lists.items()}
