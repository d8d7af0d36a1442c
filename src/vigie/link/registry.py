"""The registry side of a linkage: the organisation's patient table, found and standardised.

The registry is any input `vigie.sources` reads (file or database URL). Its columns are
classified by the same classifier as a leak's (`--map` overrides it); the leak side comes
from the assessment (`leak_people.py`), so a leak is never classified twice.
"""

from __future__ import annotations

from typing import Mapping

import duckdb

from vigie.errors import UsageError
from vigie.link.mapping import classify_table
from vigie.link.standardise import standardise
from vigie.sources import Source, Table


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
