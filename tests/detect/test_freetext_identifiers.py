"""Identifiers inside free text: found with their span, validated, never a false NIR."""

from vigie.detect.freetext import scan_identifiers


def kinds_and_spans(text):
    return [(f.kind, text[f.start:f.end]) for f in scan_identifiers(text)]


def test_identifiers_in_a_note():
    text = ("Patient Jean DUPONT, né le 12/03/1984, NSS 1 84 03 75 123 456 ; "
            "tél 06 12 34 56 78, mail jean.dupont@orange.fr. Vu par le Dr Martin.")
    assert kinds_and_spans(text) == [
        ("full_name", "Jean DUPONT"), ("date_of_birth", "12/03/1984"),
        ("nir", "1 84 03 75 123 456"), ("phone", "06 12 34 56 78"),
        ("email", "jean.dupont@orange.fr"), ("physician", "Martin")]


def test_keyed_nir_needs_a_valid_key():
    good = "284052A12345678"
    first13 = good[:13].replace("2A", "19")
    key = f"{97 - int(first13) % 97:02d}"
    valid = good[:13] + key
    wrong = good[:13] + f"{(int(key) % 97) + 1:02d}"
    assert kinds_and_spans(f"ref {valid} ok") == [("nir", valid)]
    assert kinds_and_spans(f"ref {wrong} ok") == []


def test_keyless_nir_only_after_a_nir_word():
    assert kinds_and_spans("lot 1840375123456 reçu") == []
    assert kinds_and_spans("sécu: 1840375123456") == [("nir", "1840375123456")]


def test_birth_dates_need_a_birth_context():
    assert kinds_and_spans("née le 3 mars 1990") == [("date_of_birth", "3 mars 1990")]
    assert kinds_and_spans("DDN : 1984-03-12") == [("date_of_birth", "1984-03-12")]
    assert kinds_and_spans("vu le 12/03/2024") == []


def test_names_after_titles_must_be_known_names():
    assert kinds_and_spans("Mme Durand signale des vertiges") == [("last_name", "Durand")]
    assert kinds_and_spans("Patient vu en consultation") == []
    assert kinds_and_spans("Madame Enceinte") == []


def test_phone_numbers_are_validated():
    assert kinds_and_spans("appeler le +33 6 12 34 56 78") == [("phone", "+33 6 12 34 56 78")]
    assert kinds_and_spans("dossier 00 12 34 56 78") == []


def test_hostile_text_is_bounded():
    assert scan_identifiers("1" * 1_000_000) == []
    assert scan_identifiers("M. " + "A" * 100_000) == []


def test_many_keyless_candidates_stay_linear():
    text = "sécu: " + " ".join(["1840375123456"] * 5000)
    assert len(scan_identifiers(text)) == 1          # only the one right after the word


def test_column_scan_equals_cell_by_cell_scan():
    from vigie.detect.freetext import scan_identifiers_column
    cells = ["RAS", None, "Patient Jean DUPONT", "tél 06 12 34 56 78", "écrire à a.b@free.fr",
             "dosage 12 mg", "Mme Durand", ""] * 50
    by_column = scan_identifiers_column(cells)
    assert by_column == [scan_identifiers(c) if c else [] for c in cells]
    assert sum(1 for found in by_column if found) == 4 * 50


def test_fast_french_phone_check_agrees_with_phonenumbers():
    import random
    from vigie.detect.recognisers.phone import parse_french
    rng = random.Random(2)
    for _ in range(2000):
        number = "0" + str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(8))
        found = [f.kind for f in scan_identifiers(f"tel {number} fin")]
        assert (found == ["phone"]) == (parse_french(number) is not None), number
    # Guadeloupe: not a valid FR national number, found by the full overseas parse.
    assert [f.kind for f in scan_identifiers("tel 0590 12 34 56")] == ["phone"]
    assert [f.kind for f in scan_identifiers("tel 0590 12 34 5")] == []
