"""Free-text health mentions over whole columns, kept in DuckDB for the exposure counts.

The scanner is helper F's `vigie.detect.freetext.scan_mentions` (Arrow kernels and hash
lookups, no Python loop per cell). This module streams each health text column out of the
workspace in bounded record batches together with the row ids, scans them, and writes back
only the rows that mention something into `<table>_mentions(r, hiv, pregnancy, ...)`, which
the exposure query joins to the persons. Polarity does not matter: a negative HIV test
still discloses that the test was done.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from vigie.kinds import MENTIONS

# Column kinds whose text is scanned for mentions ("NFS|Sérologie VIH" is a lab_test list).
SCANNED_KINDS = frozenset({"lab_test", "lab_result", "diagnosis", "medication",
                           "medical_free_text"})
BATCH_ROWS = 200_000


def scan_table(con, sql_name: str, columns: list[str]) -> tuple[str | None, dict[str, dict[str, int]]]:
    """Scan `columns` (SQL names) of `sql_name`; return the mentions table and row counts.

    The table (None when no column was given) has one row per row id with any mention,
    one boolean per mention (OR over the columns). Counts are {column: {mention: rows}}.
    """
    if not columns:
        return None, {}
    from vigie.detect.freetext import scan_mentions

    target = f"{sql_name}_mentions"
    flags = ", ".join(f"{m} BOOLEAN" for m in MENTIONS)
    con.execute(f"CREATE OR REPLACE TABLE {target}_rows (r BIGINT, {flags})")
    counts: dict[str, dict[str, int]] = {}
    # A second cursor streams the column while the first writes the hits back (DuckDB
    # refuses a query on a connection whose result is still open).
    stream = con.cursor()
    for column in columns:
        per_mention = dict.fromkeys(MENTIONS, 0)
        reader = stream.sql(f"SELECT rowid AS r, {column} AS v FROM {sql_name} "
                            f"WHERE {column} IS NOT NULL").to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            hits = scan_mentions(batch.column(1))
            any_hit = np.zeros(batch.num_rows, dtype=bool)
            for mention, array in hits.items():
                mask = array.to_numpy(zero_copy_only=False)
                per_mention[mention] += int(mask.sum())
                any_hit |= mask
            if not any_hit.any():
                continue
            keep = pa.array(any_hit)
            found = pa.table({"r": batch.column(0).filter(keep),
                              **{m: hits[m].filter(keep) for m in MENTIONS}})
            con.register("vigie_found", found)
            try:
                con.execute(f"INSERT INTO {target}_rows SELECT * FROM vigie_found")
            finally:
                con.unregister("vigie_found")
        counts[column] = {m: n for m, n in per_mention.items() if n}
    stream.close()
    ors = ", ".join(f"bool_or({m}) AS {m}" for m in MENTIONS)
    con.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT r, {ors} FROM {target}_rows GROUP BY r")
    con.execute(f"DROP TABLE {target}_rows")
    return target, counts
