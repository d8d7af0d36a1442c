"""Attribution at the issue's scale: 20 recipients x a 200,000-patient registry.

Each recipient gets an export (canaries + keyed marks, via vigie.trace.export_source) of an
overlapping random 30 % of the registry, its canaries checked against the whole registry. Leaks are built from export TARGET by the issue's
attacks, at growing sizes, and traced with vigie.trace.trace_leak (the real path: file ->
sources -> re-identification -> evidence). For each attack we report the smallest leak size
from which the right export(s), and only they, are named in every trial at every larger size.
The surname_typos attack (a typo in every surname, no id, NIR or e-mail) is traced with
`--registry` (vigie.trace.relink): exact keys alone re-identify none of its rows.
Null checks: 1,000 innocent leaks (random registry rows, half with a reformatted copy's
random layouts) weighed against all 20 exports through the same evaluation code, the
leak reading built once from the registry file then subsampled (cheap, same statistics);
and 1,000 more drawn from NULL_TYPO_ROWS registry rows given surname typos, read through
the registry linkage.
Baseline in the same run: pyarrow's plain read of one export file.
BENCH_TRACE_REGISTRY sets a smaller registry (the figures then say which size ran).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

REGISTRY_SIZE = int(__import__("os").environ.get("BENCH_TRACE_REGISTRY", 200_000))
RECIPIENTS = 20
SHARE = 0.30
TARGET, OTHER = 7, 12
SIZES = [20, 50, 100, 200, 600, 2_000, 6_000, 60_000]
NULL_TRIALS = 1_000
NULL_LEAK_ROWS = 500
NULL_TYPO_ROWS = 10_000
TYPO_SIZES = [20, 50, 100, 200, 600, 2_000]
COLUMNS = ["patient_id", "sex", "first_name", "last_name", "birth_name", "date_of_birth",
           "nir", "address", "postcode", "city", "phone", "email", "blood_group"]


def _registry(work: Path) -> Path:
    from vigie.synth.population import generate_population
    patients = generate_population(REGISTRY_SIZE, 2026).patients.select(COLUMNS)
    patients = pa.table({c: patients.column(c).cast(pa.string()) for c in COLUMNS})
    path = work / "registry.parquet"
    pq.write_table(patients, path)
    return path


def _normalise_channels(table: pa.Table) -> pa.Table:
    from vigie.trace.channels import CHANNELS
    fixes = {"phone": lambda v: "+33" + CHANNELS["phone"].normalise(v)[1:],
             "address": lambda v: CHANNELS["address"].normalise(v).upper(),
             "email": str.lower}
    for name, fix in fixes.items():
        if name in table.column_names:
            values = [fix(v) if v else v for v in table.column(name).to_pylist()]
            table = table.set_column(table.column_names.index(name), name, pa.array(values))
    return table


def _surname_typos(table: pa.Table) -> pa.Table:
    """No id, NIR or e-mail; a letter changed in every surname; dates as dd/mm/yyyy."""
    table = table.drop_columns([c for c in ("patient_id", "nir", "email")
                                if c in table.column_names])
    for column in ("last_name", "birth_name"):
        names = []
        for name in table.column(column).to_pylist():
            if name:
                i = len(name) // 2
                name = name[:i] + ("K" if name[i].upper() != "K" else "Z") + name[i + 1:]
            names.append(name)
        table = table.set_column(table.column_names.index(column), column, pa.array(names))
    dates = ["/".join(reversed(v.split("-"))) if v else v
             for v in table.column("date_of_birth").to_pylist()]
    return table.set_column(table.column_names.index("date_of_birth"), "date_of_birth",
                            pa.array(dates))


def _attack(name: str, exports: list[pa.Table], size: int, rng, work: Path) -> tuple[Path, set]:
    """(leak file, indexes of the exports it came from)."""
    source = exports[TARGET]
    rows = lambda table, n: table.take(np.sort(rng.choice(table.num_rows, min(n, table.num_rows),  # noqa: E731
                                                          replace=False)))
    path = work / f"leak_{name}_{size}"
    if name == "subset":
        pacsv.write_csv(rows(source, size), path.with_suffix(".csv"))
        return path.with_suffix(".csv"), {TARGET}
    if name == "drop_columns":
        leak = rows(source, size).select(["last_name", "first_name", "date_of_birth", "phone"])
        pacsv.write_csv(leak, path.with_suffix(".csv"))
        return path.with_suffix(".csv"), {TARGET}
    if name == "resort_reencode":
        leak = rows(source, size).drop_columns(["patient_id"]).sort_by("last_name")
        with open(path.with_suffix(".jsonl"), "w", encoding="utf-8") as fh:
            for row in leak.to_pylist():
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return path.with_suffix(".jsonl"), {TARGET}
    if name == "mix_two":
        leak = pa.concat_tables([rows(source, size // 2), rows(exports[OTHER], size - size // 2)])
        pq.write_table(leak, path.with_suffix(".parquet"))
        return path.with_suffix(".parquet"), {TARGET, OTHER}
    if name == "normalise_channels":
        pacsv.write_csv(_normalise_channels(rows(source, size)), path.with_suffix(".csv"))
        return path.with_suffix(".csv"), {TARGET}
    if name == "surname_typos":
        pacsv.write_csv(_surname_typos(rows(source, size)), path.with_suffix(".csv"))
        return path.with_suffix(".csv"), {TARGET}
    raise ValueError(name)


ATTACKS = ["subset", "drop_columns", "resort_reencode", "mix_two", "normalise_channels",
           "surname_typos"]


def _null_check(leak_path: Path, engine, master, registry=None) -> dict:
    """1,000 innocent leaks weighed against every export, through evaluate_export."""
    from vigie.trace.attribution import LeakReading, evaluate_export, read_leak
    from vigie.trace.keys import export_key
    from vigie.trace.manifest import load_canaries, load_exports, memberships
    started = time.perf_counter()
    full = read_leak(str(leak_path), engine, master, registry)
    persons = sorted(full.linked_rows)
    entries = load_exports(engine)
    held = memberships(engine, set(persons))
    keys = {e.seq: export_key(master, e.export_id) for e in entries}
    canaries = {e.seq: set(load_canaries(engine, e.seq)) for e in entries}
    rng = np.random.default_rng(99)
    named = 0
    best = 0.0
    for trial in range(NULL_TRIALS):
        chosen = rng.choice(len(persons), NULL_LEAK_ROWS, replace=False)
        reading = LeakReading(rows=NULL_LEAK_ROWS)
        for index in chosen:
            person = persons[index]
            reading.linked_rows[person] = 1
            reading.matched_families[person] = full.matched_families[person]
            for channel in ("phone", "address", "email"):
                seen = full.observations.get((person, channel))
                if seen:
                    reading.observations[(person, channel)] = (
                        {int(rng.integers(2))} if trial % 2 else set(seen))
        observed = reading.observed()
        for entry in entries:
            evidence = evaluate_export(reading, entry, held, canaries[entry.seq],
                                       keys[entry.seq], len(entries), observed)
            best = min(best, evidence.log10_p_false)
            named += evidence.log10_p_false <= -6
    return {"trials": NULL_TRIALS, "leak_rows": NULL_LEAK_ROWS, "exports_each": len(entries),
            "false_attributions": named, "smallest_log10_p_false": round(best, 3),
            "rows_read": full.rows, "rows_reidentified": sum(full.linked_rows.values()),
            "rows_by_registry_linkage": full.linked_by_registry,
            "seconds": round(time.perf_counter() - started, 1)}


def main(out_dir: Path) -> dict:
    import os
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench_trace_", dir=out_dir))
    os.environ["VIGIE_HOME"] = str(work / "home")
    os.environ.pop("VIGIE_MASTER_KEY", None)
    from vigie.trace import ExportOptions, export_source, open_manifest, trace_leak
    from vigie.trace.keys import master_key
    from vigie.trace.relink import RegistryRef

    started = time.perf_counter()
    registry_path = _registry(work)
    registry = pq.read_table(registry_path)
    reference = RegistryRef(str(registry_path), "patient_id")
    rng = np.random.default_rng(1)
    results, export_tables, export_seconds, rejected = [], [], [], []
    for index in range(RECIPIENTS):
        chosen = np.sort(rng.choice(REGISTRY_SIZE, int(REGISTRY_SIZE * SHARE), replace=False))
        subset = work / f"subset_{index}.parquet"
        pq.write_table(registry.take(chosen), subset)
        begin = time.perf_counter()
        result = export_source(str(subset), id_column="patient_id", recipient=f"R{index:02d}",
                               purpose="bench", out=work / f"export_{index}.csv",
                               options=ExportOptions(registry=reference))
        export_seconds.append(time.perf_counter() - begin)
        rejected.append(result.canaries_rejected)
        results.append(result)
        export_tables.append(pacsv.read_csv(work / f"export_{index}.csv",
                                            convert_options=pacsv.ConvertOptions(
                                                column_types={c: pa.string() for c in COLUMNS})))
    begin = time.perf_counter()
    pacsv.read_csv(work / "export_0.csv")
    baseline_read = time.perf_counter() - begin

    attacks = {}
    trace_seconds = {}
    for attack in ATTACKS:
        outcomes = {}
        sizes = TYPO_SIZES if attack == "surname_typos" else SIZES
        for size in sizes:
            trials = 2 if size <= 2_000 else 1
            ok = True
            for trial in range(trials):
                path, truth = _attack(attack, export_tables, size, np.random.default_rng(
                    size * 10 + trial), work)
                begin = time.perf_counter()
                traced = trace_leak(str(path), registry=reference
                                    if attack == "surname_typos" else None)
                trace_seconds[f"{attack}/{size}"] = round(time.perf_counter() - begin, 2)
                named = {e.export_id for e in traced.attributions}
                ok &= named == {results[i].export_id for i in truth}
                path.unlink()
            outcomes[size] = ok
        working = [s for s in sizes if all(outcomes[t] for t in sizes if t >= s)]
        attacks[attack] = {"smallest_working_rows": working[0] if working else None,
                           "by_size": outcomes}
    engine = open_manifest()
    null = _null_check(registry_path, engine, master_key())
    typo_rows = registry.take(np.sort(np.random.default_rng(5).choice(
        REGISTRY_SIZE, min(NULL_TYPO_ROWS, REGISTRY_SIZE), replace=False)))
    pacsv.write_csv(_surname_typos(typo_rows), work / "innocent_typos.csv")
    null_typos = _null_check(work / "innocent_typos.csv", engine, master_key(), reference)
    figures = {
        "registry": REGISTRY_SIZE, "recipients": RECIPIENTS,
        "export_rows_each": int(REGISTRY_SIZE * SHARE),
        "canaries_each": results[0].canaries,
        "canary_candidates_rejected_by_linkage": rejected,
        "export_seconds_mean": round(sum(export_seconds) / len(export_seconds), 2),
        "export_rows_per_s": round(int(REGISTRY_SIZE * SHARE) / (sum(export_seconds)
                                                                / len(export_seconds))),
        "baseline_pyarrow_read_export_s": round(baseline_read, 3),
        "attacks": attacks,
        "trace_seconds": trace_seconds,
        "null": null,
        "null_surname_typos_via_registry_linkage": null_typos,
        "elapsed_s": round(time.perf_counter() - started, 1),
        "linkage": "exact normalised keys (NIR; surname + first name + date of birth; e-mail); "
                   "surname_typos and its null check: the rest by registry linkage (Splink)",
    }
    (out_dir / "bench_trace.json").write_text(json.dumps(figures, indent=2) + "\n")
    shutil.rmtree(work)                  # ~0.5 GB of synthetic exports and their register
    return figures


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1] if len(sys.argv) > 1 else "bench-out")), indent=2))
