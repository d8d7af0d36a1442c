"""vigie incident open|status|decide|fact|file|verify|register — the incident register.

Thin shell over vigie.incidents: every command takes --db URL (default: the SQLite file
under VIGIE_HOME). Times are shown in Europe/Paris; terminal text is English (the
documents for authorities and patients are French); nothing printed holds a leaked value.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from vigie.cli.console import console
from vigie.errors import UsageError
from vigie.incidents import (
    attach_assessment,
    decide_risk,
    export_register,
    load_incident,
    open_incident,
    open_register,
    override_severity,
    record_facts,
    record_filing,
    verify_incident,
)
from vigie.incidents.obligations import clocks, now_utc
from vigie.incidents.register import FACT_FIELDS, NATURES, parse_aware_at
from vigie.incidents.risk import OUTCOME_LABELS_EN

PARIS = ZoneInfo("Europe/Paris")
DB_HELP = "Register database URL (default: SQLite file under VIGIE_HOME)."


def paris(moment) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m-%d %H:%M %Z")


def countdown(delta: timedelta) -> str:
    """'2 d 03 h 12 min' left, or '-2 d 03 h 12 min' past the deadline."""
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    text = (f"{days} d " if days else "") + f"{hours:02d} h {rest // 60:02d} min"
    return text if delta.total_seconds() >= 0 else "-" + text


def show_status(incident) -> None:
    now = now_utc()
    console.print(f"Incident {incident.id} ({incident.reference}) — aware since "
                  f"{paris(incident.aware_at)}; nature {', '.join(incident.nature)}"
                  f"{', malicious' if incident.malicious else ''}; role {incident.role}",
                  markup=False)
    risk = incident.risk
    decided = f"DPO decision: {OUTCOME_LABELS_EN[risk['outcome']]}" if risk.get("decided") \
        else "no DPO decision yet"
    console.print(f"Proposed risk: {OUTCOME_LABELS_EN[risk['proposal']]} "
                  f"({risk['proposal_reason_en']}); {decided}", markup=False)
    sev = incident.severity
    console.print(f"Severity ({sev['method'] or 'ENISA'}): {sev['level']}"
                  + (f" (overridden: {sev['override_reason']})" if sev["override_reason"] else ""),
                  markup=False)
    console.print(f"Registry persons affected: {incident.affected_count}", markup=False)
    table = Table(title="Obligations (Paris time)", title_justify="left")
    for column in ("obligation", "deadline", "left"):
        table.add_column(column, no_wrap=True)
    table.add_column("state", min_width=16)
    for clock in clocks(incident):
        state = clock.state(now)
        due = clock.due.astimezone(PARIS).strftime("%m-%d %H:%M") if clock.due else "no hour limit"
        remaining = clock.remaining(now)       # None exactly when there is no due hour
        left = countdown(remaining) if remaining is not None and state in ("due", "overdue") else "—"
        style = {"overdue": "bold red", "not triggered": "dim", "filed": "green"}.get(state, "")
        label = {"overdue": "OVERDUE", "due": "to do", "filed": "filed",
                 "not triggered": f"not triggered ({clock.why})"}[state]
        table.add_row(clock.regime["id"], due, left, label, style=style)
    console.print(table)
    for clock in clocks(incident):
        if clock.applies:
            console.print(f"{clock.regime['id']}: {clock.regime['summary_en']}", markup=False)


def register(app: typer.Typer) -> None:
    incident_app = typer.Typer(help="The incident register: open, status, decide, verify, export.",
                               no_args_is_help=True)
    app.add_typer(incident_app, name="incident")

    @incident_app.command("open")
    def open_command(
        assessment: Path = typer.Option(..., "--assessment", help="Folder with assessment.json "
                                        "(and affected.csv when linked to the registry)."),
        aware_at: str = typer.Option(..., "--aware-at", help="When you became aware (ISO 8601; "
                                     "without a zone, Europe/Paris)."),
        nature: str = typer.Option("confidentiality", "--nature",
                                   help=f"Comma-separated: {', '.join(NATURES)}."),
        malicious: bool = typer.Option(True, "--malicious/--not-malicious"),
        role: str = typer.Option("controller", "--role", help="controller or processor."),
        establishment: bool = typer.Option(True, "--health-establishment/--no-health-establishment",
                                           help="Subject to CSP L.1111-8-2 (labs, hospitals)."),
        nis2: bool = typer.Option(False, "--nis2", help="Turn on the NIS2 art. 23 clocks."),
        affected: Optional[Path] = typer.Option(None, "--affected",
                                                help="affected.csv (default: in --assessment)."),
        author: str = typer.Option("dpo", "--author"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Open an incident from an assessment; prints its id."""
        engine = open_register(db)
        natures = tuple(n.strip() for n in nature.split(",") if n.strip())
        incident_id = open_incident(engine, assessment, parse_aware_at(aware_at), nature=natures,
                                    malicious=malicious, role=role,
                                    health_establishment=establishment,
                                    opt_in=("nis2",) if nis2 else (), affected_csv=affected,
                                    author=author)
        console.print(str(incident_id), markup=False)

    @incident_app.command("attach")
    def attach_command(
        incident_id: int = typer.Argument(..., metavar="ID"),
        assessment: Path = typer.Option(..., "--assessment", help="Folder with a newer "
                                        "assessment.json (and affected.csv when linked)."),
        affected: Optional[Path] = typer.Option(None, "--affected",
                                                help="affected.csv (default: in --assessment)."),
        author: str = typer.Option("dpo", "--author"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Attach a newer assessment: the documents' figures come from it from now on, and
        its affected.csv replaces the affected persons (the old figures stay in history)."""
        entry = attach_assessment(open_register(db), incident_id, assessment, author, affected)
        console.print(f"attached assessment {entry['assessment_sha256'][:12]}", markup=False)
        if "affected_persons" in entry:
            console.print(f"affected persons: {entry['previous_affected_figures']['persons']} -> "
                          f"{entry['affected_persons']} ({entry['persons_added']} added, "
                          f"{entry['persons_removed']} removed, {entry['persons_kept']} kept)",
                          markup=False)
        else:
            console.print("affected persons unchanged (no affected.csv with this assessment)",
                          markup=False)

    @incident_app.command("status")
    def status_command(incident_id: int = typer.Argument(..., metavar="ID"),
                       db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Every clock of the incident: deadline, countdown, overdue in red."""
        show_status(load_incident(open_register(db), incident_id))

    @incident_app.command("decide")
    def decide_command(
        incident_id: int = typer.Argument(..., metavar="ID"),
        risk: Optional[str] = typer.Option(None, "--risk", help="unlikely, risk or high."),
        severity: Optional[str] = typer.Option(None, "--severity",
                                               help="Override the ENISA level (needs --reason)."),
        reason: str = typer.Option("", "--reason", help="Written reason (logged)."),
        author: str = typer.Option(..., "--author", help="Who decides (the DPO)."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Record the DPO's risk decision and/or severity override."""
        if risk is None and severity is None:
            raise UsageError("give --risk and/or --severity")
        engine = open_register(db)
        if severity is not None:
            override_severity(engine, incident_id, severity, author, reason)
        if risk is not None:
            decide_risk(engine, incident_id, risk, author, reason)
        console.print("recorded", markup=False)

    @incident_app.command("fact")
    def fact_command(
        incident_id: int = typer.Argument(..., metavar="ID"),
        values: list[str] = typer.Argument(..., metavar="FIELD=TEXT...",
                                           help=f"Fields: {', '.join(FACT_FIELDS)}."),
        author: str = typer.Option("dpo", "--author"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Record facts for the documents (a newer value corrects an older one)."""
        pairs = {}
        for item in values:
            name, sep, text = item.partition("=")
            if not sep:
                raise UsageError(f"expected FIELD=TEXT, got a value without '=' for {name[:20]!r}")
            pairs[name.strip()] = text.strip()
        record_facts(open_register(db), incident_id, pairs, author)
        console.print("recorded", markup=False)

    @incident_app.command("file")
    def file_command(
        incident_id: int = typer.Argument(..., metavar="ID"),
        regime: str = typer.Option(..., "--regime", help="e.g. gdpr-33-cnil, csp-l1111-8-2-ars."),
        reference: str = typer.Option("", "--reference", help="Receipt number, if any."),
        phase: str = typer.Option("initial", "--phase", help="initial or complementary."),
        author: str = typer.Option("dpo", "--author"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Record that a notification was filed (stops its clock)."""
        if phase not in ("initial", "complementary"):
            raise UsageError("--phase: choose initial or complementary")
        record_filing(open_register(db), incident_id, regime, author, reference, phase)
        console.print("recorded", markup=False)

    @incident_app.command("verify")
    def verify_command(incident_id: int = typer.Argument(..., metavar="ID"),
                       db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Check the chronology's hash chain; exit 1 when an entry was tampered with."""
        problems, head = verify_incident(open_register(db), incident_id)
        for problem in problems:
            console.print(f"TAMPERED: {problem}", style="bold red", markup=False)
        if problems:
            raise typer.Exit(1)
        console.print(f"chain intact; head {head}", markup=False)

    @incident_app.command("register")
    def register_command(
        export: str = typer.Option("csv", "--export", help="csv or json."),
        out: Optional[Path] = typer.Option(None, "--out", help="File to write (default stdout)."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """The art. 33(5) register of every breach, notified or not."""
        text = export_register(open_register(db), export)
        if out is None:
            typer.echo(text, nl=False)
        else:
            from vigie.paths import write_private
            write_private(out, text)
