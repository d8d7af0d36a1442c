"""Full-column counts of the assess engine on small hand-made DuckDB tables (synthetic values).

Every SQL validator runs once per distinct value and its counts are summed: the valid
count must be the per-row count whether values repeat or are all different.
"""

import duckdb
import pytest

from vigie.assess import engine


def nir(body: str) -> str:
    """A NIR with its right key (97 - body mod 97)."""
    return f"{body}{97 - int(body) % 97:02d}"


def assessed_table(rows: list[tuple]) -> tuple[engine._Loaded, int]:
    """The classified and counted table, and its NSS values valid row by row."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t0 (c0 VARCHAR, c1 VARCHAR)")
    con.executemany("INSERT INTO t0 VALUES (?, ?)", rows)
    table = engine._Loaded("patients", "t0", ["NSS", "NOM"], True, len(rows))
    engine._classify(con, table)
    engine._count(con, table)
    per_row = 0
    if table.valid_sql[0]:
        check = table.valid_sql[0].replace("{col}", "c0")
        per_row = con.execute(f"SELECT count_if(coalesce({check}, false)) FROM t0").fetchall()[0][0]
    con.close()
    return table, per_row


@pytest.mark.parametrize("repeats", [1, 5])
def test_valid_nirs_counted_per_row_whether_values_repeat_or_not(repeats):
    good = [nir(f"1{year:02d}0575{serial:06d}") for year, serial in
            zip(range(40, 90), range(101_001, 101_051))]
    bad = [value[:-2] + ("00" if value[-2:] != "00" else "01") for value in good[:10]]
    rows = [(value, "DURAND") for value in good + bad] * repeats + [(None, "MOREAU")] * 3
    table, per_row = assessed_table(rows)
    nss = table.columns[0]
    assert nss.kind == "nir" and nss.validated
    assert nss.non_null == 60 * repeats
    assert 0 < nss.valid < nss.non_null
    assert nss.valid == per_row


def test_column_without_values_is_not_validated():
    rows = [(None, "DURAND"), (None, "MARTIN")]
    nss, nom = assessed_table(rows)[0].columns
    assert nss.non_null == nss.valid == 0 and not nss.validated
    assert nom.non_null == 2


def test_kinds_on_every_row_reach_exactly_the_persons_of_their_table(tmp_path):
    """A kind filled on every row of one table leaked about every person of that table and
    no one else: a person seen only in a table where the kind is partly empty has it only
    if one of their rows there holds it."""
    from vigie.assess.engine import assess, person_exposure

    people = [(nir(f"1{60 + i:02d}0575{101_001 + i:06d}"), f"p{i}@exemple.fr") for i in range(40)]
    (tmp_path / "comptes.csv").write_text(
        "nss;mail\n" + "".join(f"{n};{m}\n" for n, m in people[:20]), "utf-8")
    (tmp_path / "relances.csv").write_text(          # e-mail on one row in four only
        "nss;mail\n" + "".join(f"{n};{m if i % 4 == 0 else ''}\n"
                               for i, (n, m) in enumerate(people[10:], start=10)), "utf-8")
    seen = {}

    def inspect(con, loaded):
        _, per_person = person_exposure(loaded)
        seen["email"] = con.execute(f"SELECT count_if(email), count(*) FROM ({per_person})"
                                    ).fetchall()[0]

    assessment = assess([str(tmp_path)], inspect=inspect)
    with_email = 20 + sum(1 for i in range(20, 40) if i % 4 == 0)
    assert seen["email"] == (with_email, 40)
    assert assessment.exposure["email"].persons == with_email


def test_samples_do_not_depend_on_the_row_order():
    """DuckDB loads a big file in parallel, in an order that varies from run to run: the
    classification sample, and so the report's examples and evidence, must not."""
    import random

    import pyarrow as pa

    rng = random.Random(4)
    surnames = ["DURAND", "MOREAU", "LEFEVRE", "GARNIER", "FAURE", "ROUSSEL", "BLANC", "GUERIN"]
    rows = [(nir(f"1{40 + i % 50:02d}0575{100_000 + i:06d}"), rng.choice(surnames),
             f"0{rng.randint(1, 7)}{rng.randint(10_000_000, 99_999_999)}" if i % 20 == 0 else None)
            for i in range(30_000)]                    # the phone column is sparse: 1,500 values
    reports = []
    for order in (rows, list(reversed(rows)), rng.sample(rows, len(rows))):
        con = duckdb.connect()
        columns = list(zip(*order))
        con.register("src", pa.table({f"c{i}": pa.array(columns[i], pa.string()) for i in range(3)}))
        con.execute("CREATE TABLE t0 AS SELECT * FROM src")
        table = engine._Loaded("patients", "t0", ["NSS", "NOM", "TEL"], True, len(order))
        engine._classify(con, table)
        reports.append([(c.kind, c.examples, c.evidence) for c in table.columns])
        con.close()
    assert [kind for kind, _, _ in reports[0]] == ["nir", "last_name", "phone"]
    assert reports[0] == reports[1] == reports[2]
