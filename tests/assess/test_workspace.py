"""The assessment workspace's copy of a table: trimmed text, blanks as NULL, both load paths."""

import pyarrow as pa
import pytest

from vigie.assess.workspace import Workspace
from vigie.sources.base import Table

CELLS = ["  DUPONT ", "MARTIN", "", "   ", None, "JEAN  PIERRE", " x", "y "]
EXPECTED = ["DUPONT", "MARTIN", None, None, None, "JEAN  PIERRE", "x", "y"]


def _table(path=None) -> Table:
    batch = pa.record_batch({"nom": pa.array(CELLS, pa.string()),
                             "age": pa.array([30, None, 41, 2, 7, 8, 9, 10], pa.int64())})
    return Table("patients", ["nom", "age"], lambda: iter([batch]),
                 duckdb_sql=None if path is None else f"read_parquet('{path}')")


@pytest.mark.parametrize("through", ["batches", "duckdb"])
def test_cells_are_trimmed_blank_is_null_and_inner_spaces_stay(tmp_path, through):
    import pyarrow.parquet as pq

    path = None
    if through == "duckdb":
        path = tmp_path / "patients.parquet"
        pq.write_table(pa.Table.from_batches(list(_table().batches())), path)
    with Workspace(keep_row_order=True) as ws:
        assert ws.load(_table(path), "t0") == len(CELLS)
        rows = ws.con.execute("SELECT c0, c1, typeof(c1) FROM t0 ORDER BY rowid").fetchall()
    assert [r[0] for r in rows] == EXPECTED
    assert [r[1] for r in rows] == ["30", None, "41", "2", "7", "8", "9", "10"]
    assert rows[0][2] == "VARCHAR"
