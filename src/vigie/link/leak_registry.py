"""Link a whole leak (as `vigie assess` read it) to a registry named by path or URL.

`vigie assess --registry` calls `link_sources` after the assessment: the leak's columns are
already classified (the assessment's kinds, so the leak is never classified twice), the
registry's columns are classified here by the same classifier (`--map` overrides it). Every
leak table that carries identity traits becomes standardised person rows; rows of several
tables get ids prefixed by their table name so they stay distinct.
"""

from __future__ import annotations

from typing import Mapping

import duckdb

from vigie.errors import UsageError
from vigie.kinds import KIND_CATEGORY
from vigie.link.linkage import LinkResult, link_leak_to_registry
from vigie.link.mapping import classify_table
from vigie.link.standardise import standardise
from vigie.sources import Source, Table, open_source

# A leak table is linkable when it holds at least one of these person traits.
LINKING_KINDS = frozenset({"nir", "last_name", "first_name", "birth_name", "full_name",
                           "date_of_birth", "phone", "email"})


def _registry_table(source: Source, registry_id: str) -> Table:
    """The registry table: the only one, else the only one holding the id column."""
    tables = list(source.tables())
    holding = [t for t in tables if registry_id in t.columns]
    if not holding:
        raise UsageError(f"--registry-id: no registry table has a column named '{registry_id}'")
    if len(holding) > 1:
        names = ", ".join(t.name for t in holding)
        raise UsageError(f"--registry-id: several registry tables have '{registry_id}' ({names}); "
                         "point --registry at one table")
    return holding[0]


def standardise_registry(source: Source, registry_id: str, *, con: duckdb.DuckDBPyConnection,
                         registry_group: str | None = None,
                         overrides: Mapping[str, str] | None = None) -> duckdb.DuckDBPyRelation:
    """The registry table of `source`, classified (`overrides` from --map win) and
    standardised into `registry_people` on `con`."""
    table = _registry_table(source, registry_id)
    if registry_group and registry_group not in table.columns:
        raise UsageError(f"--registry-group: the registry has no column '{registry_group}'")
    mapping = {c: k for c, k in classify_table(table, overrides).items()
               if c not in (registry_id, registry_group)}
    return standardise(table, mapping, id_column=registry_id, group_column=registry_group,
                       con=con, table_name="registry_people")


def _leak_rows(con: duckdb.DuckDBPyConnection, leak_paths: list[str],
               leak_kinds: Mapping[str, Mapping[str, str]], sources: list[Source]) -> None:
    """Standardise every linkable leak table into one DuckDB table `leak_people`."""
    parts: list[tuple[str, str]] = []
    for path in leak_paths:
        source = open_source(path)
        sources.append(source)
        for table in source.tables():
            mapping = {c: k for c, k in leak_kinds.get(table.name, {}).items()
                       if KIND_CATEGORY.get(k, "none") != "none"}
            if not LINKING_KINDS & set(mapping.values()):
                continue
            name = f"leak_part_{len(parts)}"
            standardise(table, mapping, con=con, table_name=name)
            parts.append((name, table.name))
    if not parts:
        raise UsageError("the leak holds no column that identifies a person "
                         "(NIR, name, date of birth, phone or e-mail): nothing to link")
    if len(parts) == 1:
        con.execute(f"CREATE TABLE leak_people AS SELECT * FROM {parts[0][0]}")
        return
    union = " UNION ALL ".join(
        f"SELECT * REPLACE ({_literal(table)} || ':' || unique_id AS unique_id) FROM {name}"
        for name, table in parts)
    con.execute(f"CREATE TABLE leak_people AS {union}")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def link_sources(leak_paths: list[str], leak_kinds: Mapping[str, Mapping[str, str]],
                 registry: str, *, registry_id: str, registry_group: str | None = None,
                 overrides: Mapping[str, str] | None = None) -> LinkResult:
    """Link the leak read from `leak_paths` to the registry at `registry` (path or URL).

    `leak_kinds`: {table name: {column: kind}} as the assessment classified the leak.
    """
    sources: list[Source] = []
    con = duckdb.connect()
    try:
        registry_source = open_source(registry)
        sources.append(registry_source)
        standardised_registry = standardise_registry(registry_source, registry_id, con=con,
                                                     registry_group=registry_group,
                                                     overrides=overrides)
        _leak_rows(con, leak_paths, leak_kinds, sources)
        return link_leak_to_registry(con.table("leak_people"), standardised_registry)
    finally:
        con.close()
        for source in sources:
            source.close()
