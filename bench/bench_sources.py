"""Reading speed and memory of `vigie.sources` on a 1 M-patient lab export.

Generates (once) `vigie synth leak --shape lab-semicolon --patients 1000000` (a ';'
cp1252 .txt, one row per visit), then, each in a fresh child process so that peak
memory (ru_maxrss from wait4) belongs to that run alone:
  vigie          open_source + every record batch (transcoding, streaming; the strict
                 stream is what proves the layout regular, no count(*) at open)
  vigie_on_baseline_file   the same on the file the baselines read (no transcoding)
  duckdb_count   SELECT count(*) FROM read_csv(...)        (the baseline of the goal)
  duckdb_arrow   SELECT * FROM read_csv(...) as Arrow batches (DuckDB's own streaming)
  duckdb_every_value   DuckDB parsing every field (bench/duckdb_floor.py): count(*)
                 parses none, so streaming every value cannot come near it; this is
                 the floor of any reader on DuckDB
DuckDB cannot read Windows-1252 (its `encodings` extension is a download), so when
the export holds cp1252-only bytes the baselines read a UTF-8 copy of it: that copy is
what vigie reads too, after transcoding. Goal: vigie within 1.5x of duckdb_count, peak
memory < 1 GB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.duckdb_floor import count_rows, duckdb_readable, read_every_value

PATIENTS = 1_000_000


def _child(mode: str, path: str) -> dict:
    """Run one measurement in this (child) process and return its figures."""
    started = time.perf_counter()
    if mode == "vigie":
        from vigie.sources import open_source
        with open_source(path) as source:
            opened = time.perf_counter()
            rows = sum(b.num_rows for t in source.tables() for b in t.batches())
            return {"rows": rows, "open_s": round(opened - started, 2),
                    "stream_s": round(time.perf_counter() - opened, 2),
                    "total_s": round(time.perf_counter() - started, 2),
                    "encoding": source.info.encoding}
    if mode == "duckdb_count":
        rows, _ = count_rows(Path(path))
    elif mode == "duckdb_every_value":
        rows, _ = read_every_value(Path(path))
    else:
        import duckdb
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        literal = "'" + path.replace("'", "''") + "'"
        reader = con.sql(f"SELECT * FROM read_csv({literal}, all_varchar=true)").to_arrow_reader(65_536)
        rows = sum(b.num_rows for b in reader)
    return {"rows": rows, "total_s": round(time.perf_counter() - started, 2)}


def _measure(mode: str, path: Path) -> dict:
    proc = subprocess.Popen([sys.executable, "-m", "bench.bench_sources", "--child", mode,
                             str(path)], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{mode} run failed")
    figures = json.loads(out)
    figures["peak_rss_mb"] = round(usage.ru_maxrss / 1024)
    # CPU seconds (user + system, the child and the workers it waited for): unlike wall
    # time, barely moved by other load on the machine.
    figures["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
    figures["load_1min"] = round(os.getloadavg()[0], 1)
    return figures


def _leak(out_dir: Path) -> Path:
    leak_dir = out_dir / "leak"
    truth = leak_dir / "truth.json"
    if not truth.exists():
        vigie = Path(sys.executable).with_name("vigie")
        subprocess.run([str(vigie), "synth", "leak", "--shape", "lab-semicolon", "--patients",
                        str(PATIENTS), "--seed", "1", "--out", str(leak_dir)], check=True)
    return leak_dir / json.loads(truth.read_text())["files"][0]


def main(out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    leak = _leak(out_dir)
    baseline_file, baseline_note = duckdb_readable(leak)
    vigie = _measure("vigie", leak)
    vigie_utf8 = _measure("vigie", baseline_file) if baseline_file != leak else vigie
    count = _measure("duckdb_count", baseline_file)
    arrow = _measure("duckdb_arrow", baseline_file)
    every = _measure("duckdb_every_value", baseline_file)
    if not vigie["rows"] == count["rows"] == arrow["rows"] == every["rows"]:
        raise RuntimeError(f"row counts differ: {vigie['rows']}, {count['rows']}, "
                           f"{arrow['rows']}, {every['rows']}")
    ratio = vigie["total_s"] / max(count["total_s"], 1e-9)
    return {
        "input": {"patients": PATIENTS, "rows": vigie["rows"], "bytes": leak.stat().st_size,
                  "encoding": vigie["encoding"], "baseline_reads": baseline_note},
        "vigie": vigie, "vigie_on_baseline_file": vigie_utf8,
        "duckdb_count": count, "duckdb_arrow": arrow, "duckdb_every_value": every,
        "duckdb_every_value_vs_count": round(every["total_s"] / max(count["total_s"], 1e-9), 2),
        "ratio_on_baseline_file_vs_duckdb_arrow": round(
            vigie_utf8["total_s"] / max(arrow["total_s"], 1e-9), 2),
        "ratio_vs_duckdb_count": round(ratio, 2),
        "ratio_vs_duckdb_arrow": round(vigie["total_s"] / max(arrow["total_s"], 1e-9), 2),
        "cpu_ratio_vs_duckdb_count": round(vigie["cpu_s"] / max(count["cpu_s"], 1e-9), 2),
        "cpu_ratio_vs_duckdb_arrow": round(vigie["cpu_s"] / max(arrow["cpu_s"], 1e-9), 2),
        "goal": {"ratio_max": 1.5, "ratio_met": ratio <= 1.5,
                 "peak_mb_max": 1024, "peak_met": vigie["peak_rss_mb"] < 1024},
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3])))
    else:
        target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-out/bench_sources")
        print(json.dumps(main(target), indent=2))
