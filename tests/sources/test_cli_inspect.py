"""`vigie inspect` end to end: output shape, exit codes, error lines, no values printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

VIGIE = str(Path(sys.executable).with_name("vigie"))
SECRET = "184057512345637"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([VIGIE, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def write_leak(tmp_path: Path) -> Path:
    path = tmp_path / "leak.txt"
    path.write_bytes(f"NOM;NSS;MAIL\r\nLEFÈVRE;{SECRET};zoe@example.org\r\nŒRTEL;{SECRET};"
                     "noel@example.org\r\n".encode("cp1252"))
    return path


def test_inspect_json_document(tmp_path):
    path = write_leak(tmp_path)
    result = run("inspect", str(path), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {"source", "tables"}
    assert doc["source"] == {"path": str(path), "format": "csv", "encoding": "cp1252",
                             "delimiter": ";", "bytes": path.stat().st_size, "header": True}
    assert doc["tables"] == [{"name": "leak", "rows": 2, "columns": [
        {"name": "NOM", "position": 0}, {"name": "NSS", "position": 1},
        {"name": "MAIL", "position": 2}]}]


def test_inspect_text_shows_structure_not_values(tmp_path):
    path = write_leak(tmp_path)
    result = run("inspect", str(path))
    assert result.returncode == 0, result.stderr
    assert "format csv" in result.stdout and "encoding cp1252" in result.stdout
    assert "table leak: 2 rows, 3 columns" in result.stdout
    for value in (SECRET, "LEFÈVRE", "zoe@example.org"):
        assert value not in result.stdout + result.stderr


def test_exit_codes_and_error_line(tmp_path):
    assert run("inspect").returncode == 2
    assert run("inspect", str(tmp_path / "x.csv"), "--no-such-flag").returncode == 2
    missing = run("inspect", str(tmp_path / "absent.csv"))
    assert missing.returncode == 1
    assert missing.stderr.startswith(f"vigie: error: {tmp_path / 'absent.csv'}: ")
    bad = tmp_path / "bad.ndjson"
    bad.write_text(f'{{"nss": "{SECRET}"}}\n{{"nss": "{SECRET}"\n{{"a": 1}}\n')
    result = run("inspect", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip() == f"vigie: error: {bad}: line 3: malformed JSON"
    assert "Traceback" not in result.stderr


def test_64mb_line_fails_fast_in_bounded_memory(tmp_path):
    """A 1 GB line, scaled down: 64 MB of delimiters with the line limit lowered to 1 MiB."""
    path = tmp_path / "oneline.csv"
    with open(path, "wb") as fh:
        fh.write(b"a;b\n1;2\n")
        block = b"9;" * (1 << 19)
        for _ in range(64):
            fh.write(block)
        fh.write(b"\n")
    # Measured from a small intermediate interpreter: a child forked straight from this
    # (large) pytest worker would count the worker's pages in its own peak RSS.
    probe = ("import resource, subprocess, sys; "
             "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "sys.stderr.write(done.stderr); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
             "sys.exit(done.returncode)")
    result = subprocess.run([sys.executable, "-c", probe, VIGIE, "inspect", str(path)],
                            capture_output=True, text=True,
                            env={**os.environ, "VIGIE_MAX_LINE_BYTES": str(1 << 20)})
    stderr, peak_kib = result.stderr, int(result.stdout.strip())
    assert result.returncode == 1
    assert stderr.startswith(f"vigie: error: {path}: line 3: line longer than 1048576 bytes")
    assert peak_kib < 400 * 1024   # KiB: far below the size of the line
