"""End to end on the simulation: leaks from one export, attacks on it, mixes, and innocent
leaks (the registry itself, an unmarked copy) that must name nobody."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from vigie.trace import trace_leak, trace_section, write_trace
from vigie.trace.channels import CHANNELS

from .conftest import assert_same_meaning, read_any


def named(result) -> list[str]:
    return [e.export_id for e in result.attributions]


def write_jsonl(table: pa.Table, path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in table.to_pylist():
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def test_whole_export_names_it_with_every_layer(simulation, tmp_path):
    result = trace_leak(str(simulation.files[1]))          # the Excel export, as delivered
    [only] = result.attributions
    assert only.export_id == simulation.exports[1].export_id
    assert only.canaries_found == simulation.exports[1].canaries
    assert only.layers(result.alpha) == ["canaries", "marks", "row_set"]
    assert only.rows_explained == 1.0
    data = json.loads(write_trace(result, tmp_path).read_text())
    assert data["checked_exports"] == 5
    assert data["attributions"][0]["export_id"] == only.export_id
    assert data["attributions"][0]["p_false"] <= 1e-6


def test_ten_percent_resorted_without_ids_reencoded(simulation, tmp_path):
    exported = read_any(simulation.files[0])
    rng = np.random.default_rng(1)
    rows = rng.choice(exported.num_rows, size=exported.num_rows // 10, replace=False)
    leak = exported.take(rows).drop_columns(["patient_id"])
    leak = leak.select(list(reversed(leak.column_names)))
    pq.write_table(leak, tmp_path / "leak.parquet")
    result = trace_leak(str(tmp_path / "leak.parquet"))
    assert named(result) == [simulation.exports[0].export_id]
    assert "marks" in result.attributions[0].layers(result.alpha)


def test_columns_dropped_to_names_and_phone_as_jsonl(simulation, tmp_path):
    exported = read_any(simulation.files[2])
    leak = exported.select(["last_name", "first_name", "date_of_birth", "phone"]).slice(0, 300)
    write_jsonl(leak, tmp_path / "leak.jsonl")
    result = trace_leak(str(tmp_path / "leak.jsonl"))
    assert named(result) == [simulation.exports[2].export_id]


def test_two_exports_mixed_are_both_named(simulation, tmp_path):
    first = read_any(simulation.files[3]).slice(0, 200)
    second = read_any(simulation.files[4]).slice(500, 200)
    leak = pa.concat_tables([first, second.select(first.column_names)])
    pacsv.write_csv(leak, tmp_path / "mixed.csv")
    result = trace_leak(str(tmp_path / "mixed.csv"))
    assert sorted(named(result)) == sorted([simulation.exports[3].export_id,
                                            simulation.exports[4].export_id])
    assert all(0.3 < e.rows_explained < 0.9 for e in result.attributions)


def test_leaks_from_the_registry_or_an_unmarked_copy_name_nobody(simulation, tmp_path):
    rng = np.random.default_rng(2)
    for trial in range(4):
        rows = rng.choice(simulation.registry.num_rows, size=800, replace=False)
        leak = simulation.registry.take(rows)
        if trial % 2:                    # an unmarked copy, reformatted by its holder
            leak = leak.set_column(leak.column_names.index("phone"), "phone",
                                   pa.array([" ".join(p[i:i + 2] for i in range(0, 10, 2))
                                             for p in leak.column("phone").to_pylist()]))
        pacsv.write_csv(leak, tmp_path / f"innocent_{trial}.csv")
        result = trace_leak(str(tmp_path / f"innocent_{trial}.csv"))
        assert named(result) == []
        assert result.checked_exports == 5
        assert all(e.canaries_found == 0 for e in result.evidence)


def test_leaker_who_normalises_every_channel_is_caught_by_canaries(simulation, tmp_path):
    exported = read_any(simulation.files[0])
    normalised = {
        "phone": ["+33" + CHANNELS["phone"].normalise(v)[1:] if v else v
                  for v in exported.column("phone").to_pylist()],
        "address": [CHANNELS["address"].normalise(v).upper() if v else v
                    for v in exported.column("address").to_pylist()],
        "email": [v.lower() if v else v for v in exported.column("email").to_pylist()],
    }
    for name, values in normalised.items():
        exported = exported.set_column(exported.column_names.index(name), name, pa.array(values))
    pacsv.write_csv(exported, tmp_path / "sanitised.csv")
    result = trace_leak(str(tmp_path / "sanitised.csv"))
    [only] = result.attributions
    assert only.export_id == simulation.exports[0].export_id
    layers = only.layers(result.alpha)
    assert "canaries" in layers and "row_set" in layers and "marks" not in layers
    assert only.canary_beacons == simulation.exports[0].canaries


def test_marks_never_change_meaning(simulation):
    """Every exported value equals its source value after the channel's normalisation."""
    from vigie.trace.manifest import load_canaries, load_exports, open_manifest
    engine = open_manifest()
    source = {row["patient_id"]: row for row in simulation.registry.to_pylist()}
    for entry, path in zip(load_exports(engine), simulation.files):
        canary_ids = {row["patient_id"] for row in load_canaries(engine, entry.seq).values()}
        exported = read_any(path).to_pylist()
        real = [row for row in exported if row["patient_id"] not in canary_ids]
        assert len(exported) - len(real) == entry.entry["canaries"] >= 20
        assert len(real) == 1500
        for row in real:
            assert_same_meaning(row, source[row["patient_id"]])


def test_assess_section_only_when_exports_exist(simulation, tmp_path, monkeypatch):
    section = trace_section(str(simulation.files[4]))
    assert [a["export_id"] for a in section["attributions"]] == [simulation.exports[4].export_id]
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path / "fresh"))
    assert trace_section(str(simulation.files[4])) is None
