"""`vigie assess` on a 1 M-patient lab-semicolon export: time vs DuckDB's count(*), peak memory.

Figures, all measured in this run on the same file:
- `duckdb_count_s`: `SELECT count(*) FROM read_csv(...)` over the file (in this process;
  over a UTF-8 copy, DuckDB cannot read cp1252), the floor for anything that reads every
  byte;
- `duckdb_every_value_s`: DuckDB parsing every field of the same file (count(*) parses
  none; see bench/duckdb_floor.py), and `ratio_vs_every_value`;
- `assess_s`: wall time of the `vigie assess FILE --format json` child process (start-up
  and imports included), and `ratio` = assess_s / duckdb_count_s (goal <= 2);
- `assess_peak_rss_mb`: ru_maxrss of that child (goal <= 2048 MB);
- how far its person count is from the generator's ground truth.
The leak is generated once with `vigie synth leak` and reused when present
(VIGIE_BENCH_PATIENTS overrides the size for a quick try).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.duckdb_floor import count_rows, duckdb_readable, read_every_value

SHAPE = "lab-semicolon"
SEED = 1


def _vigie() -> list[str]:
    exe = Path(sys.executable).with_name("vigie")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "vigie.cli.app"]


def _leak(folder: Path, patients: int) -> tuple[Path, dict]:
    """The leak file and its truth, generated once."""
    truth_path = folder / "truth.json"
    if not truth_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(_vigie() + ["synth", "leak", "--shape", SHAPE, "--patients", str(patients),
                                   "--seed", str(SEED), "--out", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
    truth = json.loads(truth_path.read_text("utf-8"))
    return folder / truth["files"][0], truth


def _assess(path: Path, out: Path) -> tuple[float, int]:
    """Seconds and peak RSS (MB) of a `vigie assess` child process."""
    out.mkdir(parents=True, exist_ok=True)
    errors = out / "assess.stderr"
    started = time.perf_counter()
    with errors.open("wb") as err:
        child = subprocess.Popen(_vigie() + ["assess", str(path), "--out", str(out),
                                             "--format", "json"],
                                 stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"vigie assess failed: {errors.read_text()[-300:]}")
    return elapsed, usage.ru_maxrss // 1024


def main(out_dir: Path) -> dict:
    patients = int(os.environ.get("VIGIE_BENCH_PATIENTS", "1000000"))
    out_dir.mkdir(parents=True, exist_ok=True)
    leak_dir = out_dir.parent / "leaks" / f"{SHAPE}-{patients}"
    path, truth = _leak(leak_dir, patients)
    baseline_file, _ = duckdb_readable(path)
    rows, count_s = count_rows(baseline_file)
    _, every_s = read_every_value(baseline_file)
    assess_s, peak_mb = _assess(path, out_dir / "report")
    report = json.loads((out_dir / "report" / "assessment.json").read_text("utf-8"))
    found, expected = report["persons"]["distinct"], truth["persons"]["distinct"]
    return {
        "file": str(path), "bytes": path.stat().st_size, "rows": rows, "patients": patients,
        "duckdb_count_s": round(count_s, 2), "assess_s": round(assess_s, 2),
        "ratio": round(assess_s / count_s, 2), "ratio_goal": 2.0,
        "duckdb_every_value_s": round(every_s, 2),
        "ratio_vs_every_value": round(assess_s / every_s, 2),
        "assess_peak_rss_mb": peak_mb, "peak_goal_mb": 2048,
        "persons_found": found, "persons_truth": expected,
        "persons_error_pct": round(100 * abs(found - expected) / max(expected, 1), 3),
        "severity": report["severity"]["level"],
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1] if len(sys.argv) > 1 else "bench-out/bench_assess")),
                     indent=2))
