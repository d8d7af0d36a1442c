"""vigie trace LEAK --out DIR  |  vigie trace prove EXPORT_ID --leak LEAK --out DIR

The first form weighs every export of the manifest against a leaked file and writes
DIR/trace.json + DIR/summary.txt; the second writes the evidence bundle of one export.
With --registry SRC --registry-id COL, rows no exact key re-identifies are linked to the
registry (typos in names, see vigie.trace.relink).
One command with a leading word rather than a sub-app: `vigie trace LEAK` must stay valid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from vigie.cli.console import console

DB_HELP = "Register database URL (default: SQLite file under VIGIE_HOME)."


def register(app: typer.Typer) -> None:
    @app.command("trace")
    def trace_command(
        target: list[str] = typer.Argument(..., metavar="LEAK | prove EXPORT_ID",
                                           help="A leaked file, or 'prove' and an export id."),
        out: Path = typer.Option(..., "--out", help="Output folder."),
        leak: Optional[str] = typer.Option(None, "--leak", help="For prove: the leaked file."),
        alpha: float = typer.Option(1e-6, "--alpha", min=1e-300, max=0.5,
                                    help="Largest p_false for naming an export."),
        registry: Optional[str] = typer.Option(None, "--registry",
                                               help="Our patient registry (file or database "
                                                    "URL): rows no exact key names are linked "
                                                    "to it."),
        registry_id: Optional[str] = typer.Option(None, "--registry-id",
                                                  help="The registry's patient id column (the "
                                                       "exports' --id-column values)."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Which export a leak came from (p_false per export), or prove one export."""
        from vigie.trace.relink import RegistryRef

        if registry and not registry_id:
            raise typer.BadParameter("required with --registry", param_hint="--registry-id")
        reference = RegistryRef(registry, registry_id) if registry and registry_id else None
        if target[0] == "prove":
            if len(target) != 2 or not leak:
                raise typer.BadParameter("use: vigie trace prove EXPORT_ID --leak LEAK --out DIR")
            from vigie.trace.prove import prove
            path = prove(target[1], leak, out, db_url=db, registry=reference)
            console.print(f"Evidence bundle: {path} (holds this export's key: keep it private)",
                          markup=False, soft_wrap=True)
            return
        if len(target) != 1:
            raise typer.BadParameter("give one leaked file (or: prove EXPORT_ID)")
        from vigie.trace.trace import trace_leak, write_trace
        result = trace_leak(target[0], alpha=alpha, db_url=db, registry=reference)
        path = write_trace(result, out)
        for line in result.summary():
            console.print(line, markup=False, soft_wrap=True)
        console.print(f"Written: {path}", markup=False)
