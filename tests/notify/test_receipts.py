"""Delivery receipts: e-mail DSNs (RFC 3464) from a mailbox export and the SMS gateway's
receipts move ledger rows to delivered or bounced; a late bounce makes the next `send`
fall back to the patient's next channel; malformed reports are skipped with a warning
naming the file; the complementary CNIL notification counts sent / delivered / bounced.
"""

from __future__ import annotations

import mailbox
import random
from collections import Counter

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from vigie.cli.app import app
from vigie.errors import InputError, UsageError
from vigie.incidents import record_filing
from vigie.incidents.tables import outbox
from vigie.notify import dsn
from vigie.notify.channels import LetterChannel, SmsGatewayChannel, SmtpChannel
from vigie.notify.documents import draft_cnil
from vigie.notify.patients import draft_patients
from vigie.notify.sender import send_incident

KEY = "0123456789abcdef0123456789abcdef01234567"


def report(message_id: str | None = None, *, action: str = "delivered", status: str = "2.0.0",
           envid: str | None = None, returned: str = "headers",
           recipient: str = "patient@exemple.test") -> bytes:
    """A DSN laid out as Postfix writes one (RFC 3464 multipart/report)."""
    per_message = "Reporting-MTA: dns; relais.exemple.test\n"
    if envid:
        per_message += f"Original-Envelope-Id: {envid}\n"
    original = f"Message-ID: {message_id}\nSubject: Incident\n" if message_id else "Subject: x\n"
    returned_part = (f"Content-Type: text/rfc822-headers\n\n{original}" if returned == "headers"
                     else f"Content-Type: message/rfc822\n\n{original}\nCorps du message.\n")
    return (
        "From: MAILER-DAEMON@relais.exemple.test (Mail Delivery System)\n"
        "To: dpo@labo-exemple.test\nSubject: Delivery Status Notification\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="LIMITE"\n\n'
        "--LIMITE\nContent-Type: text/plain\n\nThis is the mail system at host relais.\n\n"
        f"--LIMITE\nContent-Type: message/delivery-status\n\n{per_message}\n"
        f"Final-Recipient: rfc822; {recipient}\nOriginal-Recipient: rfc822;{recipient}\n"
        f"Action: {action}\nStatus: {status}\nDiagnostic-Code: smtp; 250 2.0.0 Ok\n\n"
        f"--LIMITE\n{returned_part}\n--LIMITE--\n").encode()


OUT_OF_OFFICE = (b"From: patient3@exemple.test\nTo: dpo@labo-exemple.test\n"
                 b"Subject: Absent\nContent-Type: text/plain\n\nJe suis absent.\n")


# ---------------------------------------------------------------------------- parsing


def test_a_bounce_is_tied_to_its_message_by_the_returned_message_id():
    parsed = dsn.parse(report(SmtpChannel.message_id(KEY), action="failed", status="5.1.1"))
    assert parsed == dsn.Report(KEY, "failed", "5.1.1")


def test_the_whole_returned_message_or_the_envelope_id_also_identify_it():
    full = dsn.parse(report(SmtpChannel.message_id(KEY), returned="message"))
    assert full == dsn.Report(KEY, "delivered", "2.0.0")
    envid_only = dsn.parse(report(None, envid=KEY.upper()))
    assert envid_only == dsn.Report(KEY, "delivered", "2.0.0")


def test_reports_on_other_messages_and_ordinary_mail():
    assert dsn.parse(report("<autre@serveur.test>")).key is None
    assert dsn.parse(OUT_OF_OFFICE) is None


@pytest.mark.parametrize("raw, fault", [
    (report(SmtpChannel.message_id(KEY)).replace(b"Action: delivered\n", b""),
     "a recipient block has no valid Action field"),
    (report(SmtpChannel.message_id(KEY), action="vanished"),
     "a recipient block has no valid Action field"),
    (report(SmtpChannel.message_id(KEY), status="OK"),
     "a recipient block has no valid Status code"),
    (report(SmtpChannel.message_id(KEY)).replace(b"message/delivery-status", b"text/plain"),
     "no message/delivery-status part"),
])
def test_malformed_reports_say_what_is_wrong(raw, fault):
    with pytest.raises(dsn.MalformedReport) as err:
        dsn.parse(raw)
    assert str(err.value) == fault


