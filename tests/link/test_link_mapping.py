"""Registry and leak columns are recognised by the classifier; --map overrides it."""

import pytest

from vigie.errors import UsageError
from vigie.link.mapping import classify_table, parse_map
from vigie.sources.base import Table
from vigie.synth.damage import make_linkage_pair
from vigie.synth.population import generate_population


def _as_source_table(name, table):
    return Table(name, table.column_names, lambda: iter(table.to_batches(max_chunksize=500)))


def test_classifier_maps_registry_and_leak_columns():
    population = generate_population(1_100, seed=1)
    pair = make_linkage_pair(population.patients, registry_size=1_000, leak_persons=400, seed=2)
    registry = classify_table(_as_source_table("registry", pair.registry))
    for column, kind in pair.registry_mapping.items():
        assert registry[column] == kind, column
    assert "site" not in registry
    leak = classify_table(_as_source_table("leak", pair.leak), overrides={"VILLE": "none"})
    assert leak["VILLE"] == "none"
    assert {c: k for c, k in leak.items() if c != "VILLE"} == \
        {c: k for c, k in pair.leak_mapping.items() if c != "VILLE"}


def test_parse_map_and_its_errors():
    assert parse_map("NOM_USAGE=last_name, NSS = nir,") == {"NOM_USAGE": "last_name", "NSS": "nir"}
    assert parse_map(None) == {}
    with pytest.raises(UsageError):
        parse_map("NOM")
    with pytest.raises(UsageError):
        parse_map("NOM=surname")
    table = Table("t", ["a"], lambda: iter(()))
    with pytest.raises(UsageError):
        classify_table(table, overrides={"b": "nir"})
