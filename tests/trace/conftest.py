"""A small simulation shared by the trace tests: a 4,000-patient synthetic registry and
five recipients, each exported an overlapping 1,500-patient subset in a different format."""

from __future__ import annotations

import fcntl
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from vigie.synth.population import generate_population

EXPORTED_COLUMNS = ["patient_id", "sex", "first_name", "last_name", "birth_name",
                    "date_of_birth", "nir", "address", "postcode", "city", "phone", "email",
                    "blood_group", "physician"]
FORMATS = ["csv", "xlsx", "jsonl", "parquet", "csv"]


@dataclass
class Simulation:
    home: Path
    registry: pa.Table            # the source, as strings
    registry_path: Path
    exports: list                 # per recipient: export_id, canaries, key_id, file_sha256
    files: list[Path]


def read_any(path: Path) -> pa.Table:
    """A file through vigie.sources, every column as strings (what a leaker would get)."""
    from vigie.sources import open_source
    with open_source(str(path)) as source:
        table = next(iter(source.tables()))
        return pa.Table.from_batches(list(table.batches()))


def assert_same_meaning(row: dict, original: dict) -> None:
    """Every value of an exported row equals its source's, after the channel's
    normalisation in marked columns (empty text and null count as the same)."""
    from vigie.trace.channels import CHANNELS
    for column, value in row.items():
        channel = CHANNELS.get(column)
        if channel and value:
            assert channel.normalise(value) == channel.normalise(original[column]), column
        elif value != original[column]:
            assert value in ("", None) and original[column] in ("", None), column


def _build(home: Path) -> None:
    """Write the registry, the five subsets and their exports under `home` (once)."""
    from vigie.trace import export_source

    patients = generate_population(4000, 20261125).patients.select(EXPORTED_COLUMNS)
    patients = pa.table({c: patients.column(c).cast(pa.string()) for c in EXPORTED_COLUMNS})
    pacsv.write_csv(patients, home / "registry.csv")
    rng = np.random.default_rng(5)
    done = []
    for index, fmt in enumerate(FORMATS):
        chosen = np.sort(rng.choice(patients.num_rows, size=1500, replace=False))
        subset_path = home / f"subset_{index}.csv"
        pacsv.write_csv(patients.take(chosen), subset_path)
        result = export_source(str(subset_path), id_column="patient_id",
                               recipient=f"Recipient {index}", purpose="simulation",
                               out=home / f"export_{index}.{fmt}")
        done.append({"export_id": result.export_id, "canaries": result.canaries,
                     "key_id": result.key_id, "file_sha256": result.file_sha256,
                     "file": result.path.name})
    (home / "exports.json").write_text(json.dumps(done))


@pytest.fixture(scope="session")
def shared_simulation(tmp_path_factory) -> Simulation:
    """Built once per test run, even across pytest-xdist workers (a file lock guards it);
    the tests only read it (the register tampering test works on a copy)."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")     # same for every worker of a run
    if run_id:
        shared = tmp_path_factory.getbasetemp().parent / f"vigie_trace_simulation_{run_id}"
    else:
        shared = tmp_path_factory.getbasetemp() / "vigie_trace_simulation"
    shared.mkdir(exist_ok=True)
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "exports.json").exists():
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("VIGIE_HOME", str(shared))
                patch.delenv("VIGIE_MASTER_KEY", raising=False)
                _build(shared)
    exports = [SimpleNamespace(**item) for item in json.loads((shared / "exports.json").read_text())]
    registry = pacsv.read_csv(shared / "registry.csv", convert_options=pacsv.ConvertOptions(
        column_types={c: pa.string() for c in EXPORTED_COLUMNS}))
    return Simulation(shared, registry, shared / "registry.csv", exports,
                      [shared / item.file for item in exports])


@pytest.fixture
def simulation(shared_simulation, monkeypatch) -> Simulation:
    """The shared simulation, with VIGIE_HOME pointing at its register for this test."""
    monkeypatch.setenv("VIGIE_HOME", str(shared_simulation.home))
    monkeypatch.delenv("VIGIE_MASTER_KEY", raising=False)
    return shared_simulation


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(monkeypatch, capsys):
    """Run `vigie ARGS` in this process (the real entry point: error lines, exit codes),
    with VIGIE_HOME at `home` and the master key read from there."""
    from vigie.cli.app import main

    def invoke(args: list[str], home: Path) -> Done:
        monkeypatch.setenv("VIGIE_HOME", str(home))
        monkeypatch.delenv("VIGIE_MASTER_KEY", raising=False)
        monkeypatch.chdir(home)
        monkeypatch.setattr(sys, "argv", ["vigie", *args])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as stop:
            code = stop.code or 0
        out = capsys.readouterr()
        return Done(code, out.out, out.err)
    return invoke
