"""Distinct persons across every table of a leak: the NIR first, then shared secondary keys.

Each table contributes a keys table `(r, k_nir, k_name_dob, ...)` (see person_keys.py):
one row per source row, NULL where a key is unknown. Persons are told apart in three steps,
all in DuckDB over the distinct key tuples (far fewer than rows):

1. a row with a valid NIR belongs to that NIR's person: two different NIRs are never
   merged, even when the names and birth dates agree (namesakes born the same day are
   common in a million patients);
2. a row without a NIR joins the NIR person with whom it shares a secondary key (name +
   date of birth, name + e-mail, ...), the strongest key first;
3. the remaining rows are grouped by connected components over their secondary keys:
   rows sharing any key, directly or through a chain, are one person. Computed by label
   propagation (each tuple takes the smallest label of its keys, each key the smallest
   label of its tuples, until nothing changes; capped).

Hand-written because DuckDB has no connected-components function and the graph must stay
in the database (millions of rows), not in Python. The result is a table
`persons_<t>(r, person)` per keys table, `person` a UBIGINT label.
"""

from __future__ import annotations

from vigie.assess.person_keys import KEY_COLUMNS

MAX_ROUNDS = 30
SECONDARY = KEY_COLUMNS[1:]          # strongest first: the order of KEY_COLUMNS


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
    strength = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(SECONDARY))
    secondary = ", ".join(SECONDARY)
    # Secondary keys of every tuple, with their strength (0 = strongest).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE vigie_pairs AS
        SELECT tid, k_nir, key, CASE key_type {strength} END AS strength
        FROM vigie_tuples UNPIVOT (key FOR key_type IN ({secondary}))""")
    # Step 1-2: the NIR of each tuple, else the NIR reached through its strongest shared key
    # (only the keys of NIR-less tuples are looked up: in most leaks nearly every row has a NIR).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE vigie_key_nir AS
        SELECT p.key, min(p.k_nir) AS nir FROM vigie_pairs p
        SEMI JOIN (SELECT key FROM vigie_pairs WHERE k_nir IS NULL) wanted USING (key)
        WHERE p.k_nir IS NOT NULL GROUP BY p.key""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE vigie_labels AS
        SELECT tid, k_nir AS label FROM vigie_tuples WHERE k_nir IS NOT NULL
        UNION ALL
        SELECT p.tid, arg_min(n.nir, p.strength) AS label
        FROM vigie_pairs p JOIN vigie_key_nir n USING (key)
        WHERE p.k_nir IS NULL GROUP BY p.tid""")
    # Step 3: components among the tuples still without a label.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE vigie_free AS
        SELECT p.tid, p.key FROM vigie_pairs p ANTI JOIN vigie_labels l USING (tid)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE vigie_free_labels AS
        SELECT tid, min(key) AS label FROM vigie_free GROUP BY tid""")
    for _ in range(MAX_ROUNDS):
        con.execute("""
            CREATE OR REPLACE TEMP TABLE vigie_key_labels AS
            SELECT f.key, min(l.label) AS label
            FROM vigie_free f JOIN vigie_free_labels l USING (tid) GROUP BY f.key""")
        con.execute("""
            CREATE OR REPLACE TEMP TABLE vigie_next_labels AS
            SELECT f.tid, min(k.label) AS label
            FROM vigie_free f JOIN vigie_key_labels k USING (key) GROUP BY f.tid""")
        changed = con.execute("""
            SELECT count(*) FROM vigie_next_labels n JOIN vigie_free_labels l USING (tid)
            WHERE n.label <> l.label""").fetchall()[0][0]
        con.execute("CREATE OR REPLACE TEMP TABLE vigie_free_labels AS "
                    "SELECT * FROM vigie_next_labels")
        if not changed:
            break
    con.execute("INSERT INTO vigie_labels SELECT tid, label FROM vigie_free_labels")
    # A row with a NIR is that NIR's person (step 1): no lookup of its tuple needed.
    for keys_table, persons_table in keys_tables.items():
        con.execute(f"""
            CREATE OR REPLACE TABLE {persons_table} AS
            SELECT r, k_nir AS person FROM {keys_table} WHERE k_nir IS NOT NULL
            UNION ALL
            SELECT k.r, l.label AS person
            FROM (SELECT r, hash({keys}) AS th FROM {keys_table}
                  WHERE k_nir IS NULL AND ({any_key})) k
            JOIN vigie_tuples t USING (th) JOIN vigie_labels l USING (tid)""")
    distinct = con.execute("SELECT count(DISTINCT label) FROM vigie_labels").fetchall()[0][0]
    for name in ("vigie_tuples", "vigie_pairs", "vigie_key_nir", "vigie_labels", "vigie_free",
                 "vigie_free_labels", "vigie_key_labels", "vigie_next_labels"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return int(distinct)
