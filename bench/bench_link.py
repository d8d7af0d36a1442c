"""Registry linkage at scale: a 1 M-person registry x a 1 M-row damaged leak, 2 cores.

The pair is generated once (vigie.synth.population + vigie.synth.damage) and cached as
Parquet in out_dir. The linkage runs in a child process (`python -m bench.bench_link
--child DIR`) through the same calls as `vigie assess --registry` (standardise ->
link_leak_to_registry), so its peak memory is the child's ru_maxrss. Precision and recall
are per leak row against the generator's truth.

Baseline in the same run: DuckDB's plain scan of both Parquet files (the floor any
linkage pays). The 15 M x 15 M projection scales the measured candidate pairs: pairs from
blocking keys grow with registry x leak size, true pairs with the leak only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

REGISTRY_SIZE = 1_000_000
LEAK_PERSONS = 500_000          # ~1 M leak rows at 1-3 rows per person
STRANGER_SHARE = 0.1
MEMORY_LIMIT = "6GB"


def _prepare(out_dir: Path) -> dict:
    """Generate and cache the pair; returns generation timings (empty when cached)."""
    if (out_dir / "truth.parquet").exists():
        return {}
    from vigie.synth.damage import make_linkage_pair
    from vigie.synth.population import generate_population

    started = time.perf_counter()
    population = generate_population(REGISTRY_SIZE + round(LEAK_PERSONS * STRANGER_SHARE), seed=11)
    generated = time.perf_counter()
    pair = make_linkage_pair(population.patients, registry_size=REGISTRY_SIZE,
                             leak_persons=LEAK_PERSONS, stranger_share=STRANGER_SHARE, seed=12)
    damaged = time.perf_counter()
    pq.write_table(pair.registry, out_dir / "registry.parquet")
    pq.write_table(pair.leak, out_dir / "leak.parquet")
    truth = pa.table({"leak_row": list(pair.truth), "patient_id": list(pair.truth.values())})
    pq.write_table(truth, out_dir / "truth.parquet")
    (out_dir / "mappings.json").write_text(json.dumps(
        {"registry": pair.registry_mapping, "leak": pair.leak_mapping}))
    return {"population_s": round(generated - started, 1), "damage_s": round(damaged - generated, 1)}


def _child(out_dir: Path) -> dict:
    """The measured run: standardise both sides, link, score."""
    from vigie.link import link_leak_to_registry, standardise
    from vigie.link.evaluate import row_scores

    mappings = json.loads((out_dir / "mappings.json").read_text())
    started = time.perf_counter()
    con = duckdb.connect()
    registry = standardise(_reader(out_dir / "registry.parquet"), mappings["registry"],
                           id_column="patient_id", group_column="site", con=con, table_name="registry")
    leak = standardise(_reader(out_dir / "leak.parquet"), mappings["leak"], con=con, table_name="leak")
    standardised = time.perf_counter()
    result = link_leak_to_registry(leak, registry, memory_limit=MEMORY_LIMIT)
    elapsed = time.perf_counter() - started
    truth_table = pq.read_table(out_dir / "truth.parquet")
    truth = dict(zip(truth_table.column("leak_row").to_pylist(), truth_table.column("patient_id").to_pylist()))
    return {"standardise_s": round(standardised - started, 1), "link_s": result.timings,
            "total_s": round(elapsed, 1), "blocked_pairs": result.blocked_pairs,
            "candidate_pairs": result.candidate_pairs,
            "matched_persons": result.matched_persons,
            "unmatched_leak_persons": result.unmatched_leak_persons,
            "review_pairs": result.review.num_rows, **row_scores(result.rows, truth)}


def _reader(path: Path) -> pa.RecordBatchReader:
    parquet = pq.ParquetFile(path)
    return pa.RecordBatchReader.from_batches(parquet.schema_arrow, parquet.iter_batches(65_536))


def main(out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    figures: dict = {"registry_persons": REGISTRY_SIZE, "memory_limit": MEMORY_LIMIT}
    figures.update(_prepare(out_dir))
    figures["leak_rows"] = pq.ParquetFile(out_dir / "leak.parquet").metadata.num_rows
    started = time.perf_counter()
    duckdb.sql(f"SELECT count(*) FROM read_parquet(['{out_dir / 'registry.parquet'}', "
               f"'{out_dir / 'leak.parquet'}'], union_by_name = true)").fetchall()
    figures["baseline_duckdb_scan_s"] = round(time.perf_counter() - started, 2)
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix in earlier benches).
    with open(out_dir / "child.out", "w") as out, open(out_dir / "child.err", "w") as err:
        child = subprocess.Popen([sys.executable, "-m", "bench.bench_link", "--child", str(out_dir)],
                                 stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise RuntimeError(f"linkage child failed, see {out_dir / 'child.err'}")
    figures.update(json.loads((out_dir / "child.out").read_text().strip().splitlines()[-1]))
    figures["peak_rss_mb"] = round(usage.ru_maxrss / 1024)
    # CPU seconds of the child: on a shared machine wall time also counts other processes.
    figures["child_cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)
    figures["projection_15M_x_15M"] = _projection(figures)
    (out_dir / "figures.json").write_text(json.dumps(figures, indent=2))
    return figures


def _projection(figures: dict) -> dict:
    """15 M x 15 M from the measured run. Blocked pairs that are true matches grow with the
    leak (x15); the others with registry x leak (x225) since the blocking keys (date of birth
    and name prefixes, postcode) do not get more selective. Scoring cost per pair and the
    per-record costs (standardise, load, cluster, summarise) are taken from this run;
    training is sampled (fixed number of pairs) so it stays constant."""
    blocked = figures["blocked_pairs"]
    true_pairs = figures["true_positives"]
    pairs = max(blocked - true_pairs, 0) * 225 + true_pairs * 15
    link = figures["link_s"]
    per_pair = link["predict_s"] / max(blocked, 1)
    per_record = figures["standardise_s"] + link["load_s"] + link["cluster_s"] + link["summarise_s"]
    seconds = link["train_s"] + link["blocking_analysis_s"] + per_record * 15 + per_pair * pairs
    return {"blocked_pairs": int(pairs), "estimated_s": round(seconds)}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(Path(sys.argv[2]))))
    else:
        print(json.dumps(main(Path("bench-out/bench_link")), indent=2))
