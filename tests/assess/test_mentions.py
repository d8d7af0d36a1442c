"""Whole-column mention scanning in the workspace: distinct values in bounded batches."""

import duckdb
import pyarrow as pa

from vigie.assess import mentions


def test_scan_table_streams_distinct_values_and_joins_rows_back(monkeypatch):
    monkeypatch.setattr(mentions, "BATCH_ROWS", 2)      # several batches for 3 distinct notes
    con = duckdb.connect()
    cells = ["RAS", "VIH+ sous BIKTARVY", None, "Enceinte 12 SA", "RAS"] * 100
    con.register("notes_src", pa.table({"note": cells}))
    con.execute("CREATE TABLE notes AS SELECT * FROM notes_src")
    table, counts = mentions.scan_table(con, "notes", ["note"])
    rows = dict(con.execute(f"SELECT r, hiv FROM {table}").fetchall())
    assert len(rows) == 200                                # only rows with a mention
    assert sorted(r for r, hiv in rows.items() if hiv) == list(range(1, 500, 5))
    assert counts["note"]["hiv"] == 100 and counts["note"]["pregnancy"] == 100
    assert mentions.scan_table(con, "notes", []) == (None, {})
