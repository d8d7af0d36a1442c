"""The whole chain as a user runs it, through the installed `vigie` command: synth ->
assess -> incident open -> fact -> notify draft cnil|ars|patients -> notify send (a real
loopback SMTP server for e-mail, a PDF batch for letters) -> incident verify, then a
tampered chronology row makes verify fail."""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path

from pypdf import PdfReader

from vigie.kinds import KINDS, MENTIONS

VIGIE = str(Path(sys.executable).with_name("vigie"))
FACTS = {
    "organisation": "Laboratoire Synthèse Est",
    "dpo_name": "Claire Exemple",
    "dpo_contact": "dpo@labo-synthese.test",
    "contact_point": "0800 000 111 (numéro dédié)",
    "description": "Export de la base patients publié sur un forum",
    "consequences": "Hameçonnage ciblé des patients au nom du laboratoire",
    "measures": "Accès du prestataire révoqués, plainte déposée",
}
# Any way a message could tell a patient their social security number leaked.
NIR_MENTION = re.compile(r"\bNIR\b|s[ée]curit[ée] sociale|\bs[ée]cu\b", re.IGNORECASE)


def vigie(home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "VIGIE_MASTER_KEY"}
    env.update(VIGIE_HOME=str(home), COLUMNS="200")
    return subprocess.run([VIGIE, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def flat(text: str) -> str:
    """Whitespace collapsed, so a figure wrapped over two PDF lines still matches."""
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))


def email_text(raw: bytes) -> str:
    message = message_from_bytes(raw, policy=policy.default)
    return "\n".join(message.get_body((kind,)).get_content() for kind in ("plain", "html"))


def assert_art33_3(text: str, assessment: dict, affected_count: int) -> None:
    """Every art. 33(3) element: nature, approximate numbers of persons and records, DPO
    contact, likely consequences, measures taken."""
    def number(n: int) -> str:
        return f"{n:,}".replace(",", " ")
    records = sum(table["rows"] for table in assessment["tables"])
    assert "perte de confidentialité" in text and FACTS["description"] in text
    assert f"Nombre de personnes dans le fichier : {number(assessment['persons']['distinct'])} " \
           "[approximatif" in text
    assert f"Nombre de patients de notre registre identifiés : {number(affected_count)} " \
           "[approximatif" in text
    assert f"Nombre d'enregistrements : {number(records)} [exact" in text
    assert "données de santé (art. 9 RGPD)" in text
    assert FACTS["dpo_name"] in text and FACTS["dpo_contact"] in text
    assert FACTS["consequences"] in text
    assert FACTS["measures"] in text


