"""vigie notify draft cnil|ars|patients|doctors|controllers --incident ID --out DIR,
vigie notify send, and vigie notify receipts.

Thin shell over vigie.notify. Documents are written 0600 in a 0700 folder: per-patient
messages are personal data. Nothing printed names a patient.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from vigie.cli.console import console, err_console
from vigie.errors import UsageError
from vigie.incidents import open_register

DB_HELP = "Register database URL (default: SQLite file under VIGIE_HOME)."
DOCUMENTS = ("cnil", "ars", "patients", "doctors", "controllers")
EMAIL_OUTCOMES = ("delivered", "bounced", "unchanged", "not_final", "unmatched", "not_a_report",
                  "malformed")
SMS_OUTCOMES = ("delivered", "bounced", "unchanged", "no_receipt", "lookup_failed")


def _counts(counts, names) -> str:
    """'delivered 31, bounced 2, ...' in a fixed order, zeros included."""
    return ", ".join(f"{name.replace('_', ' ')} {counts.get(name, 0)}" for name in names)


def _draft_doctors(engine, incident_id: int, leak: list[str], out: Path, author: str) -> Path:
    """Draft the doctors' notices; print counts and masked names only."""
    from vigie.notify.doctors import draft_doctors
    draft = draft_doctors(engine, incident_id, leak, out, author=author)
    if draft.mismatch:
        err_console.print(f"warning: {draft.mismatch}", markup=False, highlight=False)
    console.print(f"{draft.doctors} doctors named in the leak ({draft.with_rpps} with an RPPS "
                  "number)" + ("; most patients: " + ", ".join(
                      f"{name} {n}" for name, n in draft.largest) if draft.largest else ""),
                  markup=False, highlight=False, soft_wrap=True)
    return draft.manifest