def test_mangled_reports_never_crash_the_parser():
    base = report(SmtpChannel.message_id(KEY), action="failed", status="5.1.1")
    rng = random.Random(7)
    outcomes = Counter()
    for _ in range(300):
        raw = bytearray(base)
        for _ in range(rng.randint(1, 20)):
            at = rng.randrange(len(raw))
            if rng.random() < 0.5:
                raw[at] = rng.randrange(256)
            else:
                del raw[at:at + rng.randint(1, 30)]
        try:
            outcomes[type(dsn.parse(bytes(raw))).__name__] += 1
        except dsn.MalformedReport:
            outcomes["malformed"] += 1
    assert outcomes["malformed"] and outcomes["Report"]        # both paths were exercised


def test_reports_are_read_from_eml_files_an_mbox_and_a_maildir(tmp_path):
    raw = report(SmtpChannel.message_id(KEY))
    folder = tmp_path / "eml"
    folder.mkdir()
    (folder / "b.eml").write_bytes(raw)
    (folder / "a.eml").write_bytes(OUT_OF_OFFICE)
    (folder / "notes.txt").write_text("pas un message")
    assert [label for label, _ in dsn.messages(folder)] == [str(folder / "a.eml"),
                                                           str(folder / "b.eml")]
    box = mailbox.mbox(tmp_path / "bounces.mbox")
    box.add(raw)
    box.add(OUT_OF_OFFICE)
    box.close()
    read = list(dsn.messages(tmp_path / "bounces.mbox"))
    assert [label for label, _ in read] == [f"{tmp_path / 'bounces.mbox'}: message {n}"
                                            for n in (1, 2)]
    assert dsn.parse(read[0][1]).key == KEY
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(raw)
    assert [dsn.parse(m).key for _, m in dsn.messages(tmp_path / "Maildir")] == [KEY]
    with pytest.raises(InputError) as err:
        list(dsn.messages(tmp_path / "absent"))
    assert str(err.value) == f"{tmp_path / 'absent'}: no such file or folder"


# ---------------------------------------------------------------------------- end to end


def vigie(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def statuses(engine, channel: str) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(select(outbox.c.status, func.count())
                                 .where(outbox.c.channel == channel)
                                 .group_by(outbox.c.status)).all())


