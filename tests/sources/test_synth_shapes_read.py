"""Every leak shape `vigie synth leak` writes reads back with the truth's tables, columns, rows."""

from __future__ import annotations

import pytest

from vigie.sources import open_source
from vigie.synth.leaks import SHAPES
from vigie.synth.leaks.base import write_leak
from vigie.synth.population import generate_population

DUMP_SHAPES = {"mysqldump", "pgdump"}   # written by the real local database servers


@pytest.fixture(scope="module")
def population():
    return generate_population(250, seed=11)


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.db) if n in DUMP_SHAPES else n for n in sorted(SHAPES)])
def test_shape_reads_as_its_truth(name, population, tmp_path):
    written = write_leak(name, population, tmp_path, seed=5)
    truth = written.truth
    target = written.files[0] if len(written.files) == 1 else tmp_path
    with open_source(str(target)) as source:
        got = {t.name: (t.count_rows(), t.columns) for t in source.tables()}
        assert source.info.format == truth["format"]
    want = {t["name"]: (t["rows"], [c["name"] for c in sorted(t["columns"],
                                                             key=lambda c: c["position"])])
            for t in truth["tables"]}
    assert got == want
