"""vigie assess PATH_OR_URL... --out DIR --format json,html,md

Writes assessment.json (the DESIGN.md contract) and the HTML / Markdown reports into
--out, shows a progress bar on a terminal (stderr; step and table names only, never a
value) and prints a short summary. The leak's circumstances (who received it, was it
malicious) feed the ENISA severity proposal; they default to the worst plausible case
for a leaked file and the report says so. Exit codes: 0 done, 1 unreadable input, 2 usage.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Optional

import duckdb
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


def run_with_progress(paths: list[str], circumstances: Circumstances, **options) -> Assessment:
    """Run the assessment, with a progress bar when stderr is a terminal; `options` go to
    `vigie.assess.engine.assess` (inspect hook, row order)."""
    if not err_console.is_terminal:
        return assess(paths, circumstances=circumstances, **options)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True) as bar:
        task = bar.add_task("opening", total=None)

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total or None)

        return assess(paths, progress=update, circumstances=circumstances, **options)


def link_registry(assessment: Assessment, link, out: Path, registry: str,
                  registry_id: str, registry_group: str | None,
                  mapping: str | None) -> list[Path]:
    """`--registry`: which registry patients are in the leak. `link` holds the leak's
    person rows, collected while the assessment ran (`vigie.link.leak_people`). Writes
    affected.csv (0600) and review.csv (masked) into `out` and puts the counts in the
    assessment."""
    from vigie.link import parse_map, write_affected, write_review
    from vigie.link.leak_people import link_leak_people

    if err_console.is_terminal:
        err_console.print("linking the leak to the registry...", markup=False)
    result = link_leak_people(link, registry, registry_id=registry_id,
                              registry_group=registry_group, overrides=parse_map(mapping))
    assessment.registry = result.registry_section()
    out.mkdir(parents=True, exist_ok=True)
    return [write_affected(result, out, with_group=registry_group is not None),
            write_review(result, out)]


def trace_exports(assessment: Assessment, paths: list[str], registry: str | None,
                  registry_id: str | None) -> None:
    """When exports were recorded under VIGIE_HOME, say which one the leak came from
    (the same check as `vigie trace`, with --registry as its fallback linkage). Without a
    register, nothing is created."""
    from vigie.paths import state_folder

    if len(paths) != 1 or not (state_folder() / "register.sqlite").exists():
        return
    from vigie.trace import trace_section
    from vigie.trace.relink import RegistryRef

    reference = RegistryRef(registry, registry_id) if registry and registry_id else None
    assessment.trace = trace_section(paths[0], registry=reference)


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
    if assessment.registry is not None:
        reg = assessment.registry
        console.print(f"Registry: {reg['matched_persons']:,} of our patients are in the leak "
                      f"(match probability ≥ {reg['threshold']}); "
                      f"{reg['unmatched_leak_persons']:,} leak persons not in the registry; "
                      f"{reg.get('review_pairs', 0):,} pairs to review", markup=False)
        for group, count in sorted((reg.get("by_group") or {}).items()):
            console.print(f"  {group}: {count:,}", markup=False)
    if assessment.trace is not None:
        named = assessment.trace["attributions"]
        console.print(f"Exports checked: {assessment.trace['checked_exports']}; "
                      f"attributed to: {', '.join(a['export_id'] for a in named) or 'none'}",
                      markup=False)
        for a in named:
            console.print(f"  {a['export_id']} ({a['recipient']}, {a['exported_at']}): "
                          f"p_false ≤ 1e{math.ceil(a['log10_p_false'])}, "
                          f"{a['canaries_found']} canaries", markup=False)
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
        registry: Optional[str] = typer.Option(None, "--registry",
                                       help="Our patient registry (file or database URL): "
                                            "writes affected.csv and review.csv."),
        registry_id: Optional[str] = typer.Option(None, "--registry-id",
                                          help="The registry's patient id column."),
        registry_group: Optional[str] = typer.Option(None, "--registry-group",
                                             help="A registry column to count by (lab site, "
                                                  "controller)."),
        mapping: Optional[str] = typer.Option(None, "--map",
                                      help="Override the registry's column kinds: "
                                           "COL=kind,COL=kind."),
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
        if registry and not registry_id:
            raise typer.BadParameter("required with --registry", param_hint="--registry-id")
        link = duckdb.connect() if registry else None
        try:
            if link is None:
                assessment = run_with_progress(paths, circumstances)
            else:
                from vigie.link.leak_people import collect_leak_people
                assessment = run_with_progress(
                    paths, circumstances, keep_row_order=True,
                    inspect=lambda ws, tables: collect_leak_people(link, ws, tables))
            trace_exports(assessment, paths, registry, registry_id)
            linked = (link_registry(assessment, link, out, registry, registry_id,
                                    registry_group, mapping)
                      if link is not None and registry and registry_id else [])
        finally:
            if link is not None:
                link.close()
        written = write_reports(assessment, out, chosen) + linked
        print_summary(assessment, written)
