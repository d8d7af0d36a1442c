"""Foreign-key links between tables of a dump, on small hand-made DuckDB tables."""

import duckdb

from vigie.assess.links import LinkTable, find_links, words


def make(con, name: str, columns: list[str], rows: list[tuple]) -> None:
    con.execute(f"CREATE TABLE {name} ({', '.join(f'c{i} VARCHAR' for i in range(len(columns)))})")
    con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(columns))})", rows)


def test_words_agree_across_naming_styles():
    assert words("patientId") == words("patients.id") == ["patient", "id"]
    assert words("id_Patient") == ["id", "patient"]


def test_visits_link_to_patients_and_results_chain_through_visits():
    con = duckdb.connect()
    make(con, "t0", ["id", "nom"], [(str(i), f"N{i}") for i in range(1, 51)])
    make(con, "t1", ["id", "patient_id"], [(str(100 + i), str(i % 50 + 1)) for i in range(80)])
    make(con, "t2", ["id", "visit_id"], [(str(i), str(100 + i % 80)) for i in range(120)])
    tables = [LinkTable("patients", "t0", ["id", "nom"], ["record_id", "last_name"], True),
              LinkTable("visits", "t1", ["id", "patient_id"], ["record_id", "record_id"], False),
              LinkTable("results", "t2", ["id", "visit_id"], ["record_id", "record_id"], False)]
    links = find_links(con, tables)
    assert [(k.child, k.child_column, k.parent, k.parent_column) for k in links] == [
        ("t1", "c1", "t0", "c0"), ("t2", "c1", "t1", "c0")]
    assert links[0].description == "visits.patient_id -> patients.id"


def test_overlapping_ids_without_a_naming_link_are_not_linked():
    con = duckdb.connect()
    make(con, "t0", ["id", "nom"], [(str(i), f"N{i}") for i in range(1, 51)])
    make(con, "t1", ["id", "quantity"], [(str(i), str(i)) for i in range(1, 30)])
    tables = [LinkTable("patients", "t0", ["id", "nom"], ["record_id", "last_name"], True),
              LinkTable("products", "t1", ["id", "quantity"], ["record_id", "none"], False)]
    assert find_links(con, tables) == []



def test_a_patient_id_points_at_the_persons_table_not_at_a_linked_one():
    # pg_dump writes tables in name order: `analyses` (linked by its own patient_id) comes
    # before `resultats`, whose patient_id must still point at `patients`, not at the
    # analyses' row numbers, which hold every patient id too.
    con = duckdb.connect()
    make(con, "t0", ["id", "patient_id"], [(str(i), str(i % 50 + 1)) for i in range(1, 201)])
    make(con, "t1", ["id", "nom"], [(str(i), f"N{i}") for i in range(1, 51)])
    make(con, "t2", ["id", "patient_id"], [(str(i), str(i % 50 + 1)) for i in range(1, 81)])
    tables = [LinkTable("analyses", "t0", ["id", "patient_id"], ["record_id", "record_id"], False),
              LinkTable("patients", "t1", ["id", "nom"], ["record_id", "last_name"], True),
              LinkTable("resultats", "t2", ["id", "patient_id"], ["record_id", "record_id"], False)]
    links = {k.child: (k.parent, k.parent_column) for k in find_links(con, tables)}
    assert links["t0"] == ("t1", "c0")
    # patients.id, or the patient_id beside it in analyses: never analyses.id.
    assert links["t2"] in {("t1", "c0"), ("t0", "c1")}
