"""Person keys and distinct persons on small hand-made DuckDB tables (synthetic identities)."""

import duckdb
import pytest

from vigie.assess.person_keys import IdentityColumns, install_macros
from vigie.assess.persons import resolve_persons


def nir(body: str) -> str:
    """A NIR with its right key (97 - body mod 97; 2A -> 19, 2B -> 18)."""
    number = int(body.upper().replace("2A", "19").replace("2B", "18"))
    return f"{body}{97 - number % 97:02d}"


@pytest.fixture
def con():
    connection = duckdb.connect()
    install_macros(connection)
    yield connection
    connection.close()


def keys_table(con, name: str, rows: list[tuple], columns: list[str], ids: IdentityColumns):
    con.execute(f"CREATE TABLE {name}_src ({', '.join(c + ' VARCHAR' for c in columns)})")
    if rows:
        con.executemany(f"INSERT INTO {name}_src VALUES ({', '.join('?' * len(columns))})", rows)
    con.execute(f"CREATE TABLE {name} AS {ids.keys_select(name + '_src')}")


@pytest.mark.parametrize("value, expected", [
    ("12/03/1984", "1984-03-12"), ("1984-03-12", "1984-03-12"), ("12-03-84", "1984-03-12"),
    ("12.03.1984", "1984-03-12"), ("19840312", "1984-03-12"), ("1984-03-12 00:00:00", "1984-03-12"),
    ("01/02/05", "2005-02-01"), ("31/13/1984", None), ("hier", None),
    ("12 mars 1984", "1984-03-12"), ("1er février 1984", "1984-02-01"),
    ("3 févr. 1990", "1990-02-03"), ("25 Décembre 2001", "2001-12-25"),
    ("7 aout 1962", "1962-08-07"), ("mars 1984", None), ("12 brumaire 1984", None)])
def test_date_of_birth_notations_agree(con, value, expected):
    assert con.execute("SELECT vigie_dob(?)", [value]).fetchall()[0][0] == expected


@pytest.mark.parametrize("a, b", [("+33 6 12 34 56 78", "06.12.34.56.78"),
                                  ("0033612345678", "0612345678")])
def test_phone_notations_agree(con, a, b):
    assert con.execute("SELECT vigie_phone_of(vigie_digits(?)) = vigie_phone_of(vigie_digits(?))",
                       [a, b]).fetchall()[0][0]


def test_names_ignore_case_accents_hyphens_and_order(con):
    same = con.execute("SELECT vigie_name_pair(vigie_name_part('Lefèvre'), "
                       "vigie_name_part('Jean-Élie')) = "
                       "vigie_two_words_of(vigie_name_part('JEAN ELIE LEFEVRE'))").fetchall()[0][0]
    assert same


@pytest.mark.parametrize("last, first", [
    ("DUPONT-", "JEAN"), ("", "JEAN PIERRE"), ("  ", ""), ("Lefèvre", "Jean-Élie"),
    ("O'NEIL", "anne"), ("MARTIN", "MARTIN"), ("Zoé", "ANNE"), ("DE LA FONTAINE", "Marie-Claire"),
    ("12", "3"), (None, "JEAN"), ("DUPONT", None)])
def test_name_pair_fast_path_is_the_sorted_full_name(con, last, first):
    """Two one-word parts are ordered by least/greatest instead of a list sort: the key must
    be exactly the sorted words of the whole name."""
    fast, slow = con.execute("SELECT vigie_name_pair(vigie_name_part(?), vigie_name_part(?)), "
                             "vigie_sorted_name(? || ' ' || ?)",
                             [last, first, last, first]).fetchall()[0]
    assert fast == slow


def test_nir_keyed_and_keyless_forms_share_a_key(con):
    spaced = "2 84 05 2a 123 456 " + nir("284052A123456")[-2:]
    person_nir = "vigie_nir_of(vigie_nir_chars({}))"
    got = con.execute(f"SELECT {person_nir.format('?')}, "
                      f"{person_nir.format(repr('284052A123456'))}, {person_nir.format('?')}",
                      [spaced, nir("284052A123456")[:-2] + "00"]).fetchall()[0]
    assert got == ("284052A123456", "284052A123456", None)


