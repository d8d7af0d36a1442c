"""Free-text health mentions over whole columns, kept in DuckDB for the exposure counts.

The scanner is helper F's `vigie.detect.freetext.scan_mentions` (Arrow kernels and hash
lookups, no Python loop per cell). Texts repeat a lot in an export, and their parts repeat
even more: a lab-results cell lists several results ("Hb 11,4 g/dL; CRP 30,2 mg/L"), so the
1 M-patient lab export holds 1.24 M distinct results cells but only 14 k distinct results.
Each column's distinct values are therefore cut into segments at the list separators ";"
and "|" (no lexicon term spans them: terms are words joined by spaces), the distinct
segments are streamed out of the workspace in bounded batches and scanned once (7.4 s for
the whole cells, 0.1 s for their segments), and a value's flags are the OR of its
segments'. The values that mention something are joined to the rows in SQL. The result is
one table `<table>_mentions(r, hiv, pregnancy, ...)` (only rows that mention something, OR
over the columns), which the exposure query joins to the persons. Polarity does not
matter: a negative HIV test still discloses that the test was done. Which columns are
scanned: `scans` (health kinds, and every other text column not confidently of a
non-health kind).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from vigie.kinds import MENTIONS

# Health kinds whose text is always scanned for mentions ("NFS|Sérologie VIH" is a lab_test
# list, "Toxo immunisée" a lab_result).
HEALTH_TEXT_KINDS = frozenset({"lab_test", "lab_result", "diagnosis", "medication",
                               "medical_free_text"})
# Below this confidence a column's kind is not sure enough to leave its text unread.
CONFIDENT = 0.6
BATCH_ROWS = 100_000


def scans(kind: str, confidence: float, text: bool, persons: bool) -> bool:
    """Is a column scanned for mentions: a health text kind always; any other column with
    letters in its sample unless it is confidently of a non-health kind (a name, a city, an
    e-mail, an id...), when its table's rows belong to persons. A column kept `none` (a
    comment, an appointment's label no recogniser named) can still say "enceinte" or "VIH"
    about the person of its row; a catalogue's labels ("Contrôle HbA1c") say it about
    nobody, and would only add a mention counted for no one."""
    if kind in HEALTH_TEXT_KINDS:
        return True
    return text and persons and (kind == "none" or confidence < CONFIDENT)


# Segments of a cell: the items of the lists it can hold, results ("Hb 11 g/dL; CRP 3 mg/L")
# and exam lists ("NFS|Sérologie VIH"). Not at newlines: a wrapped note can cut a term in
# two. Plain splits: twice as fast as one split on the regex [;|].
SEGMENTS_SQL = "trim(unnest(string_split(replace(v, '|', ';'), ';')))"


def _flag_distinct_values(con, sql_name: str, column: str, flags_table: str) -> None:
    """Create flags_table(v, <mention> bool...) for the distinct values that mention something."""
    segments, found = f"{flags_table}_segments", f"{flags_table}_found"
    mentions = ", ".join(f"{m} BOOLEAN" for m in MENTIONS)
    # Not a TEMP table: the streaming cursor below is another connection, which sees only
    # the database's tables.
    con.execute(f"""
        CREATE OR REPLACE TABLE {segments} AS
        SELECT v, {SEGMENTS_SQL} AS s
        FROM (SELECT DISTINCT {column} AS v FROM {sql_name} WHERE {column} IS NOT NULL)""")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {found} (s VARCHAR, {mentions})")
    _flag_distinct_segments(con, segments, found)
    ors = ", ".join(f"bool_or(f.{m}) AS {m}" for m in MENTIONS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {flags_table} AS
        SELECT g.v, {ors} FROM {segments} g JOIN {found} f USING (s) GROUP BY g.v""")
    con.execute(f"DROP TABLE {segments}")
    con.execute(f"DROP TABLE {found}")


def _flag_distinct_segments(con, segments: str, found: str) -> None:
    """Scan the distinct segments in bounded batches; insert those mentioning something."""
    from vigie.detect.freetext import scan_mentions

    # A second cursor streams while the first writes back (DuckDB refuses a query on a
    # connection whose result is still open).
    stream = con.cursor()
    try:
        reader = stream.sql(f"SELECT DISTINCT s FROM {segments} WHERE s <> ''"
                            ).to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            hits = scan_mentions(batch.column(0))
            any_hit = np.zeros(batch.num_rows, dtype=bool)
            for array in hits.values():
                any_hit |= array.to_numpy(zero_copy_only=False)
            if not any_hit.any():
                continue
            keep = pa.array(any_hit)
            flagged = pa.table({"s": batch.column(0).filter(keep),
                                **{m: hits[m].filter(keep) for m in MENTIONS}})
            con.register("vigie_found", flagged)
            try:
                con.execute(f"INSERT INTO {found} SELECT * FROM vigie_found")
            finally:
                con.unregister("vigie_found")
    finally:
        stream.close()


def scan_table(con, sql_name: str, columns: list[str]) -> tuple[str | None, dict[str, dict[str, int]]]:
    """Scan `columns` (SQL names) of `sql_name`; return the mentions table and row counts.

    The table (None when no column was given) has one row per row id with any mention,
    one boolean per mention (OR over the columns). Counts are {column: {mention: rows}}.
    """
    if not columns:
        return None, {}
    target = f"{sql_name}_mentions"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {target}_rows (col VARCHAR, r BIGINT, "
                + ", ".join(f"{m} BOOLEAN" for m in MENTIONS) + ")")
    for column in columns:
        flags = f"{sql_name}_{column}_flags"
        _flag_distinct_values(con, sql_name, column, flags)
        con.execute(f"INSERT INTO {target}_rows SELECT '{column}', t.rowid, "
                    + ", ".join(f"f.{m}" for m in MENTIONS)
                    + f" FROM {sql_name} t JOIN {flags} f ON t.{column} = f.v")
        con.execute(f"DROP TABLE {flags}")
    totals = ", ".join(f"count_if({m})" for m in MENTIONS)
    counts = {}
    for column, *per_mention in con.execute(
            f"SELECT col, {totals} FROM {target}_rows GROUP BY col").fetchall():
        counts[column] = {m: int(n) for m, n in zip(MENTIONS, per_mention) if n}
    ors = ", ".join(f"bool_or({m}) AS {m}" for m in MENTIONS)
    con.execute(f"CREATE OR REPLACE TABLE {target} AS "
                f"SELECT r, {ors} FROM {target}_rows GROUP BY r")
    con.execute(f"DROP TABLE {target}_rows")
    return target, counts
