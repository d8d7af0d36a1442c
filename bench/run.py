"""Run every benchmark and write bench-out/results.json with the machine they ran on.

Each bench module exposes `main(out_dir: Path) -> dict` and reports its own figures,
always next to a baseline measured in the same run (DuckDB's raw scan, Presidio...).
Usage: `python -m bench.run [NAME ...]` (default: all, in the order below).
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

BENCHES = ["bench_sources", "bench_assess", "bench_freetext", "bench_febrl", "bench_link", "bench_trace"]


def machine() -> dict:
    """The machine the figures belong to."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1048576, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def main(argv: list[str]) -> int:
    names = argv or BENCHES
    out_dir = Path(os.environ.get("VIGIE_BENCH_OUT", "bench-out"))
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "benches": {}}
    failed = False
    for name in names:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            figures = importlib.import_module(f"bench.{name}").main(out_dir / name)
        except Exception as exc:  # a failing bench is reported, the others still run
            failed = True
            figures = {"error": f"{type(exc).__name__}: {exc}"}
        figures["bench_wall_s"] = round(time.perf_counter() - started, 1)
        results["benches"][name] = figures
        print(json.dumps(figures, indent=2, ensure_ascii=False), flush=True)
        (out_dir / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"results: {out_dir / 'results.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
