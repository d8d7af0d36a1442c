"""vigie export SRC --id-column COL --recipient NAME --purpose TEXT [--columns a,b] --out FILE

Writes the marked export (format from FILE's extension: .csv, .xlsx, .jsonl, .parquet, the
latter with the source's column types) and appends its entry to the manifest in the
register under VIGIE_HOME. Prints the export id,
counts and key id; never a value. Heavy modules load inside the command (fast --help).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from vigie.cli.console import console

DB_HELP = "Register database URL (default: SQLite file under VIGIE_HOME)."


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export_command(
        source: str = typer.Argument(..., help="Registry extract: file or database URL."),
        id_column: str = typer.Option(..., "--id-column", help="Stable registry patient id."),
        recipient: str = typer.Option(..., "--recipient", help="Who receives this export."),
        purpose: str = typer.Option(..., "--purpose", help="Why (recorded in the manifest)."),
        out: Path = typer.Option(..., "--out", help="Export file: .csv .xlsx .jsonl .parquet"),
        columns: Optional[str] = typer.Option(None, "--columns",
                                              help="Comma-separated columns to export."),
        canary_density: float = typer.Option(0.001, "--canary-density", min=0.0, max=0.5,
                                             help="Canaries per row (rho >= ln(1/beta)/n)."),
        min_canaries: int = typer.Option(20, "--min-canaries", min=1),
        max_canaries: int = typer.Option(5000, "--max-canaries", min=1),
        beacon_domain: str = typer.Option("canari.invalid", "--beacon-domain",
                                          envvar="VIGIE_BEACON_DOMAIN",
                                          help="Mail domain the organisation controls."),
        registry: Optional[str] = typer.Option(None, "--registry",
                                               help="The whole patient registry (file or "
                                                    "database URL) canaries must stay far "
                                                    "from (default: SRC)."),
        registry_id: Optional[str] = typer.Option(None, "--registry-id",
                                                  help="The registry's patient id column."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Write a marked export (canaries + keyed marks) and record it in the manifest."""
        from vigie.trace.export import ExportOptions, export_source
        from vigie.trace.relink import RegistryRef

        if registry and not registry_id:
            raise typer.BadParameter("required with --registry", param_hint="--registry-id")
        wanted = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
        options = ExportOptions(canary_density, min_canaries, max_canaries, beacon_domain,
                                RegistryRef(registry, registry_id) if registry and registry_id else None)
        result = export_source(source, id_column=id_column, recipient=recipient,
                               purpose=purpose, out=out, columns=wanted, options=options,
                               db_url=db)
        marked = ", ".join(f"{k} {v}" for k, v in result.marked.items()) or "none"
        console.print(f"Export {result.export_id} -> {result.path}: {result.rows} rows "
                      f"({result.persons} persons, {result.canaries} canaries; "
                      f"{result.canaries_rejected} candidates too close to a patient "
                      f"redrawn); marked values: "
                      f"{marked}; key id {result.key_id}; sha256 {result.file_sha256}; manifest "
                      f"entry hash {result.manifest_hash}",
                      markup=False, soft_wrap=True)