def test_rows_sharing_any_key_are_one_person(con):
    cols = ["nss", "nom", "prenom", "ddn"]
    ids = IdentityColumns(nir="nss", last="nom", first="prenom", dob="ddn")
    keys_table(con, "k_a", [
        (nir("1840575123456"), "DURAND", "Paul", "01/05/1984"),   # person 1, NIR + name
        (None, "Durand", "paul", "1984-05-01"),                 # person 1 by name + dob only
        (nir("1840575123456"), "DURANT", "Paul", None),             # person 1, typo, by NIR
        (nir("2951275123456"), "MOREAU", "Anne", "12/12/1995"),     # person 2
        (None, "MOREAU", "Anne", "13/12/1995"),                  # person 3: other birth date
        (None, None, None, None),                                # nobody
    ], cols, ids)
    # A second table ties an e-mail account to person 2 through name + e-mail + date of birth.
    keys_table(con, "k_b", [("Anne", "Moreau", "anne@example.org", "1995-12-12"),
                            ("Zoé", "Petit", "zp@example.org", None)],
               ["first", "last", "email", "dob"],
               IdentityColumns(last="last", first="first", email="email", dob="dob"))
    distinct = resolve_persons(con, {"k_a": "p_a", "k_b": "p_b"})
    assert distinct == 4
    persons = dict(con.execute("SELECT r, person FROM p_a").fetchall())
    assert persons[0] == persons[1] == persons[2]
    assert len({persons[0], persons[3], persons[4]}) == 3
    assert 5 not in persons
    b = dict(con.execute("SELECT r, person FROM p_b").fetchall())
    assert b[0] == persons[3] and b[1] not in persons.values()


def test_names_alone_are_not_a_key():
    assert not IdentityColumns(last="a", first="b").has_key()
    assert IdentityColumns(email="e").has_key()


def test_no_keys_tables_means_no_persons(con):
    assert resolve_persons(con, {}) == 0


def test_namesakes_with_different_nirs_stay_two_persons(con):
    cols = ["nss", "nom", "prenom", "ddn"]
    ids = IdentityColumns(nir="nss", last="nom", first="prenom", dob="ddn")
    keys_table(con, "k_c", [
        (nir("1840575123456"), "MARTIN", "Jean", "01/05/1984"),
        (nir("1840593123456"), "MARTIN", "Jean", "01/05/1984"),   # another man, same day
        (None, "MARTIN", "Jean", "01/05/1984"),                 # one of them: no new person
    ], cols, ids)
    assert resolve_persons(con, {"k_c": "p_c"}) == 2
    persons = dict(con.execute("SELECT r, person FROM p_c").fetchall())
    assert persons[0] != persons[1] and persons[2] in (persons[0], persons[1])


def test_two_pass_keys_give_the_persons_of_full_keys(con):
    """create_keys_tables computes name keys only for rows without a NIR and the NIR rows
    sharing a date of birth, e-mail or phone with one; the persons must be exactly those
    of keys computed for every row."""
    from vigie.assess.person_keys import create_keys_tables

    rows = [(nir(f"1{60 + i % 30:02d}0575{123000 + i:06d}"), f"NOM{i % 50}", "Jean",
             f"{1 + i % 28:02d}/05/19{60 + i % 30}", f"06 12 34 {i % 100:02d} {i % 97:02d}")
            for i in range(300)]
    rows += [(None, "NOM3", "jean", "04/05/1963", None),            # joins a NIR person by name + dob
             (None, "NOM3", "Jean", None, "06 12 34 03 03"),          # ... or by name + phone
             (None, "INCONNU", "Zoé", "01/01/2001", None),            # a person of its own
             ("123", "NOM7", "Jean", "08/05/1967", None)]             # mistyped NIR: by name + dob
    con.execute("CREATE TABLE a (nss VARCHAR, nom VARCHAR, prenom VARCHAR, ddn VARCHAR, tel VARCHAR)")
    con.executemany("INSERT INTO a VALUES (?, ?, ?, ?, ?)", rows)
    con.execute("CREATE TABLE b (mail VARCHAR, tel VARCHAR)")       # no NIR, no name
    con.executemany("INSERT INTO b VALUES (?, ?)", [("x@exemple.fr", "0612340505"),
                                                    ("y@exemple.fr", None)])
    tables = {"a": IdentityColumns(nir="nss", last="nom", first="prenom", dob="ddn", phone="tel"),
              "b": IdentityColumns(email="mail", phone="tel")}
    for name, ids in tables.items():
        con.execute(f"CREATE TABLE {name}_full AS {ids.keys_select(name)}")
    full = resolve_persons(con, {"a_full": "a_p_full", "b_full": "b_p_full"})
    keys = create_keys_tables(con, tables)
    assert keys == {"a": "a_keys", "b": "b_keys"}
    two_pass = resolve_persons(con, {"a_keys": "a_p", "b_keys": "b_p"})
    assert two_pass == full == 300 + 1 + 2    # Zoé; b's rows (a phone alone never meets name + phone)
    for name in ("a", "b"):
        assert con.execute(f"SELECT count(*) FROM (SELECT * FROM {name}_p EXCEPT ALL "
                           f"SELECT * FROM {name}_p_full)").fetchall()[0][0] == 0
    a_persons = dict(con.execute("SELECT r, person FROM a_p").fetchall())
    assert a_persons[300] == a_persons[3] and a_persons[301] == a_persons[3]
    assert a_persons[303] == a_persons[7]
    # The shortcut was taken: most NIR rows have no name key, the probed ones do.
    without, probed = con.execute(
        "SELECT count_if(k_name_dob IS NULL), count_if(k_name_dob IS NOT NULL) "
        "FROM a_keys WHERE r < 300").fetchall()[0]
    assert probed >= 2 and without > 250
