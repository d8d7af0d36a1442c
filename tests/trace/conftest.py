"""A small simulation shared by the trace tests: a 4,000-patient synthetic registry and
five recipients, each exported an overlapping 1,500-patient subset in a different format."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
    exports: list                 # ExportResult per recipient, in order
    files: list[Path]


def read_any(path: Path) -> pa.Table:
    """A file through vigie.sources, every column as strings (what a leaker would get)."""
    from vigie.sources import open_source
    with open_source(str(path)) as source:
        table = next(iter(source.tables()))
        return pa.Table.from_batches(list(table.batches()))


@pytest.fixture(scope="module")
def simulation(tmp_path_factory) -> Simulation:
    home = tmp_path_factory.mktemp("vigie_trace_home")
    previous = os.environ.get("VIGIE_HOME")
    os.environ["VIGIE_HOME"] = str(home)
    os.environ.pop("VIGIE_MASTER_KEY", None)
    from vigie.trace import export_source

    patients = generate_population(4000, 20261125).patients.select(EXPORTED_COLUMNS)
    patients = pa.table({c: patients.column(c).cast(pa.string()) for c in EXPORTED_COLUMNS})
    registry_path = home / "registry.csv"
    pacsv.write_csv(patients, registry_path)
    rng = np.random.default_rng(5)
    exports, files = [], []
    for index, fmt in enumerate(FORMATS):
        chosen = np.sort(rng.choice(patients.num_rows, size=1500, replace=False))
        subset_path = home / f"subset_{index}.csv"
        pacsv.write_csv(patients.take(chosen), subset_path)
        out = home / f"export_{index}.{fmt}"
        exports.append(export_source(str(subset_path), id_column="patient_id",
                                     recipient=f"Recipient {index}", purpose="simulation",
                                     out=out))
        files.append(out)
    yield Simulation(home, patients, registry_path, exports, files)
    if previous is None:
        os.environ.pop("VIGIE_HOME", None)
    else:
        os.environ["VIGIE_HOME"] = previous
