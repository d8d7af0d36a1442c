"""The leak's person rows for linkage, taken from the assessment's own workspace.

Linking needs, per leak row, the identity traits (to find the registry patient) and what
leaked about that person (to tell them). Re-reading the leak table by table would only
see a row's own columns: a patient whose HIV result sits in `visits` (tied to `patients`
through `patient_id`) or whose note says "VIH+" would not be told. The assessment already
knows all of it: its persons tables tie every row of every table to a person, and
`person_exposure` says, per person, which kinds and health mentions leaked. So, while the
workspace is open (`assess(..., inspect=...)`), each table that holds identity traits is
streamed once into the linkage connection with, per row, the kinds leaked about its
person anywhere in the leak. Row ids are 1-based data row numbers (the workspace keeps
the input order when asked), prefixed by the table name when the leak has several.
"""

from __future__ import annotations

import duckdb

from vigie.errors import UsageError
from vigie.kinds import KIND_CATEGORY
from vigie.link.standardise import standardise
from vigie.sources.duckscan import quote_literal

# A leak table is linkable when it holds at least one of these person traits.
LINKING_KINDS = frozenset({"nir", "last_name", "first_name", "birth_name", "full_name",
                           "date_of_birth", "phone", "email"})
PERSON_KINDS_TABLE = "vigie_person_kinds"
_ROW = "__vigie_row_id"
_KINDS = "__vigie_person_kinds"


def _person_kinds(ws: duckdb.DuckDBPyConnection, loaded) -> bool:
    """Create PERSON_KINDS_TABLE(person, kinds VARCHAR[]) in the workspace; False when no
    table ties rows to persons."""
    from vigie.assess.engine import person_exposure

    exposed, per_person = person_exposure(loaded)
    if per_person is None:
        return False
    kinds = ", ".join(f"CASE WHEN {k} THEN '{k}' END" for k in exposed)
    ws.execute(f"CREATE OR REPLACE TABLE {PERSON_KINDS_TABLE} AS "
               f"SELECT person, list_filter([{kinds}], lambda k: k IS NOT NULL) AS kinds "
               f"FROM ({per_person})")
    return True


def collect_leak_people(link: duckdb.DuckDBPyConnection, ws: duckdb.DuckDBPyConnection,
                        loaded) -> None:
    """Standardise every linkable workspace table into `leak_people` on `link`.

    `ws` and `loaded` are what `assess(..., inspect=...)` hands over (the engine's loaded
    tables: names, SQL names, classified columns, persons tables).
    """
    have_kinds = _person_kinds(ws, loaded)
    parts: list[tuple[str, str]] = []
    for t in loaded:
        mapping = {f"c{i}": c.kind for i, c in enumerate(t.columns)
                   if KIND_CATEGORY.get(c.kind, "none") != "none"}
        if not LINKING_KINDS & set(mapping.values()):
            continue
        columns = ", ".join(f"t.{c}" for c in mapping)
        if have_kinds and t.persons_table:
            kinds = "pk.kinds"
            joins = (f"LEFT JOIN {t.persons_table} p ON p.r = t.rowid "
                     f"LEFT JOIN {PERSON_KINDS_TABLE} pk ON pk.person = p.person")
        else:
            kinds, joins = "CAST(NULL AS VARCHAR[])", ""
        rows = ws.cursor()
        try:
            reader = rows.sql(f"SELECT {columns}, t.rowid + 1 AS {_ROW}, {kinds} AS {_KINDS} "
                              f"FROM {t.sql_name} t {joins}").to_arrow_reader(65_536)
            name = f"leak_part_{len(parts)}"
            standardise(reader, mapping, id_column=_ROW, kinds_column=_KINDS, con=link,
                        table_name=name)
        finally:
            rows.close()
        parts.append((name, t.name))
    if not parts:
        raise UsageError("the leak holds no column that identifies a person "
                         "(NIR, name, date of birth, phone or e-mail): nothing to link")
    if len(parts) == 1:
        link.execute(f"CREATE OR REPLACE TABLE leak_people AS SELECT * FROM {parts[0][0]}")
        return
    union = " UNION ALL ".join(
        f"SELECT * REPLACE ({quote_literal(table)} || ':' || unique_id AS unique_id) FROM {name}"
        for name, table in parts)
    link.execute(f"CREATE OR REPLACE TABLE leak_people AS {union}")


def link_leak_people(link: duckdb.DuckDBPyConnection, registry: str, *, registry_id: str,
                     registry_group: str | None = None, overrides=None):
    """Link `leak_people` (made by `collect_leak_people` on `link`) to the registry at
    `registry` (path or URL) -> `vigie.link.linkage.LinkResult`."""
    from vigie.link.registry import standardise_registry
    from vigie.link.linkage import link_leak_to_registry
    from vigie.sources import open_source

    with open_source(registry) as source:
        people = standardise_registry(source, registry_id, con=link,
                                      registry_group=registry_group, overrides=overrides)
        return link_leak_to_registry(link.table("leak_people"), people)