def test_synth_to_verified_sending(tmp_path, servers):
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir()
    ok(vigie(home, work, "synth", "linkage", "--registry", "1500", "--leak-persons", "600",
             "--seed", "5", "--out", "P"))
    ok(vigie(home, work, "assess", "P/leak.csv", "--registry", "P/registry.csv",
             "--registry-id", "patient_id", "--registry-group", "site", "--out", "A",
             "--format", "json"))
    for name in ("assessment.json", "affected.csv"):
        assert (work / "A" / name).stat().st_mode & 0o777 == 0o600
    assessment = json.loads((work / "A" / "assessment.json").read_text(encoding="utf-8"))
    affected = {row["registry_id"]: set(row["exposed_kinds"].split("|"))
                for row in read_csv(work / "A" / "affected.csv")}
    assert len(affected) > 100

    aware = (datetime.now(timezone.utc) - timedelta(hours=2)).isoformat(timespec="minutes")
    incident_id = ok(vigie(home, work, "incident", "open", "--assessment", "A",
                           "--aware-at", aware)).strip()
    assert incident_id.isdigit()
    ok(vigie(home, work, "incident", "fact", incident_id,
             *[f"{name}={value}" for name, value in FACTS.items()]))
    status = ok(vigie(home, work, "incident", "status", incident_id))
    assert "Obligations (Paris time)" in status
    assert f"Registry persons affected: {len(affected)}" in status

    # Authority documents: every art. 33(3) element in the Markdown and in the PDF's text.
    ok(vigie(home, work, "notify", "draft", "cnil", "--incident", incident_id, "--out", "D"))
    ok(vigie(home, work, "notify", "draft", "ars", "--incident", incident_id, "--out", "D"))
    documents = work / "D"
    cnil_md = flat((documents / "cnil.md").read_text(encoding="utf-8").replace("**", ""))
    assert_art33_3(cnil_md, assessment, len(affected))
    assert_art33_3(pdf_text(documents / "cnil.pdf"), assessment, len(affected))
    assert re.search(r"Gravité : (faible|moyenne|élevée|très élevée) \(", cnil_md)
    assert (documents / "ars.md").exists() and FACTS["organisation"] in pdf_text(
        documents / "ars.pdf")

    # Patients: one message per affected registry person and channel, only their kinds.
    ok(vigie(home, work, "notify", "draft", "patients", "--incident", incident_id, "--out", "D",
             "--registry", "P/registry.csv"))
    patients = documents / "patients"
    manifest = read_csv(patients / "manifest.csv")
    assert list(manifest[0]) == ["registry_id", "channel", "file", "kinds"]
    per_channel = Counter((row["registry_id"], row["channel"]) for row in manifest)
    assert set(per_channel.values()) == {1}
    assert {row["registry_id"] for row in manifest} == set(affected)
    assert {rid for rid, channel in per_channel if channel == "letter"} == set(affected)
    vocabulary = set(KINDS) | set(MENTIONS)
    for row in manifest:
        kinds = row["kinds"].split("|")
        assert set(kinds) <= vocabulary and len(kinds) == len(set(kinds))
        assert set(kinds) == affected[row["registry_id"]]

    without_nir = sorted(rid for rid, kinds in affected.items() if "nir" not in kinds)
    with_nir = sorted(rid for rid, kinds in affected.items() if "nir" in kinds)
    assert without_nir and with_nir
    drafts = {(row["registry_id"], row["channel"]): patients / row["file"] for row in manifest}

    def drafted_text(registry_id: str, channel: str) -> str:
        path = drafts[(registry_id, channel)]
        return email_text(path.read_bytes()) if channel == "email" else path.read_text("utf-8")

    assert NIR_MENTION.search(drafted_text(with_nir[0], "letter"))     # the check can fail
    for registry_id in without_nir:
        for channel in ("email", "sms", "letter"):
            if (registry_id, channel) in drafts:
                assert not NIR_MENTION.search(drafted_text(registry_id, channel)), \
                    (registry_id, channel)

    # Sending: e-mail first (real SMTP on loopback), a letter when there is no address.
    send = ("notify", "send", "--incident", incident_id, "--channels", "email,letter",
            "--smtp", f"127.0.0.1:{servers.smtp_port}", "--smtp-status-url",
            servers.status_url, "--letters-dir", "L", "--rate", "0")
    ok(vigie(home, work, *send))
    registry = {row["patient_id"]: row for row in read_csv(work / "P" / "registry.csv")}
    emailed = {rid for rid, channel in per_channel if channel == "email"}
    assert emailed and emailed != set(affected)
    received = servers.mail.per_recipient()
    assert set(received.values()) == {1}
    assert set(received) == {registry[rid]["email"].strip() for rid in emailed}
    letters = read_csv(work / "L" / "manifest.csv")
    lettered = Counter(row["registry_id"] for row in letters)
    assert set(lettered.values()) == {1}
    assert set(lettered) == set(affected) - emailed             # exactly one message each
    assert len(received) + len(lettered) == len(affected)

    # What a patient without a leaked NIR actually receives does not mention it.
    quiet = next(rid for rid in without_nir if rid in lettered)
    letter_file = next(row["file"] for row in letters if row["registry_id"] == quiet)
    letter = pdf_text(work / "L" / letter_file)
    assert FACTS["contact_point"] in letter and not NIR_MENTION.search(letter)
    mailed_quiet = next((rid for rid in without_nir if rid in emailed), None)
    if mailed_quiet is not None:
        address = registry[mailed_quiet]["email"].strip()
        raw = next(raw for rcpt, _, raw in servers.mail.messages if rcpt == address)
        assert not NIR_MENTION.search(email_text(raw))

    rerun = ok(vigie(home, work, *send))                         # safe to rerun: no resend
    assert f"already_sent: {len(affected)}" in rerun
    assert servers.mail.per_recipient() == received

    # The chronology verifies, and a row changed behind Vigie's back is detected.
    assert "chain intact" in ok(vigie(home, work, "incident", "verify", incident_id))
    db = sqlite3.connect(home / "register.sqlite")
    with db:
        changed = db.execute("UPDATE vigie_chronology SET payload = replace(payload, ?, ?) "
                             "WHERE incident_id = ? AND kind = 'fact'",
                             (FACTS["measures"], "Aucune mesure", int(incident_id))).rowcount
    db.close()
    assert changed == 1
    tampered = vigie(home, work, "incident", "verify", incident_id)
    assert tampered.returncode != 0 and "TAMPERED" in tampered.stdout
