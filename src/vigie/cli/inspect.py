"""vigie inspect — what a file, archive or database is made of, without showing a value.

Prints the detected format, encoding, delimiter and size, then each table's name, row
count and column names. `--json` prints {"source": {...}, "tables": [{"name", "rows",
"columns": [{"name", "position"}]}]} for scripts.
"""

from __future__ import annotations

import json

import typer

from vigie.cli.console import console
from vigie.sources import Table, open_source
from vigie.sources.base import single_row
from vigie.sources.duckscan import connect


def table_rows(table: Table) -> int:
    """Row count: known, else counted by DuckDB over `duckdb_sql`, else by streaming."""
    if table.rows is None and table.duckdb_sql:
        con = connect()
        try:
            table.rows = single_row(
                con.execute(f"SELECT count(*) FROM {table.duckdb_sql}").fetchone())[0]
        finally:
            con.close()
    return table.count_rows()


def describe(path_or_url: str) -> dict:
    """The inspect document for one path or URL."""
    with open_source(path_or_url) as source:
        tables = [{"name": t.name, "rows": table_rows(t),
                   "columns": [{"name": c, "position": i} for i, c in enumerate(t.columns)]}
                  for t in source.tables()]
        return {"source": source.info.to_dict(), "tables": tables}


def _print_text(doc: dict) -> None:
    src = doc["source"]
    details = [f"format {src['format']}"]
    for key in ("encoding", "delimiter", "bytes", "header"):
        if key in src:
            value = repr(src[key]) if key == "delimiter" else src[key]
            details.append(f"{key} {value}")
    console.print(f"{src['path']}: " + ", ".join(details), markup=False, soft_wrap=True)
    for member in src.get("members", []):
        console.print(f"  member {member}", markup=False, soft_wrap=True)
    for table in doc["tables"]:
        console.print(f"table {table['name']}: {table['rows']} rows, "
                      f"{len(table['columns'])} columns", markup=False, soft_wrap=True)
        for column in table["columns"]:
            console.print(f"  {column['position']:>3}  {column['name']}", markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    @app.command("inspect")
    def inspect_command(
        path: str = typer.Argument(..., metavar="PATH_OR_URL",
                                   help="File, folder, archive or database URL."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    ) -> None:
        """Show the format, tables, row counts and columns of a leak (no values)."""
        doc = describe(path)
        if as_json:
            typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            _print_text(doc)
