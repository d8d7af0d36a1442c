"""ENISA 2013 severity on hand-built kind sets, including the research note's worked cases."""

import pytest

from vigie.assess.severity import (Circumstances, assess_severity, data_processing_context,
                                   ease_of_identification, level_of)


@pytest.mark.parametrize("score, level", [(0.25, "low"), (1.99, "low"), (2, "medium"),
                                          (2.99, "medium"), (3, "high"), (3.99, "high"),
                                          (4, "very high"), (6, "very high")])
def test_level_bands(score, level):
    assert level_of(score) == level


def test_dedalus_like_leak_is_very_high_at_five():
    kinds = {"last_name", "first_name", "nir", "hiv", "pregnancy", "lab_test"}
    sev = assess_severity(kinds, 491_840)
    assert (sev.dpc, sev.ei, sev.cb) == (4.0, 1.0, 1.0)
    assert sev.score == 5.0 and sev.level == "very high" and sev.edpb_severity == "Severe"
    text = " ".join(sev.reasons)
    assert "hiv" in text and "NIR" in text and "491840 distinct persons" in text
    assert "proposal" in text and "assumed" in text


def test_admin_only_patient_list_is_high():
    # Inovie admin-only case: identity, contact, NIR, insurer, treating doctor -> DPC 2, SE 3.
    kinds = {"last_name", "first_name", "address", "phone", "nir", "insurer", "physician"}
    sev = assess_severity(kinds, 10)
    assert sev.dpc == 2.0 and sev.ei == 1.0 and sev.score == 3.0 and sev.level == "high"
    assert any("treating physician" in r for r in sev.reasons)


def test_encrypted_no_exfiltration_case_is_low():
    sev = assess_severity({"email"}, 40, Circumstances("none", availability="recoverable",
                                                       assumed=()),
                          dpc=1, ei=0.25)
    assert sev.cb == 0.75 and sev.score == 1.0 and sev.level == "low"
    assert sev.edpb_severity == "Minor"
    assert any("set by the DPO" in r for r in sev.reasons)
    assert not any("assumed" in r for r in sev.reasons)


def test_financial_beats_simple_and_health_beats_financial():
    assert data_processing_context({"iban", "last_name"})[0] == 3
    assert data_processing_context({"iban", "lab_result"})[0] == 4


def test_health_context_adds_one_step_to_simple_data_only_when_asked():
    assert data_processing_context({"email"}, health_context=True)[0] == 2
    assert data_processing_context({"email"}, health_context=False)[0] == 1
    assert data_processing_context({"ip_address"}, health_context=True)[0] == 3


def test_no_personal_data_scores_lowest():
    sev = assess_severity({"record_id", "none", "event_date"}, 0,
                          Circumstances("none", malicious=False, assumed=()))
    assert sev.dpc == 1 and sev.ei == 0.25 and sev.score == 0.25 and sev.level == "low"


@pytest.mark.parametrize("kinds, ei", [
    ({"nir"}, 1.0), ({"last_name", "first_name", "date_of_birth"}, 1.0),
    ({"full_name", "address"}, 1.0), ({"last_name", "first_name"}, 0.75),
    ({"email"}, 0.75), ({"last_name"}, 0.5), ({"postcode", "sex"}, 0.25)])
def test_ease_of_identification(kinds, ei):
    assert ease_of_identification(kinds)[0] == ei


def test_circumstances_reject_unknown_levels():
    with pytest.raises(ValueError):
        Circumstances(confidentiality="everyone")
