"""Standardisation: every notation a leak uses ends up in the one form both sides compare."""

from datetime import date

import pyarrow as pa
import pytest

from vigie.errors import UsageError
from vigie.link import standardise


def _one_column(kind: str, values: list) -> list:
    table = pa.table({"c": pa.array(values, pa.string())})
    rows = standardise(table, {"c": kind}).order("unique_id::INT").fetchall()
    field = {"nir": 1, "first_name": 2, "last_name": 3, "birth_name": 4, "date_of_birth": 5,
             "postcode": 6, "phone": 7, "email": 8}[kind]
    return [row[field] for row in rows]


def test_surnames_lose_case_accents_particles_and_separators():
    got = _one_column("last_name", ["de la Fontaine", "LE GALL", "D'Artagnan", "Müller-Œil",
                                    "  Lefèvre  ", "DE", None, "---"])
    assert got == ["FONTAINE", "GALL", "ARTAGNAN", "MULLEROEIL", "LEFEVRE", "DE", None, None]


def test_compound_first_names_agree_whatever_the_separator():
    got = _one_column("first_name", ["Jean-Pierre", "JEAN PIERRE", "jean pierre", "Zoé"])
    assert got == ["JEANPIERRE", "JEANPIERRE", "JEANPIERRE", "ZOE"]


def test_dates_in_every_common_notation():
    got = _one_column("date_of_birth", ["05/03/1984", "1984-03-05", "19840305", "05.03.1984",
                                        "5-3-1984", "1984-03-05 00:00:00", "05/03/84",
                                        "03/25/1984", "31/02/1984", "yesterday", "05/03/30"])
    assert got[:6] == [date(1984, 3, 5)] * 6
    assert got[6] == date(1984, 3, 5)
    assert got[7] == date(1984, 3, 25)          # impossible as dd/mm: read as mm/dd
    assert got[8] is None and got[9] is None
    assert got[10] == date(1930, 3, 5)          # two-digit year never lands in the future


def test_nir_spaced_keyless_and_junk():
    got = _one_column("nir", ["1 84 03 75 123 456 12", "184037512345612", "1840375123456",
                              "2A84", "000000000000000", "2 84 03 2a 123 456 12"])
    assert got == ["1840375123456", "1840375123456", "1840375123456", None, None, "284032A123456"]


def test_phones_in_every_notation_become_national():
    got = _one_column("phone", ["+33 6 12 34 56 78", "06.12.34.56.78", "0033612345678",
                                "+33 (0)6 12 34 56 78", "612345678", "+590 690 12 34 56",
                                "0000000000", "12"])
    assert got[:5] == ["0612345678"] * 5
    assert got[5] == "0690123456"
    assert got[6] is None and got[7] is None


def test_postcodes_and_emails():
    assert _one_column("postcode", ["1000", "75 012", "75012.0", "abc"]) == \
        ["01000", "75012", "75012", None]
    assert _one_column("email", [" Jean.Dupont@Exemple.FR", "bad", "a@b"]) == \
        ["jean.dupont@exemple.fr", None, None]


def test_exposed_kinds_ids_groups_and_full_names():
    table = pa.table({"id": ["r1", "r2"], "site": ["A", "B"], "nom complet": ["DUPONT Jean", None],
                      "diag": ["E11.9", ""], "tel": [None, "0612345678"]})
    rows = standardise(table, {"nom complet": "full_name", "diag": "diagnosis", "tel": "phone"},
                       id_column="id", group_column="site").order("unique_id").fetchall()
    assert rows[0][0] == "r1" and rows[0][9] == "A"
    assert rows[0][2:4] == ("JEAN", "DUPONT")
    assert rows[0][10] == ["diagnosis", "full_name"]
    assert rows[1][10] == ["phone"]


def test_bad_mappings_are_usage_errors():
    table = pa.table({"a": ["x"]})
    with pytest.raises(UsageError):
        standardise(table, {"missing": "last_name"})
    with pytest.raises(UsageError):
        standardise(table, {"a": "not_a_kind"})
