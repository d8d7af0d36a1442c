"""`vigie incident ...` through the real Typer app: open prints the id, status shows every
clock (overdue ones flagged), verify fails on a tampered row, register exports."""

from __future__ import annotations

import json
from datetime import timezone
from zoneinfo import ZoneInfo

from sqlalchemy import text
from typer.testing import CliRunner

from vigie.cli.app import app
from vigie.errors import UsageError
from vigie.incidents import open_register

runner = CliRunner()
PARIS = ZoneInfo("Europe/Paris")


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_open_status_verify_register(home, inputs, ago):
    # 10:00 in Paris five days ago (never an ambiguous hour of a clock change)
    local = ago(days=5).astimezone(PARIS).replace(hour=10, minute=0)
    aware = local.astimezone(timezone.utc)
    opened = run("incident", "open", "--assessment", inputs["assessment"],
                 "--aware-at", local.strftime("%Y-%m-%dT%H:%M"))        # Paris time, no zone
    assert opened.exit_code == 0, opened.output
    incident_id = opened.output.strip()
    assert incident_id == "1"
    status = run("incident", "status", incident_id)
    assert status.exit_code == 0
    assert local.strftime("%Y-%m-%d %H:%M %Z") in status.output  # shown in Europe/Paris
    assert "OVERDUE" in status.output                         # the 72 h CNIL clock ran out
    nis2 = next(line for line in status.output.splitlines() if "nis2-23-early-warning" in line)
    assert "not triggered" in nis2                            # NIS2 listed, off by default
    assert run("incident", "verify", incident_id).exit_code == 0
    exported = run("incident", "register", "--export", "json")
    assert json.loads(exported.output)["register"][0]["aware_at_utc"] == \
        aware.strftime("%Y-%m-%dT%H:%M:00.000000Z")


def test_filing_stops_the_clock(home, inputs, ago):
    run("incident", "open", "--assessment", inputs["assessment"], "--aware-at", ago(days=5).isoformat())
    filed = run("incident", "file", "1", "--regime", "gdpr-33-cnil", "--reference", "CNIL-42")
    assert filed.exit_code == 0
    status = run("incident", "status", "1")
    cnil_line = next(line for line in status.output.splitlines() if "gdpr-33-cnil" in line)
    assert "filed" in cnil_line and "OVERDUE" not in cnil_line


def test_verify_exits_1_on_tampering(home, inputs, ago):
    run("incident", "open", "--assessment", inputs["assessment"], "--aware-at", ago(days=5).isoformat())
    with open_register(None).begin() as conn:
        conn.execute(text("UPDATE vigie_chronology SET author = 'quelqu''un' WHERE seq = 1"))
    result = run("incident", "verify", "1")
    assert result.exit_code == 1 and "TAMPERED: entry 1" in result.output


def test_decide_downgrade_without_reason_is_refused(home, inputs, ago):
    run("incident", "open", "--assessment", inputs["assessment"], "--aware-at", ago(days=5).isoformat())
    result = run("incident", "decide", "1", "--risk", "unlikely", "--author", "dpo")
    assert isinstance(result.exception, UsageError)
    assert "needs --reason" in str(result.exception)


def test_nis2_opt_in_turns_its_clocks_on(home, inputs, ago):
    run("incident", "open", "--assessment", inputs["assessment"], "--aware-at", ago(days=5).isoformat(),
        "--nis2")
    status = run("incident", "status", "1")
    early = next(line for line in status.output.splitlines() if "nis2-23-early-warning" in line)
    assert "OVERDUE" in early


def test_future_awareness_time_is_refused(home, inputs):
    result = run("incident", "open", "--assessment", inputs["assessment"],
                 "--aware-at", "2099-01-01T00:00")
    assert isinstance(result.exception, UsageError)
