"""Canaries: sized by rho >= ln(1/beta)/n, coherent, beaconed, far from real persons (by
exact keys, and by the linkage model)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from stdnum.fr import nir as stdnum_nir

from vigie.synth.population import generate_population
from vigie.trace.canaries import canary_count, make_canaries
from vigie.trace.distance import MAX_MATCH_PROBABILITY, best_match_probabilities, \
    real_patients
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


def _near_copy(canary: dict, real: dict) -> dict:
    """A canary given a real patient's first name and date of birth and their surname
    with one letter changed: no exact key in common, the same person to a linkage."""
    surname = real["last_name"]
    slip = "A" if surname[-1].upper() != "A" else "E"
    near = dict(canary, first_name=real["first_name"], date_of_birth=real["date_of_birth"],
                last_name=surname[:-1] + slip, birth_name=surname[:-1] + slip)
    return near


def test_the_linkage_model_rejects_near_copies_and_keeps_true_canaries(tmp_path):
    patients = generate_population(1500, 6).patients.select(COLUMNS)
    table = pa.table({c: patients.column(c).cast(pa.string()) for c in COLUMNS})
    pacsv.write_csv(table, tmp_path / "registry.csv")
    sample = table.slice(0, 1000).to_pylist()
    roles = classify_columns(table)
    real_keys = {k for row in table.to_pylist() for k in row_identity_keys(row, roles)}
    canaries = make_canaries(sample, roles, 30, b"k" * 32, "alerte.example.org", "patient_id",
                             lambda row: bool(set(row_identity_keys(row, roles)) & real_keys),
                             np.random.default_rng(8))
    plain = [row for row in sample if " " not in row["last_name"]][:8]
    near = [_near_copy(canary, real) for canary, real in zip(canaries, plain)]
    for row in near:                      # invisible to the exact-key check
        assert not set(row_identity_keys(row, roles)) & real_keys
    with real_patients(str(tmp_path / "registry.csv"), "patient_id") as people:
        scores = best_match_probabilities(canaries + near, sample, roles, COLUMNS, people,
                                          seed=1)
    kept, copies = scores[:30], scores[30:]
    assert all(score < MAX_MATCH_PROBABILITY for score in kept)
    assert all(score >= MAX_MATCH_PROBABILITY for score in copies), copies
    assert min(copies) > 0.5, copies         # the linkage would review or link every one


def test_export_replaces_candidates_the_linkage_finds_too_close(tmp_path, monkeypatch):
    """Through export_source: near copies of registry patients outside the exported subset,
    and a candidate bearing such a patient's id, slipped among the candidates, never ship
    (the check runs against --registry)."""
    import vigie.trace.export as export_module
    from vigie.trace.manifest import load_canaries, load_exports, open_manifest
    from vigie.trace.relink import RegistryRef

    monkeypatch.setenv("VIGIE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VIGIE_MASTER_KEY", "22" * 32)
    patients = generate_population(1200, 7).patients.select(COLUMNS)
    table = pa.table({c: patients.column(c).cast(pa.string()) for c in COLUMNS})
    pacsv.write_csv(table, tmp_path / "registry.csv")
    pacsv.write_csv(table.slice(0, 700), tmp_path / "subset.csv")
    real = [row for row in table.slice(700).to_pylist() if " " not in row["last_name"]]
    planted: list[dict] = []
    draw = export_module.make_canaries

    def with_near_copies(*args, **kwargs):
        made = draw(*args, **kwargs)
        if not planted:                  # first round: five near copies, one taken id
            for index in range(5):
                made[index] = _near_copy(made[index], real[index * 11])
                planted.append(made[index])
            made[5]["patient_id"] = real[-1]["patient_id"]
            planted.append(made[5])
        return made

    monkeypatch.setattr(export_module, "make_canaries", with_near_copies)
    options = export_module.ExportOptions(
        registry=RegistryRef(str(tmp_path / "registry.csv"), "patient_id"))
    result = export_module.export_source(str(tmp_path / "subset.csv"),
                                         id_column="patient_id", recipient="R",
                                         purpose="test", out=tmp_path / "out.csv",
                                         options=options)
    engine = open_manifest()
    [entry] = load_exports(engine)
    shipped = load_canaries(engine, entry.seq).values()
    check = entry.entry["canary_check"]
    assert result.canaries == 20 and len(shipped) == 20
    assert result.canaries_rejected == check["rejected"] >= 6
    assert check["highest_kept"] < MAX_MATCH_PROBABILITY == check["max_match_probability"]
    assert check["registry"] == "registry.csv"
    names = {(row["last_name"], row["date_of_birth"]) for row in shipped}
    assert not names & {(row["last_name"], row["date_of_birth"]) for row in planted[:5]}
    assert real[-1]["patient_id"] not in {row["patient_id"] for row in shipped}
