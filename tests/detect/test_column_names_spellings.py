"""Header spellings of French exports met outside our own generator (dotted abbreviations,
codings in brackets, married names)."""

import pytest

from vigie.detect.column_names import match_header


@pytest.mark.parametrize("header, kind", [
    ("C.P.", "postcode"), ("Tél. dom.", "phone"), ("Tel domicile", "phone"),
    ("Sexe (M/F)", "sex"), ("Sexe (1=H,2=F)", "sex"), ("Grp. sanguin", "blood_group"),
    ("Nom d'épouse", "last_name"), ("Complément adresse", "address"), ("pid", "record_id"),
    ("SIRET", "record_id"), ("N° FINESS", "record_id"),
])
def test_spelling_names_its_kind_fully(header, kind):
    match = match_header(header)
    assert kind in match and match[kind].strength == 1.0
    assert max(m.strength for m in match.values()) == match[kind].strength


def test_short_pieces_stay_whole_words():
    assert "postcode" not in match_header("cpu") and "record_id" not in match_header("rapid")
