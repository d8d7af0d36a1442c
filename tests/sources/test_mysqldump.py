"""mysqldump reader: dumps made by the local MariaDB, hand-written tricky dumps, and
truncated or broken ones (which must fail with a line number, never give partial rows)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from vigie.errors import InputError
from vigie.sources import sqlscan
from vigie.sources.mysqldump import looks_like_mysqldump, open_mysqldump

SANDBOX = b"/*M!999999\\- enable the sandbox mode */ \n"


def read_all(path: Path) -> dict[str, list[dict]]:
    """Every table of the dump as a list of row dicts."""
    source = open_mysqldump(path, path.name)
    return {t.name: [row for b in t.batches() for row in b.to_pylist()]
            for t in source.tables()}


# --- made by the real server ----------------------------------------------------------

TRICKY = [
    (1, "O'Brien", "ligne 1\nligne 2\ttab \\ antislash \"guillemets\" \r fin", "2020-01-02", 1.5),
    (2, None, "", None, None),
    (3, "Zoé Hénaff-Lefèvre", "nul \x00 et ctrl-Z \x1a, parenthèses ),( et ; point-virgule",
     "1999-12-31", -2.25),
    (4, "NULL", "'quoted'", "2001-02-03", 0.0),
]


@pytest.fixture
def mariadb_dump(mariadb_scratch_db, tmp_path):
    """A database on the local MariaDB with tricky values, dumped by the real mysqldump."""
    name, cur = mariadb_scratch_db
    cur.execute("CREATE TABLE patients (id INT PRIMARY KEY, nom VARCHAR(80), "
                "note TEXT, ddn DATE, score DOUBLE, photo BLOB)")
    cur.executemany("INSERT INTO patients VALUES (%s, %s, %s, %s, %s, %s)",
                    [row + (b"\x00\xff'\\",) for row in TRICKY])
    cur.execute("CREATE TABLE `rendez vous` (`id``x` INT, patient_id INT)")
    cur.executemany("INSERT INTO `rendez vous` VALUES (%s, %s)",
                    [(i, i % 4 + 1) for i in range(5000)])
    cur.execute("CREATE TABLE vide (a INT)")
    cur.execute("CREATE TRIGGER tr BEFORE INSERT ON vide FOR EACH ROW "
                "BEGIN SET NEW.a = 1; SET NEW.a = NEW.a + 1; END")
    cur.execute("CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 'a;b'; END")
    path = tmp_path / "server.sql"
    # A small net buffer makes mysqldump split the 5000 rows into several INSERTs;
    # --routines adds DELIMITER blocks (the trigger comes by default).
    subprocess.run(["mysqldump", "-h", "127.0.0.1", "-u", "root", "--net-buffer-length=4096",
                    "--routines",
                    "--result-file", str(path), name], check=True, capture_output=True)
    return path


@pytest.mark.db
def test_real_mysqldump_round_trip(mariadb_dump):
    head = mariadb_dump.read_bytes()[:65536]
    assert head.startswith(b"/*M!999999")          # the sandbox line of recent MariaDB
    assert looks_like_mysqldump(head)
    tables = read_all(mariadb_dump)
    assert set(tables) == {"patients", "rendez vous", "vide"}
    patients = tables["patients"]
    assert [(r["id"], r["nom"], r["note"], r["ddn"]) for r in patients] == [
        (str(i), nom, note, ddn) for i, nom, note, ddn, _ in TRICKY]
    assert [r["score"] for r in patients] == ["1.5", None, "-2.25", "0"]
    assert patients[0]["photo"] == "0x00FF275C"     # binary that is not UTF-8 -> hex
    rdv = tables["rendez vous"]
    assert len(rdv) == 5000 and list(rdv[0]) == ["id`x", "patient_id"]
    assert rdv[4999] == {"id`x": "4999", "patient_id": "4"}
    assert tables["vide"] == []
    text = mariadb_dump.read_bytes()
    assert text.count(b"INSERT INTO `rendez vous`") > 3
    assert b"DELIMITER ;;" in text and b"PROCEDURE" in text and b"TRIGGER" in text


@pytest.mark.db
def test_real_dump_read_across_tiny_chunks(mariadb_dump, monkeypatch):
    """Rows and strings that straddle the read window must come out whole."""
    expected = read_all(mariadb_dump)
    monkeypatch.setattr(sqlscan, "CHUNK_BYTES", 97)
    assert read_all(mariadb_dump) == expected


@pytest.mark.db
def test_real_dump_cut_mid_insert_fails_with_line(mariadb_dump, dump_file):
    text = mariadb_dump.read_bytes()
    cut = text.index(b"INSERT INTO `rendez vous`") + 300
    path = dump_file(text[:cut], "cut.sql")
    with pytest.raises(InputError) as err:
        read_all(path)
    line = text[:cut].count(b"\n") + 1
    assert err.value.line == line and "truncated" in err.value.message
    assert str(err.value).startswith(f"cut.sql: line {line}: ")


@pytest.mark.db
def test_real_dump_cut_between_statements_fails(mariadb_dump, dump_file):
    """Cut at a statement end, the dump lacks its 'Dump completed' line: refused."""
    text = mariadb_dump.read_bytes()
    cut = text.index(b"UNLOCK TABLES;") + len(b"UNLOCK TABLES;")
    with pytest.raises(InputError, match="Dump completed"):
        read_all(dump_file(text[:cut], "cut.sql"))


# --- hand-written tricky dumps ----------------------------------------------------------

HAND = SANDBOX + rb"""-- MariaDB dump 10.19
/*!40101 SET NAMES utf8mb4 */;
/* a block comment with ; and ' inside */
CREATE TABLE `patients` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `nom` varchar(50) DEFAULT 'a,b' COMMENT 'x(y)',
  `statut` enum('a','b,c') DEFAULT NULL,
  `note` text,
  `photo` blob,
  PRIMARY KEY (`id`),
  KEY `idx_nom` (`nom`),
  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `x` (`id`)
) ENGINE=InnoDB;
LOCK TABLES `patients` WRITE;
/*!40000 ALTER TABLE `patients` DISABLE KEYS */;
INSERT INTO `patients` VALUES (1,'L\'\xc3\xa9cole','a','multi
ligne; avec ),( dedans',_binary 'bin\0'),(2 , NULL ,'b,c', 'tab\there \\ back\\\\n \Z', 0x41FF),
(3,'Guillemets "doubles" \"', NULL,'', NULL);
INSERT INTO `patients` (`nom`, `id`) VALUES ('seul',4);
/*!40000 ALTER TABLE `patients` ENABLE KEYS */;
UNLOCK TABLES;
# a hash comment
INSERT INTO `notes` VALUES (1,'x',-1.5e3),(2,'it''s',NULL);
INSERT INTO `db`.`patients` VALUES (5,'qualifi\xc3\xa9',NULL,NULL,NULL);
-- Dump completed on 2026-01-01
""".replace(rb"\xc3\xa9", "é".encode())   # a raw literal keeps the SQL escapes as written


def test_hand_written_dump(dump_file):
    path = dump_file(HAND)
    assert looks_like_mysqldump(HAND[:4096])
    tables = read_all(path)
    assert list(tables) == ["patients", "notes"]
    p = tables["patients"]
    assert [r["id"] for r in p] == ["1", "2", "3", "4", "5"]
    assert p[0] == {"id": "1", "nom": "L'école", "statut": "a",
                    "note": "multi\nligne; avec ),( dedans", "photo": "bin\x00"}
    assert p[1] == {"id": "2", "nom": None, "statut": "b,c",
                    "note": "tab\there \\ back\\\\n \x1a", "photo": "0x41FF"}
    assert p[2]["nom"] == 'Guillemets "doubles" "' and p[2]["note"] == ""
    assert p[3] == {"id": "4", "nom": "seul", "statut": None, "note": None, "photo": None}
    assert p[4]["nom"] == "qualifié"
    # No CREATE TABLE and no column list: columns are numbered.
    assert tables["notes"] == [{"column_0": "1", "column_1": "x", "column_2": "-1.5e3"},
                               {"column_0": "2", "column_1": "it's", "column_2": None}]


def test_hand_written_dump_in_tiny_chunks(dump_file, monkeypatch):
    path = dump_file(HAND)
    expected = read_all(path)
    for size in (1, 7, 64):
        monkeypatch.setattr(sqlscan, "CHUNK_BYTES", size)
        assert read_all(path) == expected


def test_latin1_dump_is_decoded(dump_file):
    text = (b"/*!40101 SET NAMES latin1 */;\n"
            b"CREATE TABLE `t` (`nom` varchar(9));\n"
            b"INSERT INTO `t` VALUES ('H\xe9l\xe8ne');\n")
    assert read_all(dump_file(text)) == {"t": [{"nom": "Hélène"}]}


@pytest.mark.parametrize("body, where, what", [
    (b"INSERT INTO `t` VALUES (1,'a'),(2,'b)", 3, "truncated"),          # ends in a string
    (b"INSERT INTO `t` VALUES (1,'a'),(2,", 3, "truncated"),             # ends in a row
    (b"INSERT INTO `t` VALUES (1,'a'),\n(2,'b'", 4, "truncated"),
    (b"INSERT INTO `t` VALUES (1,'a'),\n(2,'b',3);\n", 4, "has 3 values, expected 2"),
    (b"INSERT INTO `t` VALUES (1,'a'),\n(2 'b');\n", 4, "malformed"),
    (b"INSERT INTO `t` VALUES (1,'a')\n(2,'b');\n", 3, "not followed"),
])
def test_broken_inserts_fail_with_line(dump_file, body, where, what):
    text = b"CREATE TABLE `t` (\n`a` int, `b` text);\n" + body
    with pytest.raises(InputError) as err:
        read_all(dump_file(text))
    assert err.value.line == where
    assert what in err.value.message
    assert "'b'" not in str(err.value)          # no value from the file in the message


def test_unclosed_comment_fails(dump_file):
    with pytest.raises(InputError, match="comment"):
        read_all(dump_file(b"CREATE TABLE `t` (`a` int);\n/* never closed\n"))


@pytest.mark.parametrize("text, match, line", [
    pytest.param(b"CREATE TABLE `t` (`nom` varchar(9));\n"
                 b"INSERT INTO `t` VALUES ('ok'),\n('H\xe9l\xe8ne');\n",
                 "not valid utf-8", 2, id="invalid-utf8-text-column"),
    # A damaged stretch is refused, not skipped (it could hide a table's rows).
    pytest.param(b"CREATE TABLE `t` (`a` int);\nINSERT INTO `t` VALUES (1);\n"
                 b"\x8f\x02\xffgarbage(2);\nINSERT INTO `t` VALUES (3);\n",
                 "not an SQL statement", 3, id="garbage-between-statements"),
    pytest.param(b"CREATE TABLE `t` (`a` int);\nINSERT INTO `t` SET `a` = 1;\n",
                 "INSERT statement of a form", 2, id="unreadable-insert-form"),
])
def test_refused_dump_fails_with_line(dump_file, text, match, line):
    with pytest.raises(InputError, match=match) as err:
        read_all(dump_file(text))
    assert err.value.line == line


def test_not_a_dump_is_not_recognised():
    assert not looks_like_mysqldump(b"nom;prenom\nDupont;Jean\n")
    assert not looks_like_mysqldump(b"--\n-- PostgreSQL database dump\n--\n")
    assert looks_like_mysqldump(b"INSERT INTO patients (a) VALUES (1);\n")


def test_mysqldump_with_routines_and_triggers(dump_file):
    """DELIMITER blocks of --routines/--triggers are skipped without losing rows."""
    text = (b"CREATE TABLE `t` (`a` int);\nINSERT INTO `t` VALUES (1);\n"
            b"DELIMITER ;;\n/*!50003 CREATE*/ /*!50003 TRIGGER `tr` BEFORE INSERT ON `t` FOR "
            b"EACH ROW BEGIN SET NEW.a = 1; END */;;\n"
            b"CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()\nBEGIN\n  SELECT 1;\nEND ;;\n"
            b"DELIMITER ;\nINSERT INTO `t` VALUES (2);\n")
    assert read_all(dump_file(text)) == {"t": [{"a": "1"}, {"a": "2"}]}


def test_batches_stay_within_batch_rows(dump_file, monkeypatch):
    from vigie.sources import sqlinsert
    monkeypatch.setattr(sqlinsert, "BATCH_ROWS", 3)
    single = b"".join(b"INSERT INTO `t` VALUES (%d);\n" % i for i in range(8))
    extended = b"INSERT INTO `t` VALUES " + b",".join(b"(%d)" % i for i in range(8, 15)) + b";\n"
    path = dump_file(b"CREATE TABLE `t` (`a` int);\n" + single + extended)
    [table] = open_mysqldump(path, "t.sql").tables()
    sizes = [b.num_rows for b in table.batches()]
    assert sum(sizes) == 15 and max(sizes) == 3
    assert [r["a"] for b in table.batches() for r in b.to_pylist()] == [str(i) for i in range(15)]


def test_value_longer_than_the_memory_cap_fails(dump_file, monkeypatch):
    """Memory stays bounded: a value over the cap is refused, not accumulated."""
    monkeypatch.setattr(sqlscan, "CHUNK_BYTES", 1024)
    monkeypatch.setattr(sqlscan, "MAX_HELD_BYTES", 64 * 1024)
    text = (b"CREATE TABLE `t` (`a` text);\nINSERT INTO `t` VALUES ('"
            + b"x" * 300_000 + b"');\n")
    with pytest.raises(InputError, match="longer than") as err:
        read_all(dump_file(text))
    assert err.value.line == 2


def test_pg_dump_without_comments_is_not_taken_for_mysqldump():
    head = (b"\\restrict abc\n\nSET standard_conforming_strings = on;\n"
            b"SELECT pg_catalog.set_config('search_path', '', false);\n"
            b"INSERT INTO public.t VALUES (1, 'C:\\dir');\n")
    assert not looks_like_mysqldump(head)
