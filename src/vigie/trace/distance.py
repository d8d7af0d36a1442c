"""Keep canaries far from every real patient, as the registry linkage (vigie.link) sees them.

Exact keys are not enough: a canary named like a real patient with one typo, born the same
day, differs from that patient on every exact key, yet `vigie assess --registry` would link
it (and tell that patient their data leaked). So each candidate canary is linked to the
registry with vigie.link's own Splink model, blocking rules and training plan (the
export's source by default, a wider registry with `vigie export --registry`); a candidate
whose best match probability to any real person is at least MAX_MATCH_PROBABILITY is
rejected.

The model is trained per check exactly as for a leak (prior from deterministic rules, u by
random sampling, m by EM). Candidates alone cannot train it (they match nobody), so the
leak side also holds damaged copies of a sample of real rows, damaged by
vigie.synth.damage's profile (typos, swapped names, date notations, missing NIRs: the
profile the linkage's precision and recall were measured on): the candidates are scored by
the model a typical damaged leak of this source would get.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from typing import Iterator

import duckdb
import pyarrow as pa

from vigie.detect.recognisers.dates import parse_date
from vigie.detect.recognisers.nir import nir_form, normalise_nir
from vigie.link import link_leak_to_registry, standardise
from vigie.link.registry import standardise_registry
from vigie.sources import open_source
from vigie.synth.damage import LEAK_MAPPING, leak_row
from vigie.trace.channels import CHANNELS
from vigie.trace.identity import ColumnRoles

# A tenth of the linkage's review band floor (0.5): a canary never comes near a link (0.9)
# nor a pair sent to a human.
MAX_MATCH_PROBABILITY = 0.05
DAMAGED_ROWS = 2000
_KIND_OF_HEADER = {header: kind for header, kind in LEAK_MAPPING.items()}
# The linkage model's traits that a canary draws from real values. Its NIR, phone and
# e-mail are fabricated and unique: they can only lower its match probability, and a leak
# may drop them, so they are left out (the worst case for the canary: names, date of birth
# and postcode only).
DRAWN_KINDS = ("last_name", "first_name", "birth_name", "full_name", "date_of_birth",
               "postcode")


def drawn_traits(roles: ColumnRoles, columns: list[str]) -> dict[str, str]:
    """{column: kind} of the compared traits a canary takes from real people's values."""
    return {c: k for c, k in roles.kinds.items() if c in columns and k in DRAWN_KINDS}


def _person(row: dict, roles: ColumnRoles) -> dict:
    """The patients-table view of a row that vigie.synth.damage.leak_row expects."""
    def first(*kinds: str) -> str | None:
        return next((row[c] for c in roles.columns_of(*kinds) if row.get(c)), None)

    born = first("date_of_birth")
    parsed = parse_date(born) if born else None
    nir = first("nir")
    nir = normalise_nir(nir) if nir and nir_form(nir) in ("keyed", "temporary") else None
    phone = first("phone")
    phone = CHANNELS["phone"].normalise(phone) if phone else None
    return {"last_name": first("last_name"), "birth_name": first("birth_name"),
            "first_name": first("first_name"),
            "date_of_birth": parsed.day if parsed else None, "nir": nir,
            "address": first("address"), "postcode": first("postcode"),
            "city": first("city"),
            "phone": phone if phone and phone.isdigit() and len(phone) == 10 else None,
            "email": first("email")}


def damaged_copies(sample: list[dict], roles: ColumnRoles, seed: int) -> list[dict]:
    """Up to DAMAGED_ROWS rows of `sample`, each damaged as a real leak damages a row."""
    rng = random.Random(seed)
    rows = sample[:DAMAGED_ROWS]
    people = [_person(row, roles) for row in rows]
    damaged = []
    for row, person in zip(rows, people):
        leaked = leak_row(rng, person, people[rng.randrange(len(people))])
        copy = dict(row)
        for column in roles.columns_of("birth_name"):
            copy[column] = None                # leaks rarely carry it; the usage name does
        for header, value in leaked.items():
            for column in roles.columns_of(_KIND_OF_HEADER[header]):
                copy[column] = value
        damaged.append(copy)
    return damaged


@contextmanager
def real_patients(source: str, id_column: str) -> Iterator[duckdb.DuckDBPyRelation]:
    """The registry's patients (file or URL, one row per id), standardised once for every
    round of candidates: the export's own source, or the wider registry when given."""
    con = duckdb.connect()
    try:
        with open_source(source) as opened:
            standardise_registry(opened, id_column, con=con)
        # One row per person: an extract may hold several rows (visits) of one patient.
        con.execute("CREATE TABLE people AS SELECT * FROM registry_people "
                    "QUALIFY row_number() OVER (PARTITION BY unique_id) = 1")
        yield con.table("people")
    finally:
        con.close()


def ids_in_use(people: duckdb.DuckDBPyRelation, ids: list[str]) -> set[str]:
    """Which of `ids` already belong to a patient of `people` (a canary needs its own)."""
    if not ids:
        return set()
    held = duckdb.ColumnExpression("unique_id").isin(*map(duckdb.ConstantExpression, ids))
    return {row[0] for row in people.filter(held).select("unique_id").fetchall()}


def best_match_probabilities(candidates: list[dict], sample: list[dict], roles: ColumnRoles,
                             columns: list[str], people: duckdb.DuckDBPyRelation,
                             seed: int) -> list[float]:
    """For each candidate row (`columns` as `roles` classify them), its highest match
    probability to one of `people` (from real_patients); 0.0 when no pair reaches
    MAX_MATCH_PROBABILITY (pairs below it are not scored)."""
    mapping = drawn_traits(roles, columns)
    damaged = damaged_copies(sample, roles, seed)
    leak_rows = damaged + candidates
    leak = pa.table({c: pa.array([row.get(c) for row in leak_rows], pa.string())
                     for c in mapping})
    result = link_leak_to_registry(standardise(leak, mapping), people,
                                   review_band=(MAX_MATCH_PROBABILITY, 0.9))
    if result.best is None:
        raise RuntimeError("link_leak_to_registry returned no best-match table")
    best = dict(zip(result.best.column("leak_id").to_pylist(),
                    result.best.column("match_probability").to_pylist()))
    return [best.get(str(len(damaged) + index + 1), 0.0) for index in range(len(candidates))]