def register(app: typer.Typer) -> None:
    notify_app = typer.Typer(help="Draft and send the notifications of an incident.",
                             no_args_is_help=True)
    app.add_typer(notify_app, name="notify")

    @notify_app.command("draft")
    def draft_command(
        document: str = typer.Argument(..., metavar="cnil|ars|patients|doctors|controllers"),
        incident_id: int = typer.Option(..., "--incident", metavar="ID"),
        out: Path = typer.Option(..., "--out", help="Folder for the documents."),
        phase: str = typer.Option("initial", "--phase", help="cnil: initial or complementary."),
        complete: bool = typer.Option(False, "--complete",
                                      help="cnil: mark complete (refused while an art. 33(3) "
                                           "item is empty)."),
        registry: Optional[str] = typer.Option(
            None, "--registry", help="patients: the registry with contacts (CSV, Parquet, "
                                     "Excel, SQLite file or database URL)."),
        leak: Optional[list[str]] = typer.Option(
            None, "--leak", help="doctors: the leak file or URL, read again (repeatable)."),
        sender: str = typer.Option("", "--from", help="patients: sender e-mail address."),
        author: str = typer.Option("dpo", "--author"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Write the CNIL notification, the ARS declaration, the patients' messages, one
        notice per doctor named in the leak, or (processor mode) one per controller."""
        from vigie.notify.controllers import draft_controllers
        from vigie.notify.documents import draft_ars, draft_cnil
        from vigie.notify.patients import draft_patients
        if document not in DOCUMENTS:
            raise UsageError(f"choose among {', '.join(DOCUMENTS)}")
        engine = open_register(db)
        if document == "cnil":
            written = draft_cnil(engine, incident_id, out, phase=phase, complete=complete,
                                 author=author)
        elif document == "ars":
            written = draft_ars(engine, incident_id, out, author=author)
        elif document == "controllers":
            written = draft_controllers(engine, incident_id, out, author=author)
        elif document == "doctors":
            if not leak:
                raise UsageError("doctors: give --leak (the leaked file or URL, read again: "
                                 "the register keeps no leaked value)")
            written = [_draft_doctors(engine, incident_id, leak, out, author)]
        else:
            if registry is None:
                raise UsageError("patients: give --registry (the registry with contacts)")
            written = [draft_patients(engine, incident_id, registry, out, sender=sender,
                                      author=author)]
        for path in written:
            console.print(f"wrote {path}", markup=False, highlight=False)

    @notify_app.command("receipts")
    def receipts_command(
        incident_id: int = typer.Option(..., "--incident", metavar="ID"),
        reports: Optional[Path] = typer.Argument(
            None, metavar="[PATH]", help="Delivery status notifications: an .eml file, a "
                                         "folder of .eml files, an mbox or a Maildir."),
        sms_url: Optional[str] = typer.Option(None, "--sms-url",
                                              help="Poll this SMS gateway for receipts."),
        sms_token: str = typer.Option("", "--sms-token", envvar="VIGIE_SMS_TOKEN",
                                      help="Gateway token (prefer the VIGIE_SMS_TOKEN variable)."),
        author: str = typer.Option("dpo", "--author"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Record delivery receipts: e-mail DSNs from PATH, SMS receipts from the gateway.
        A bounce makes the next `send` try the patient's next channel."""
        from vigie.notify.channels import SmsGatewayChannel
        from vigie.notify.receipts import ingest_reports, poll_sms
        if reports is None and not sms_url:
            raise UsageError("give a PATH of delivery reports and/or --sms-url")
        engine = open_register(db)
        if reports is not None:
            def warn(text: str) -> None:
                err_console.print(f"warning: {text}", markup=False, highlight=False,
                                  soft_wrap=True)
            counts = ingest_reports(engine, incident_id, reports, author=author, warn=warn)
            console.print("email receipts: " + _counts(counts, EMAIL_OUTCOMES), markup=False,
                          soft_wrap=True)
        if sms_url:
            counts = poll_sms(engine, incident_id, SmsGatewayChannel(sms_url, sms_token),
                              author=author)
            console.print("sms receipts: " + _counts(counts, SMS_OUTCOMES), markup=False,
                          soft_wrap=True)

    @notify_app.command("send")
    def send_command(
        incident_id: int = typer.Option(..., "--incident", metavar="ID"),
        channels: str = typer.Option("email,sms,letter", "--channels",
                                     help="Channels in fallback order."),
        smtp: Optional[str] = typer.Option(None, "--smtp", help="SMTP relay HOST:PORT."),
        smtp_status_url: Optional[str] = typer.Option(
            None, "--smtp-status-url", help="Relay message log (GET URL/<message-id>), used "
                                            "to reconcile after a crash."),
        sms_url: Optional[str] = typer.Option(None, "--sms-url", help="SMS gateway base URL."),
        sms_token: str = typer.Option("", "--sms-token", envvar="VIGIE_SMS_TOKEN",
                                      help="Gateway token (prefer the VIGIE_SMS_TOKEN variable)."),
        letters_dir: Optional[Path] = typer.Option(None, "--letters-dir",
                                                   help="Folder for the letters' PDF batch."),
        rate: float = typer.Option(20.0, "--rate", help="Messages per second (0: no limit)."),
        max_attempts: int = typer.Option(5, "--max-attempts"),
        workers: int = typer.Option(4, "--workers", help="Parallel senders."),
        backoff: float = typer.Option(1.0, "--backoff", help="First retry delay, seconds."),
        author: str = typer.Option("dpo", "--author"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Send the drafted patient messages; safe to rerun after a crash."""
        from vigie.notify.channels import LetterChannel, SmsGatewayChannel, SmtpChannel
        from vigie.notify.sender import send_incident
        order = [c.strip() for c in channels.split(",") if c.strip()]
        if any(c not in ("email", "sms", "letter") for c in order):
            raise UsageError("--channels: choose among email, sms, letter")
        configured: dict = {}                  # channel name -> factory (one per worker)
        if smtp:
            host, _, port = smtp.rpartition(":")
            if not host or not port.isdigit():
                raise UsageError("--smtp: expected HOST:PORT")
            configured["email"] = lambda: SmtpChannel(host, int(port), status_url=smtp_status_url)
        if sms_url:
            configured["sms"] = lambda: SmsGatewayChannel(sms_url, sms_token)
        if letters_dir:
            configured["letter"] = lambda: LetterChannel(letters_dir)
        order = [c for c in order if c in configured]
        counts = send_incident(open_register(db), incident_id, configured, order, rate=rate,
                               max_attempts=max_attempts, backoff=backoff, workers=workers,
                               author=author)
        console.print(", ".join(f"{name}: {n}" for name, n in sorted(counts.items()))
                      or "nothing to send", markup=False)
