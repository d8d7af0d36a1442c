"""Sending through real local servers: SMTP (aiosmtpd), an HTTP SMS gateway, postal
letters as a PDF batch; fallback on bounce / no address; reruns never send twice; and
the crash test (10,000 patients, SIGKILL mid-way, restart, exactly one message each)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select

from vigie.incidents import open_register
from vigie.incidents.tables import outbox
from vigie.notify.channels import LetterChannel, SmsGatewayChannel, SmtpChannel
from vigie.notify.documents import draft_cnil
from vigie.notify.patients import draft_patients
from vigie.notify.sender import send_incident

VIGIE = str(Path(sys.executable).with_name("vigie"))


def expected_routes(inputs_module, patients: int) -> dict[str, tuple[str, str]]:
    """registry id -> (channel, address) the fallback order email > sms > letter must pick."""
    routes = {}
    for i in range(patients):
        contact = inputs_module.contact_for(i)
        if contact["email"] and "bounce" not in contact["email"]:
            routes[contact["registry_id"]] = ("email", contact["email"])
        elif contact["phone"]:
            routes[contact["registry_id"]] = ("sms", "+33" + contact["phone"][1:])
        else:
            routes[contact["registry_id"]] = ("letter", contact["registry_id"])
    return routes


def channels_for(servers, letters: Path) -> dict:
    return {"email": lambda: SmtpChannel("127.0.0.1", servers.smtp_port,
                                         status_url=servers.status_url),
            "sms": lambda: SmsGatewayChannel(servers.sms_url, "jeton-de-test"),
            "letter": lambda: LetterChannel(letters)}


def assert_exactly_once(servers, letters: Path, routes: dict) -> None:
    want = Counter(channel for channel, _ in routes.values())
    emails = servers.mail.per_recipient()
    assert set(emails.values()) == {1}
    assert set(emails) == {addr for ch, addr in routes.values() if ch == "email"}
    sms_numbers = Counter(post["to"] for post in servers.sms.posts)
    assert set(sms_numbers.values()) == {1}
    assert set(sms_numbers) == {addr for ch, addr in routes.values() if ch == "sms"}
    with open(letters / "manifest.csv", newline="") as fh:
        batch = list(csv.DictReader(fh))
    assert sorted(r["registry_id"] for r in batch) == sorted(
        rid for rid, (ch, _) in routes.items() if ch == "letter")
    assert len(list(letters.glob("*.pdf"))) == want["letter"]


def test_send_with_fallback_and_rerun_sends_nothing(incident, servers, tmp_path, synthetic):
    engine, incident_id, inputs = incident
    draft_patients(engine, incident_id, inputs["registry"], tmp_path / "out")
    letters = tmp_path / "letters"
    counts = send_incident(engine, incident_id, channels_for(servers, letters),
                           ["email", "sms", "letter"], rate=0, backoff=0.01)
    routes = expected_routes(synthetic, 40)
    assert counts["sent"] == 40
    assert_exactly_once(servers, letters, routes)
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(outbox.c.status, func.count())
                                     .group_by(outbox.c.status)).all())
    assert statuses == {"sent": 40, "bounced": 2}          # R000007 and R000032 bounced
    again = send_incident(engine, incident_id, channels_for(servers, letters),
                          ["email", "sms", "letter"], rate=0, backoff=0.01)
    assert again == Counter(already_sent=40)
    assert_exactly_once(servers, letters, routes)
    written = draft_cnil(engine, incident_id, tmp_path / "cnil")    # counts feed the CNIL draft
    assert ("courriel : 34 envoyés dont 0 distribué (accusé de réception), 2 rejetés (autre "
            "canal essayé) ; courrier postal : 2 envoyés ; SMS : 4 envoyés dont 0 distribué "
            "(accusé de réception) ; total : 40 envoyés, 0 distribué (accusé de réception), "
            "2 rejetés") in written[0].read_text()
    letter = next(rid for rid, (ch, _) in routes.items() if ch == "letter")
    pdf = next(letters.glob("*.pdf"))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "des résultats d'analyses médicales" in text and "rue de l'Essai" in text
    for art34_element in ("accès non autorisé à des données",            # nature
                          "0800 000 000 (numéro dédié)", "Jeanne Essai",  # contact, DPO
                          "tentatives d'hameçonnage ciblé",               # consequences
                          "mots de passe réinitialisés",                   # measures
                          "Nous ne vous demanderons jamais"):              # anti-phishing
        assert art34_element in text, art34_element
    assert letter == "R000019"


def test_gateway_down_is_retried_then_failed_and_resumed(incident, servers, tmp_path):
    engine, incident_id, inputs = incident
    draft_patients(engine, incident_id, inputs["registry"], tmp_path / "out")
    dead = {"sms": lambda: SmsGatewayChannel("http://127.0.0.1:9", "jeton-de-test")}
    counts = send_incident(engine, incident_id, dead, ["sms"], rate=0, max_attempts=2,
                           backoff=0.01)
    assert counts["failed"] == 38                           # 2 patients have no phone
    live = {"sms": lambda: SmsGatewayChannel(servers.sms_url, "jeton-de-test")}
    resumed = send_incident(engine, incident_id, live, ["sms"], rate=0, backoff=0.01)
    assert resumed["sent"] == 38
    assert set(Counter(p["to"] for p in servers.sms.posts).values()) == {1}


def test_crash_mid_way_then_resume_sends_exactly_once(make_incident, servers, tmp_path,
                                                      synthetic):
    patients = 10_000
    engine, incident_id, inputs = make_incident(patients=patients)
    draft_patients(engine, incident_id, inputs["registry"], tmp_path / "out")
    engine.dispose()
    letters = tmp_path / "letters"
    command = [VIGIE, "notify", "send", "--incident", str(incident_id),
               "--smtp", f"127.0.0.1:{servers.smtp_port}", "--smtp-status-url", servers.status_url,
               "--sms-url", servers.sms_url, "--letters-dir", str(letters),
               "--rate", "0", "--backoff", "0.05"]
    env = {**os.environ, "VIGIE_SMS_TOKEN": "jeton-de-test"}
    routes = expected_routes(synthetic, patients)
    emails_expected = sum(1 for ch, _ in routes.values() if ch == "email")

    sender = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    give_up = time.monotonic() + 600          # hang guard only, not a speed assertion
    while len(servers.mail.messages) < emails_expected // 3 and time.monotonic() < give_up:
        time.sleep(0.005)
    os.kill(sender.pid, signal.SIGKILL)
    assert sender.wait() == -signal.SIGKILL
    delivered_before_crash = len(servers.mail.messages)
    assert 0 < delivered_before_crash < emails_expected

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 0, resumed.stderr
    assert "already_sent" in resumed.stdout
    assert_exactly_once(servers, letters, routes)
    with open_register(None).connect() as conn:
        sent = conn.execute(select(func.count()).select_from(outbox)
                            .where(outbox.c.status == "sent")).scalar_one()
    assert sent == patients


def test_ledger_on_postgresql(home, pg_url, servers, tmp_path, synthetic, facts):
    from datetime import datetime, timezone

    from vigie.incidents import open_incident, record_facts
    inputs = synthetic.build(tmp_path / "run", patients=30)
    engine = open_register(pg_url)
    incident_id = open_incident(engine, inputs["assessment"], datetime.now(timezone.utc))
    record_facts(engine, incident_id, facts, "dpo")
    draft_patients(engine, incident_id, inputs["registry"], tmp_path / "out")
    letters = tmp_path / "letters"
    first = send_incident(engine, incident_id, channels_for(servers, letters),
                          ["email", "sms", "letter"], rate=0, backoff=0.01)
    again = send_incident(engine, incident_id, channels_for(servers, letters),
                          ["email", "sms", "letter"], rate=0, backoff=0.01)
    assert first["sent"] == 30 and again == Counter(already_sent=30)
    assert_exactly_once(servers, letters, expected_routes(synthetic, 30))
    engine.dispose()
