"""Per-patient art. 34 messages: only the kinds that leaked about that patient, every
art. 34(2) element, the anti-phishing line, no link, SMS within two GSM-7 segments."""

from __future__ import annotations

import csv
import json
from email import message_from_bytes, policy

import pytest

from vigie.errors import InputError, UsageError
from vigie.notify import advice
from vigie.notify.patients import draft_patients
from vigie.notify.sms import GSM7, GSM7_EXTENDED, segments


def manifest_rows(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def email_parts(path):
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return message, text, html


@pytest.fixture
def drafted(incident, tmp_path):
    engine, incident_id, inputs = incident
    manifest = draft_patients(engine, incident_id, inputs["registry"], tmp_path / "out",
                              sender="dpo@labo-exemple.test")
    return manifest, manifest_rows(manifest)


def test_manifest_lists_every_patient_channel_with_their_kinds(drafted):
    manifest, rows = drafted
    assert list(rows[0]) == ["registry_id", "channel", "file", "kinds"]
    patients = {r["registry_id"] for r in rows}
    assert len(patients) == 40                          # the 5 registry-only people: no message
    first = [r for r in rows if r["registry_id"] == "R000000"]
    assert {r["channel"] for r in first} == {"email", "sms", "letter"}
    assert first[0]["kinds"] == "last_name|first_name|email|nir|lab_result|hiv"
    no_email = {r["channel"] for r in rows if r["registry_id"] == "R000009"}
    assert no_email == {"sms", "letter"}
    assert manifest.stat().st_mode & 0o777 == 0o600


def test_patient_without_nir_is_not_told_it_leaked(drafted):
    manifest, rows = drafted
    folder = manifest.parent
    with_nir = next(r for r in rows if r["registry_id"] == "R000000" and r["channel"] == "email")
    without = next(r for r in rows if r["registry_id"] == "R000001" and r["channel"] == "email")
    _, text_nir, _ = email_parts(folder / with_nir["file"])
    _, text, html = email_parts(folder / without["file"])
    assert "numéro de sécurité sociale (NIR)" in text_nir
    assert "VIH" in text_nir
    for body in (text, html.replace("&#39;", "'")):
        assert "(NIR)" not in body
        assert "Votre numéro de sécurité sociale et votre mutuelle" not in body   # its advice block
        assert "VIH" not in body
        assert "des résultats d'analyses médicales" in body
    letter = (folder / without["file"].replace(".email.eml", ".letter.md")).read_text()
    assert "(NIR)" not in letter


def test_every_art34_element_and_no_link(drafted):
    manifest, rows = drafted
    message, text, html = email_parts(manifest.parent / rows[0]["file"])
    expected = {
        "nature of the breach": "accès non autorisé à des données",
        "contact point (art. 33(3)(b))": "0800 000 000 (numéro dédié)",
        "DPO": "Jeanne Essai, dpo@labo-exemple.test",
        "likely consequences (c)": "usurpation d'identité",
        "measures (d)": "mots de passe réinitialisés",
        "advice with its authority": "Source : Assurance Maladie",
        "anti-phishing line": "Nous ne vous demanderons jamais vos coordonnées bancaires",
    }
    for element, phrase in expected.items():
        assert phrase in text, element
        assert phrase.replace("'", "&#39;") in html or phrase in html, element
    for body in (text, html):
        assert "http" not in body and "href" not in body
    assert message["To"] == "patient0@exemple.test"
    assert message["X-Vigie-Template"].startswith(advice.version() + "+")


def test_sms_fits_two_gsm7_segments(drafted):
    manifest, rows = drafted
    for row in (r for r in rows if r["channel"] == "sms"):
        sms = json.loads((manifest.parent / row["file"]).read_text())
        assert sms["to"].startswith("+33")
        assert segments(sms["text"]) <= 2
        assert all(c in GSM7 or c in GSM7_EXTENDED for c in sms["text"])
        assert "jamais" in sms["text"]


def test_patients_draft_needs_contact_and_measures(make_incident, facts, tmp_path):
    del facts["contact_point"]
    engine, incident_id, inputs = make_incident(facts=facts)
    with pytest.raises(UsageError) as err:
        draft_patients(engine, incident_id, inputs["registry"], tmp_path / "out")
    assert "contact_point" in str(err.value)


def test_malformed_registry_names_file_and_line(incident, tmp_path):
    engine, incident_id, inputs = incident
    lines = inputs["registry"].read_text().splitlines()
    lines[5] = '"' + lines[5]                      # an unclosed quote on line 6
    inputs["registry"].write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        draft_patients(engine, incident_id, inputs["registry"], tmp_path / "out")
    # vigie.sources names the line where the parser gave up (the quote runs to the end).
    assert str(err.value) == f"{inputs['registry']}: line 47: malformed delimited text (quoting)"


def test_html_email_escapes_the_recorded_facts(make_incident, facts, tmp_path):
    facts["measures"] = "<script>alert(1)</script> serveur isolé"
    engine, incident_id, inputs = make_incident(facts=facts)
    manifest = draft_patients(engine, incident_id, inputs["registry"], tmp_path / "out")
    _, text, html = email_parts(manifest.parent / manifest_rows(manifest)[0]["file"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>" in text                    # plain text is not HTML: kept as typed
