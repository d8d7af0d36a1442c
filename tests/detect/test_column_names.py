"""Column-name dictionary: normalisation and whole-word matching."""

import pytest

from vigie.detect.column_names import HeaderIndex, header_words, match_header


def kinds(name):
    return set(match_header(name))


@pytest.mark.parametrize("name, kind", [
    ("NSS", "nir"), ("num_secu", "nir"), ("no_ss", "nir"), ("numSecu", "nir"), ("N° SS", "nir"),
    ("nom", "last_name"), ("NOM_PATIENT", "last_name"), ("lastName", "last_name"),
    ("nom_jf", "birth_name"), ("NOMJF", "birth_name"), ("nom_naiss", "birth_name"),
    ("Nom de naissance", "birth_name"), ("maiden_name", "birth_name"),
    ("prénom", "first_name"), ("firstName", "first_name"),
    ("ddn", "date_of_birth"), ("dt_nais", "date_of_birth"), ("date_naiss", "date_of_birth"),
    ("DateNaissance", "date_of_birth"), ("datenaissance", "date_of_birth"), ("dob", "date_of_birth"),
    ("Né(e) le", "date_of_birth"), ("sexe", "sex"), ("cp", "postcode"), ("code_postal", "postcode"),
    ("ZIP", "postcode"), ("ville", "city"), ("tel", "phone"), ("Tél.", "phone"),
    ("portable", "phone"), ("courriel", "email"), ("e-mail", "email"), ("mutuelle", "insurer"),
    ("amc", "insurer"), ("num_adh", "insurance_number"), ("grp", "blood_group"),
    ("groupe_sanguin", "blood_group"), ("rhesus", "blood_group"), ("medecin_traitant", "physician"),
    ("analyses", "lab_test"), ("resultats", "lab_result"), ("diagnostic", "diagnosis"),
    ("traitement", "medication"), ("iban", "iban"), ("rib", "iban"), ("login", "username"),
    ("mdp", "password"), ("password_hash", "password_hash"), ("ip", "ip_address"),
    ("created_at", "event_date"), ("date_prelev", "event_date"), ("date_rdv", "event_date"),
    ("lieu_naissance", "place_of_birth"), ("contact.email", "email"),
    ("patient.adresse.ville", "city"), ("medecin.nom", "physician"), ("appointments[].date", "event_date"),
])
def test_headers_name_their_kind(name, kind):
    assert kind in kinds(name), (name, kinds(name))


@pytest.mark.parametrize("name, kind", [
    ("compass", "password"), ("passage", "password"), ("nombre", "last_name"),
    ("nomenclature", "last_name"), ("nombre_visites", "last_name"), ("prenomination", "first_name"),
    ("statut", "sex"), ("instance", "nir"), ("telescope", "phone"), ("typage", "age"),
])
def test_no_raw_substring_matches(name, kind):
    assert kind not in kinds(name)


def test_longer_phrase_dominates():
    assert kinds("nom_jf") == {"birth_name"}
    assert kinds("date_naissance") == {"date_of_birth"}
    assert kinds("ville_naissance") == {"place_of_birth"}
    assert "last_name" not in kinds("nom_medecin")


def test_strength_is_share_of_explained_words():
    assert match_header("nom_patient")["last_name"].strength == 1.0
    assert match_header("nom_produit")["last_name"].strength == 0.5


def test_normalisation():
    assert header_words("patient.dateOfBirth") == [["patient"], ["date", "of", "birth"]]
    assert header_words("appointments[].lab_tests") == [["appointments"], ["lab", "tests"]]
    assert header_words("ADRESSE1") == [["adresse", "1"]]
    assert match_header(None) == {} and match_header("") == {} and match_header("column_3") == {}


def test_index_on_custom_dictionary():
    index = HeaderIndex({"nir": ("nss",), "record_id": ("id",)})
    assert set(index.match("id_nss")) == {"nir", "record_id"}


@pytest.mark.parametrize("name, kind", [
    ("Numéro de téléphone", "phone"), ("N° de sécurité sociale", "nir"),
    ("Nom de jeune fille", "birth_name"), ("Date de création", "event_date"),
    ("Adresse 2", "address"),
])
def test_neutral_words_and_digits_do_not_break_phrases(name, kind):
    assert match_header(name)[kind].strength >= 0.6
