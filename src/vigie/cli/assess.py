"""vigie assess PATH_OR_URL... --out DIR --format json,html,md

Writes assessment.json (the DESIGN.md contract) and the HTML / Markdown reports into
--out, shows a progress bar on a terminal (stderr; step and table names only, never a
value) and prints a short summary. The leak's circumstances (who received it, was it
malicious) feed the ENISA severity proposal; they default to the worst plausible case
for a leaked file and the report says so. Exit codes: 0 done, 1 unreadable input, 2 usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from vigie.assess.engine import assess
from vigie.assess.model import Assessment
from vigie.assess.severity import Circumstances
from vigie.cli.console import console, err_console
from vigie.report import FILE_NAMES, write_reports

RECIPIENTS = ("unknown", "known", "none")


def parse_formats(text: str) -> list[str]:
    """'json,html' -> ['json', 'html']; unknown names are a usage error (exit 2)."""
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FILE_NAMES]
    if unknown or not formats:
        raise typer.BadParameter(f"choose among {', '.join(FILE_NAMES)}", param_hint="--format")
    return list(dict.fromkeys(formats))


def run_with_progress(paths: list[str], circumstances: Circumstances) -> Assessment:
    """Run the assessment, with a progress bar when stderr is a terminal."""
    if not err_console.is_terminal:
        return assess(paths, circumstances=circumstances)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True) as bar:
        task = bar.add_task("opening", total=None)

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total or None)

        return assess(paths, progress=update, circumstances=circumstances)


def print_summary(assessment: Assessment, written: list[Path]) -> None:
    """Counts and severity only: no value from the leak."""
    rows = sum(t.rows for t in assessment.tables)
    sev = assessment.severity
    console.print(f"{len(assessment.tables)} table(s), {rows:,} rows, "
                  f"{assessment.persons.distinct:,} distinct persons "
                  f"({assessment.elapsed_s:.1f} s)", markup=False)
    if assessment.exposure:
        table = Table("exposed", "persons", "art. 9", title="Exposure", title_justify="left")
        for kind, exposure in sorted(assessment.exposure.items(), key=lambda kv: -kv[1].persons):
            table.add_row(kind, f"{exposure.persons:,}", "yes" if exposure.art9 else "")
        console.print(table)
    else:
        console.print("No personal data detected.", markup=False)
    console.print(f"Severity ({sev.method}, proposal): {sev.level} — score {sev.score:.2f} "
                  f"(DPC {sev.dpc:g} × EI {sev.ei:g} + CB {sev.cb:g})", markup=False)
    for path in written:
        console.print(f"wrote {path}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("assess")
    def assess_command(
        paths: list[str] = typer.Argument(..., metavar="PATH_OR_URL",
                                          help="Leaked files, folders, archives or database URLs "
                                               "(together: one leak)."),
        out: Path = typer.Option(Path("."), "--out", "-o", help="Folder for the reports."),
        formats: str = typer.Option("json,html,md", "--format", "-f",
                                    help="Comma-separated: json, html, md."),
        recipients: Optional[str] = typer.Option(None, "--recipients",
                                       help="Who got the data: unknown (published, sold), "
                                            "known (known recipients) or none (no evidence "
                                            "of disclosure). Default: assumed unknown."),
        malicious: Optional[bool] = typer.Option(None, "--malicious/--accidental",
                                                 help="Was the breach intentional? "
                                                      "Default: assumed malicious."),
    ) -> None:
        """What a leaked file exposes, about how many people, how severe."""
        chosen = parse_formats(formats)
        if recipients is not None and recipients not in RECIPIENTS:
            raise typer.BadParameter(f"choose among {', '.join(RECIPIENTS)}",
                                     param_hint="--recipients")
        circumstances = Circumstances(
            confidentiality=recipients or "unknown",
            malicious=True if malicious is None else malicious,
            assumed=tuple(name for name, given in (("confidentiality", recipients),
                                                   ("malicious", malicious)) if given is None))
        assessment = run_with_progress(paths, circumstances)
        written = write_reports(assessment, out, chosen)
        print_summary(assessment, written)