def test_receipts_settle_the_ledger_late_bounces_fall_back_and_feed_the_cnil(
        incident, dsn_servers, tmp_path):
    engine, incident_id, inputs = incident
    draft_patients(engine, incident_id, inputs["registry"], tmp_path / "out")
    servers, letters = dsn_servers, tmp_path / "letters"
    channels = {"email": lambda: SmtpChannel("127.0.0.1", servers.smtp_port),
                "sms": lambda: SmsGatewayChannel(servers.sms_url, "jeton-de-test"),
                "letter": lambda: LetterChannel(letters)}
    order = ["email", "sms", "letter"]
    assert send_incident(engine, incident_id, channels, order, rate=0)["sent"] == 40

    # The relay speaks DSN: every message asked for success and failure receipts, with
    # its key as envelope id and only the headers returned.
    emailed = {rcpt: message_id for rcpt, message_id, _ in servers.mail.messages}
    assert len(emailed) == 34
    for message_id, (mail, rcpt) in servers.mail.dsn_options.items():
        key = SmtpChannel.key_from_message_id(message_id)
        dsn_mail = sorted(o for o in mail if not o.startswith("SIZE="))   # smtplib adds SIZE
        assert dsn_mail == ["ENVID=" + key.upper(), "RET=HDRS"]
        assert rcpt == ["NOTIFY=SUCCESS,FAILURE,DELAY"]

    # What came back to the sender's mailbox: two late bounces (patients 0 and 1), one
    # delay (patient 2), deliveries for the others (half identified by ENVID only), and
    # the usual clutter.
    inbox = tmp_path / "bounces"
    inbox.mkdir()
    for n, (rcpt, message_id) in enumerate(sorted(emailed.items())):
        key = SmtpChannel.key_from_message_id(message_id)
        if rcpt in ("patient0@exemple.test", "patient1@exemple.test"):
            raw = report(message_id, action="failed", status="5.2.2", recipient=rcpt)
        elif rcpt == "patient2@exemple.test":
            raw = report(message_id, action="delayed", status="4.4.1", recipient=rcpt)
        else:
            raw = report(message_id if n % 2 else None, envid=key, recipient=rcpt)
        (inbox / f"dsn{n:03d}.eml").write_bytes(raw)
    (inbox / "absent.eml").write_bytes(OUT_OF_OFFICE)
    (inbox / "autre.eml").write_bytes(report("<autre@serveur.test>", action="failed",
                                             status="5.1.1"))
    broken = inbox / "casse.eml"
    broken.write_bytes(report(next(iter(emailed.values()))).replace(b"Action: delivered\n",
                                                                    b""))
    result = vigie("notify", "receipts", "--incident", incident_id, inbox)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == ("email receipts: delivered 31, bounced 2, unchanged 0, "
                                     "not final 1, unmatched 1, not a report 1, malformed 1")
    assert f"warning: {broken}: malformed delivery report skipped (a recipient block has " \
           "no valid Action field)" in " ".join(result.stderr.split())
    assert "patient" not in result.output                        # no address printed
    assert statuses(engine, "email") == {"delivered": 31, "bounced": 4, "sent": 1}
    again = vigie("notify", "receipts", "--incident", incident_id, inbox)
    assert "delivered 0, bounced 0, unchanged 33," in again.stdout

    # The next send moves the two late bounces on to SMS, and only them.
    before = Counter(post["to"] for post in servers.sms.posts)
    rerun = send_incident(engine, incident_id, channels, order, rate=0)
    assert rerun == Counter(sent=2, already_sent=38)
    new_sms = Counter(post["to"] for post in servers.sms.posts) - before
    assert new_sms == Counter({"+33600000000": 1, "+33600000001": 1})
    assert len(servers.mail.messages) == 34

    # SMS receipts from the gateway: patient 7's number is undeliverable, patient 9's
    # receipt has not come back; the next send gives patient 7 a letter.
    servers.sms.undeliverable.add("+33600000007")
    servers.sms.no_receipt_yet.add("+33600000009")
    polled = vigie("notify", "receipts", "--incident", incident_id, "--sms-url",
                   servers.sms_url, "--sms-token", "jeton-de-test")
    assert polled.exit_code == 0, polled.output
    assert polled.stdout.strip() == ("sms receipts: delivered 4, bounced 1, unchanged 0, "
                                     "no receipt 1, lookup failed 0")
    assert send_incident(engine, incident_id, channels, order, rate=0)["sent"] == 1
    assert len(list(letters.glob("*.pdf"))) == 3
    assert len(servers.sms.posts) == 6

    record_filing(engine, incident_id, "gdpr-33-cnil", "dpo", reference="CNIL-1")
    text = draft_cnil(engine, incident_id, tmp_path / "cnil", phase="complementary")[0].read_text()
    assert ("Envois réalisés** : courriel : 32 envoyés dont 31 distribués (accusé de "
            "réception), 4 rejetés (autre canal essayé) ; courrier postal : 3 envoyés ; "
            "SMS : 5 envoyés dont 4 distribués (accusé de réception), 1 rejeté (autre canal "
            "essayé) ; total : 40 envoyés, 35 distribués (accusé de réception), 5 rejetés") \
        in text


def test_receipts_need_a_source_and_an_existing_path(incident, tmp_path):
    _, incident_id, _ = incident
    assert isinstance(vigie("notify", "receipts", "--incident", incident_id).exception,
                      UsageError)
    missing = vigie("notify", "receipts", "--incident", incident_id, tmp_path / "absent")
    assert isinstance(missing.exception, InputError)
    assert str(missing.exception) == f"{tmp_path / 'absent'}: no such file or folder"
