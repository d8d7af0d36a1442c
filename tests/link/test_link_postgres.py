"""The registry is a real PostgreSQL table, read by URL through vigie.sources."""

import uuid

import psycopg
import pytest

from vigie.link import link_leak_to_registry, standardise
from vigie.link.evaluate import row_scores
from vigie.sources import open_source
from vigie.synth.damage import make_linkage_pair
from vigie.synth.population import generate_population

URL = "postgresql://postgres@127.0.0.1/test"
COLUMNS = ("patient_id", "site", "first_name", "last_name", "birth_name", "date_of_birth",
           "nir", "postcode", "phone", "email")

pytestmark = pytest.mark.db


@pytest.fixture()
def registry_table():
    population = generate_population(1_050, seed=5)
    pair = make_linkage_pair(population.patients, registry_size=1_000, leak_persons=500,
                             stranger_share=0.1, seed=6)
    name = f"vigie_link_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(URL, autocommit=True) as con:
        con.execute(f"CREATE TABLE {name} (" + ", ".join(
            f"{c} {'date' if c == 'date_of_birth' else 'text'}" for c in COLUMNS) + ")")
        with con.cursor().copy(f"COPY {name} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in pair.registry.select(list(COLUMNS)).to_pylist():
                copy.write_row([row[c] for c in COLUMNS])
    try:
        yield name, pair
    finally:
        with psycopg.connect(URL, autocommit=True) as con:
            con.execute(f"DROP TABLE IF EXISTS {name}")


def test_registry_read_from_postgresql_by_url(registry_table):
    name, pair = registry_table
    with open_source(URL) as source:
        table = next(t for t in source.tables() if t.name.split(".")[-1] == name)
        mapping = {c: k for c, k in pair.registry_mapping.items() if c in COLUMNS}
        registry = standardise(table, mapping, id_column="patient_id", group_column="site")
    assert registry.count("*").fetchall()[0][0] == 1_000
    result = link_leak_to_registry(standardise(pair.leak, pair.leak_mapping), registry)
    scores = row_scores(result.rows, pair.truth)
    assert scores["precision"] >= 0.99 and scores["recall"] >= 0.97, scores
    assert sum(result.by_group.values()) == result.matched_persons > 400
