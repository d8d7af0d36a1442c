"""Canaries: sized by rho >= ln(1/beta)/n, coherent, beaconed, far from real persons."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pyarrow as pa
from stdnum.fr import nir as stdnum_nir

from vigie.synth.population import generate_population
from vigie.trace.canaries import canary_count, make_canaries
from vigie.trace.export import ExportOptions
from vigie.trace.identity import classify_columns, row_identity_keys

COLUMNS = ["patient_id", "sex", "first_name", "last_name", "date_of_birth", "nir", "address",
           "postcode", "city", "phone", "email", "blood_group"]


def test_sizing_follows_the_miss_probability_formula():
    assert math.isclose(ExportOptions.density_for(10_000, 1e-6), math.log(1e6) / 10_000)
    assert canary_count(5_000, 1 / 1000, 20, 5000) == 20           # the floor
    assert canary_count(200_000, 1 / 1000, 20, 5000) == 200
    assert canary_count(200_001, 1 / 1000, 20, 5000) == 201       # rounded up
    assert canary_count(10_000_000, 1 / 1000, 20, 5000) == 5000    # the cap


def test_canaries_are_coherent_beaconed_and_far_from_real_people():
    patients = generate_population(800, 4).patients.select(COLUMNS)
    table = pa.table({c: patients.column(c).cast(pa.string()) for c in COLUMNS})
    sample = table.to_pylist()
    roles = classify_columns(table)
    real_keys = {k for row in sample for k in row_identity_keys(row, roles)}
    real_ids = {row["patient_id"] for row in sample}
    canaries = make_canaries(sample, roles, 40, b"k" * 32, "alerte.example.org", "patient_id",
                             lambda row: bool(set(row_identity_keys(row, roles)) & real_keys)
                             or row["patient_id"] in real_ids,
                             np.random.default_rng(3))
    postcodes = {(row["postcode"], row["city"]) for row in sample}
    assert len(canaries) == 40
    assert len({row["email"] for row in canaries}) == 40
    for row in canaries:
        assert row["email"].endswith("@alerte.example.org")
        assert not set(row_identity_keys(row, roles)) & real_keys
        assert row["patient_id"] not in real_ids and len(row["patient_id"]) == 8
        nir, born = row["nir"], date.fromisoformat(row["date_of_birth"])
        assert stdnum_nir.is_valid(nir)
        assert nir[0] == ("2" if row["sex"] == "F" else "1")
        assert nir[1:5] == f"{born.year % 100:02d}{born.month:02d}"
        assert (row["postcode"], row["city"]) in postcodes
        assert row["phone"][:2] in ("06", "07")
