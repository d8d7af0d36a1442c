"""Distinct persons across every table of a leak: rows that share any key are one person.

Each table contributes a keys table `(r, k_nir, k_name_dob, ...)` (see person_keys.py):
one row per source row, NULL where a key is unknown. Two rows belong to the same person
when they share a key, directly or through a chain (a visit row with a NIR and a name, an
account row with the same name and birth date but no NIR). That is connected components
over the rows-and-keys graph, computed in DuckDB by label propagation on the distinct key
tuples (far fewer than rows): each tuple takes the smallest label among its keys, each key
the smallest label among its tuples, until nothing changes (a couple of rounds on real
data; capped). Hand-written because DuckDB has no connected-components function and the
graph must stay in the database (millions of rows), not in Python.

The result is a table `persons_<t>(r, person)` per keys table, `person` a UBIGINT label.
"""

from __future__ import annotations

from vigie.assess.person_keys import KEY_COLUMNS

MAX_ROUNDS = 30


def resolve_persons(con, keys_tables: dict[str, str]) -> int:
    """Create `persons_table` for each `keys_table` in {keys_table: persons_table}.

    Returns the number of distinct persons across all of them.
    """
    if not keys_tables:
        return 0
    keys = ", ".join(KEY_COLUMNS)
    any_key = " OR ".join(f"{k} IS NOT NULL" for k in KEY_COLUMNS)
    union = " UNION ALL ".join(f"SELECT {keys} FROM {t}" for t in keys_tables)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE vigie_tuples AS
        SELECT row_number() OVER () AS tid, hash({keys}) AS th, *
        FROM (SELECT DISTINCT {keys} FROM ({union}) WHERE {any_key})""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE vigie_pairs AS
        SELECT tid, key FROM vigie_tuples UNPIVOT (key FOR key_type IN ({keys}))""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE vigie_labels AS
        SELECT tid, min(key) AS label FROM vigie_pairs GROUP BY tid""")
    for _ in range(MAX_ROUNDS):
        con.execute("""
            CREATE OR REPLACE TEMP TABLE vigie_key_labels AS
            SELECT p.key, min(l.label) AS label
            FROM vigie_pairs p JOIN vigie_labels l USING (tid) GROUP BY p.key""")
        con.execute("""
            CREATE OR REPLACE TEMP TABLE vigie_next_labels AS
            SELECT p.tid, min(k.label) AS label
            FROM vigie_pairs p JOIN vigie_key_labels k USING (key) GROUP BY p.tid""")
        changed = con.execute("""
            SELECT count(*) FROM vigie_next_labels n JOIN vigie_labels l USING (tid)
            WHERE n.label <> l.label""").fetchall()[0][0]
        con.execute("CREATE OR REPLACE TEMP TABLE vigie_labels AS SELECT * FROM vigie_next_labels")
        if not changed:
            break
    for keys_table, persons_table in keys_tables.items():
        # UNPIVOT drops NULL keys, so a tuple's hash is over the same NULL-padded columns.
        con.execute(f"""
            CREATE OR REPLACE TABLE {persons_table} AS
            SELECT k.r, l.label AS person
            FROM (SELECT r, hash({keys}) AS th FROM {keys_table} WHERE {any_key}) k
            JOIN vigie_tuples t USING (th) JOIN vigie_labels l USING (tid)""")
    distinct = con.execute("SELECT count(DISTINCT label) FROM vigie_labels").fetchall()[0][0]
    for name in ("vigie_tuples", "vigie_pairs", "vigie_labels", "vigie_key_labels",
                 "vigie_next_labels"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return int(distinct)
