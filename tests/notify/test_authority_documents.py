"""CNIL and ARS drafts: every art. 33(3) element in the Markdown AND in the PDF's text,
the completeness gate, the 72-hour rule, complementary notifications with a diff."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from vigie.errors import UsageError
from vigie.incidents import record_facts, record_filing
from vigie.notify.documents import draft_ars, draft_cnil


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


ART33_ELEMENTS = {
    "nature (a)": "perte de confidentialité",
    "persons, approximate number (a)": "120 [approximatif",
    "records, exact number (a)": "240 [exact",
    "data categories (a)": "données de santé (art. 9 RGPD)",
    "DPO name (b)": "Jeanne Essai",
    "DPO contact (b)": "dpo@labo-exemple.test",
    "likely consequences (c)": "usurpation d'identité",
    "measures (d)": "mots de passe réinitialisés",
}


def test_cnil_draft_carries_every_art33_element(incident, tmp_path):
    engine, incident_id, _ = incident
    md_path, pdf_path = draft_cnil(engine, incident_id, tmp_path / "out", complete=True)
    markdown = md_path.read_text()
    text = pdf_text(pdf_path)
    for element, expected in ART33_ELEMENTS.items():
        assert expected in markdown, element
        assert expected in text, element
    assert "Statut** : complète" in markdown
    assert "(champ 87)** : grave" in markdown
    assert "évaluation Vigie" in markdown                   # figures name the run
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o700


def test_complete_is_refused_while_an_item_is_empty(make_incident, facts, tmp_path):
    del facts["measures"]
    engine, incident_id, _ = make_incident(facts=facts)
    with pytest.raises(UsageError) as err:
        draft_cnil(engine, incident_id, tmp_path / "out", complete=True)
    assert "measures taken or proposed" in str(err.value)
    md_path, _ = draft_cnil(engine, incident_id, tmp_path / "out")      # initial, incomplete
    assert "incomplète" in md_path.read_text()
    assert "art. 33(3)(d)" in md_path.read_text()


def test_after_72_hours_the_reasons_for_delay_are_required(make_incident, tmp_path):
    engine, incident_id, _ = make_incident(hours_ago=80)
    with pytest.raises(UsageError) as err:
        draft_cnil(engine, incident_id, tmp_path / "out")
    assert "reasons for the delay" in str(err.value)
    record_facts(engine, incident_id, {"delay_reasons": "Fichier reçu d'un journaliste au jour 4."},
                 "dpo")
    md_path, pdf_path = draft_cnil(engine, incident_id, tmp_path / "out")
    assert "Motifs du retard** : Fichier reçu d'un journaliste" in md_path.read_text()
    assert "Motifs du retard" in pdf_text(pdf_path)


def test_complementary_keeps_previous_reference_and_diffs(incident, tmp_path):
    engine, incident_id, _ = incident
    with pytest.raises(UsageError):
        draft_cnil(engine, incident_id, tmp_path / "out", phase="complementary")
    draft_cnil(engine, incident_id, tmp_path / "out")
    record_filing(engine, incident_id, "gdpr-33-cnil", "dpo", reference="CNIL-2026-123")
    record_facts(engine, incident_id, {"causes": "Mot de passe administrateur réutilisé."}, "dpo")
    written = draft_cnil(engine, incident_id, tmp_path / "out", phase="complementary")
    markdown = written[0].read_text()
    assert "notification complémentaire" in markdown
    assert "Référence de la notification précédente** : CNIL-2026-123" in markdown
    diff = (tmp_path / "out" / "cnil.diff").read_text()
    assert "+- **Cause** : Mot de passe administrateur réutilisé." in diff


def test_ars_draft_has_the_four_blocks_of_the_2017_arrete(incident, tmp_path):
    engine, incident_id, _ = incident
    md_path, pdf_path = draft_ars(engine, incident_id, tmp_path / "out")
    text = pdf_text(pdf_path)
    for block in ("1. Structure et déclarant", "2. Description de l'incident", "3. Impacts",
                  "4. Causes"):
        assert block in md_path.read_text() and block in text
    assert "signalement.social-sante.gouv.fr" in text


def test_complementary_notification_uses_the_attached_assessment(incident, tmp_path, synthetic):
    import json

    from vigie.incidents import attach_assessment
    engine, incident_id, _ = incident
    draft_cnil(engine, incident_id, tmp_path / "out")
    record_filing(engine, incident_id, "gdpr-33-cnil", "dpo", reference="CNIL-7")
    newer = tmp_path / "rerun"
    newer.mkdir()
    data = synthetic.assessment(persons=150)
    (newer / "assessment.json").write_text(json.dumps(data))
    digest = attach_assessment(engine, incident_id, newer)["assessment_sha256"]
    written = draft_cnil(engine, incident_id, tmp_path / "out", phase="complementary")
    markdown = written[0].read_text()
    assert f"150 [approximatif ; source : évaluation Vigie {digest[:12]}" in markdown
    diff = (tmp_path / "out" / "cnil.diff").read_text()
    assert "-- **Nombre de personnes dans le fichier** : 120" in diff
    assert "+- **Nombre de personnes dans le fichier** : 150" in diff


def test_complementary_notification_shows_how_the_affected_set_changed(incident, tmp_path,
                                                                        synthetic):
    import csv
    import json

    from vigie.incidents import attach_assessment
    engine, incident_id, _ = incident
    draft_cnil(engine, incident_id, tmp_path / "first")
    record_filing(engine, incident_id, "gdpr-33-cnil", "dpo", reference="CNIL-7")
    phase2 = tmp_path / "phase2"
    phase2.mkdir()
    (phase2 / "assessment.json").write_text(json.dumps(synthetic.assessment(persons=150)))
    with open(phase2 / "affected.csv", "w", newline="") as fh:      # patients 10..59, all NIR
        writer = csv.writer(fh)
        writer.writerow(["registry_id", "match_probability", "exposed_kinds"])
        for i in range(10, 60):
            kinds = sorted(set(synthetic.kinds_for(i)) | {"nir"})
            writer.writerow([f"R{i:06d}", "0.99", "|".join(kinds)])
    attach_assessment(engine, incident_id, phase2)
    md_path, pdf_path, _ = draft_cnil(engine, incident_id, tmp_path / "second",
                                      phase="complementary")
    markdown = " ".join(md_path.read_text().replace("**", "").split())
    assert "Nombre de patients de notre registre identifiés : 50 [approximatif" in markdown
    assert ("Évolution depuis la notification précédente : 40 patients de notre registre lors "
            "de la notification précédente, 50 aujourd'hui (réévaluation du ") in markdown
    assert ": 20 ajoutés, 10 retirés)" in markdown
    assert ("Évolution par donnée exposée : nom : 50 patients (précédemment 40) ; prénom : 50 "
            "patients (précédemment 40) ; adresse e-mail : 50 patients (précédemment 40) ; "
            "numéro de sécurité sociale (NIR) : 50 patients (précédemment 20) ; des résultats "
            "d'analyses médicales : 50 patients (précédemment 40) ; une information relative à "
            "un test ou un suivi VIH : 12 patients (précédemment 10) ") in markdown
    assert "50 aujourd'hui" in pdf_text(pdf_path)
    assert "Évolution" not in (tmp_path / "first" / "cnil.md").read_text()


def test_authority_labels_read_as_french_without_possessives():
    """Documents for the CNIL, the ARS, controllers and doctors name each kind without
    "votre"; kinds where dropping it breaks the phrase have their own wording."""
    import re

    from vigie.kinds import EXPOSED_NAMES, meaning
    from vigie.notify.facts import neutral_label

    for kind in (k for k in EXPOSED_NAMES if meaning(k).personal):
        label = neutral_label(kind)
        assert label and not re.search(r"\b(votre|vos|vous)\b", label), kind
        assert not re.search(r"\b(de|à) (médecin|mutuelle|pièce)\b", label), label
    assert neutral_label("physician") == "le nom du médecin"
    assert neutral_label("lab_test") == "la liste des analyses médicales prescrites"
