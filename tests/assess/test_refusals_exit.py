"""A refused input ends the process, every time: one error line, exit 1, within a bound,
and nothing of it left running (no worker, no thread keeping the process alive).

Each refusal path runs many times through the real `vigie` command, two at a time, each
in a process group of its own: a hang shows as a timeout, an abort as a signal exit code
or a "Fatal Python error" line, a leftover as a live process of the group after the exit.
The reference lists load in a thread at start-up and DuckDB runs its own threads, so the
paths refuse at different moments of that: at once (binary), mid-stream after a big table
was loaded (truncated COPY block, wrong INSERT width), after a parallel cp1252 transcode
(worker process), inside an archive, and while linking a registry.
"""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

VIGIE = str(Path(sys.executable).with_name("vigie"))
BOUND_S = 60          # a refusal takes about a second; a hang is what this bound catches
# multiprocessing's resource tracker (started with the transcode worker) notices its
# parent's exit and ends a few milliseconds later: a process still there after this
# grace is left running.
GRACE_S = 5


def _group_alive(pgid: int) -> list[int]:
    """Pids of the group that are still running (zombies aside)."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            alive.append(int(entry))
    return alive


def run_refusal(args: list[str], cwd: Path, env: dict) -> tuple[int | None, str, list[int]]:
    """(exit code or None on a hang, stderr, live pids of its group after the exit)."""
    proc = subprocess.Popen([VIGIE, *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=BOUND_S)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        code, err = None, b""
    deadline = time.monotonic() + GRACE_S
    while (left := _group_alive(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    if code is None or left:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return code, err.decode("utf-8", "replace"), left


def assert_clean_refusals(args: list[str], times: int, cwd: Path, expected: str) -> None:
    env = {**os.environ, "VIGIE_HOME": str(cwd / "home")}
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: run_refusal(args, cwd, env), range(times)))
    hangs = sum(code is None for code, _, _ in results)
    others = [(code, err[-300:]) for code, err, _ in results if code not in (None, 1)]
    leftovers = sum(bool(left) for _, _, left in results)
    assert (hangs, others, leftovers) == (0, [], 0), f"{args[1]}: {hangs} hangs, " \
        f"{leftovers} with processes left, other exits {others[:3]}"
    for _, err, _ in results:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("vigie: error: "), err[-500:]
        assert expected in lines[0], lines[0]
        assert "Fatal Python error" not in err and "terminate called" not in err


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> Path:
    """A folder of inputs Vigie must refuse, one per path."""
    folder = tmp_path_factory.mktemp("refused")
    (folder / "binary.dump").write_bytes(b"PGDMP\x01\x0e\x00" + bytes(range(256)) * 64)
    rows = "".join(f"{i}\tDUPONT\tJean\t1984-03-{i % 28 + 1:02d}\n" for i in range(200_000))
    (folder / "truncated.sql").write_text(
        "SET client_encoding = 'UTF8';\n"
        "CREATE TABLE public.patients (id integer, nom text, prenom text, ddn date);\n"
        "COPY public.patients (id, nom, prenom, ddn) FROM stdin;\n" + rows + "\\.\n"
        "CREATE TABLE public.analyses (id integer, examen text);\n"
        "COPY public.analyses (id, examen) FROM stdin;\n1\tNFS\n2\tCRP\n", encoding="utf-8")
    (folder / "width.sql").write_text(
        "CREATE TABLE `patients` (`id` int, `nom` varchar(40));\n"
        + "INSERT INTO `patients` VALUES " + ",".join(f"({i},'N{i}')" for i in range(50_000))
        + ";\nINSERT INTO `patients` VALUES (1,'DUPONT','en trop');\n", encoding="utf-8")
    # At least textfile.PARALLEL_MIN_BYTES of cp1252, so the transcode runs in two
    # processes, with a line over the limit near the end.
    line = "DUPONT;Éloïse;12/03/1984;œuvre – “note” €\r\n".encode("cp1252")
    with open(folder / "big1252.csv", "wb") as fh:
        fh.write(b"NOM;PRENOM;DDN;NOTE\r\n")
        fh.write(line * ((66 << 20) // len(line)))
        fh.write(b"X" * (3 << 20) + b"\r\n" + line)
    with zipfile.ZipFile(folder / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("patients.csv", "nom;prenom\n" + "A;B\n" * 5_000_000)
    with gzip.open(folder / "leak.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("nom;prenom;ddn\n" + "".join(f"DUPONT{i};Jean;12/03/1984\n" for i in range(2_000)))
    (folder / "registry.bin").write_bytes(bytes(range(256)) * 64)
    return folder


QUICK_PATHS = [
    (["assess", "binary.dump", "--out", "o"], "binary data"),
    (["assess", "truncated.sql", "--out", "o"], "line"),
    (["assess", "width.sql", "--out", "o"], "line"),
    (["assess", "bomb.zip", "--out", "o"], "compression ratio"),
    (["inspect", "binary.dump"], "binary data"),
]


@pytest.mark.parametrize("args, expected", QUICK_PATHS, ids=lambda v: str(v)[:24])
def test_each_refusal_exits_cleanly_every_time(refused, args, expected):
    assert_clean_refusals(args, 20, refused, expected)


def test_refusal_after_a_parallel_transcode_exits_cleanly(refused):
    assert_clean_refusals(["assess", "big1252.csv", "--out", "o"], 10, refused,
                          "longer than")


def test_refused_registry_while_linking_exits_cleanly(refused):
    assert_clean_refusals(["assess", "leak.csv.gz", "--out", "o", "--registry",
                           "registry.bin", "--registry-id", "id"], 10, refused, "registry.bin")


def test_assess_leaves_no_thread_behind_a_refusal(refused):
    """The mechanism behind the clean exits: the reference-data thread started with the
    run has ended by the time the refusal reaches the caller."""
    from vigie.assess.engine import assess
    from vigie.errors import InputError

    with pytest.raises(InputError):
        assess([str(refused / "binary.dump")])
    assert [t.name for t in threading.enumerate() if t.name == "vigie-reference-data"] == []
