"""Linkage on a generated registry/leak pair: accuracy, strangers, one-to-one, outputs."""

import csv
import stat

import pytest

from vigie.link import link_leak_to_registry, standardise, write_affected, write_review
from vigie.link.evaluate import row_scores
from vigie.synth.damage import make_linkage_pair
from vigie.synth.population import generate_population

REGISTRY_SIZE, LEAK_PERSONS = 3_000, 1_500


@pytest.fixture(scope="module")
def pair():
    population = generate_population(REGISTRY_SIZE + LEAK_PERSONS // 10, seed=41)
    return make_linkage_pair(population.patients, registry_size=REGISTRY_SIZE,
                             leak_persons=LEAK_PERSONS, stranger_share=0.1, seed=42)


@pytest.fixture(scope="module")
def linked(pair):
    registry = standardise(pair.registry, pair.registry_mapping, id_column="patient_id",
                           group_column="site")
    leak = standardise(pair.leak, pair.leak_mapping)
    return link_leak_to_registry(leak, registry)


def test_precision_and_recall_on_damaged_leak(pair, linked):
    scores = row_scores(linked.rows, pair.truth)
    assert scores["precision"] >= 0.99, scores
    assert scores["recall"] >= 0.98, scores


def test_strangers_are_not_matched(pair, linked):
    linked_rows = {r["leak_row"]: r["registry_id"] for r in linked.rows.to_pylist()}
    strangers = [row for row, truth in pair.truth.items() if truth is None]
    assert strangers
    assert [row for row in strangers if linked_rows[row] is not None] == []
    assert linked.unmatched_leak_persons >= LEAK_PERSONS // 10


def test_one_to_one(linked):
    rows = linked.rows.to_pylist()
    per_person: dict[str, set] = {}
    per_registry: dict[str, set] = {}
    for row in rows:
        if row["registry_id"] is not None:
            per_person.setdefault(row["leak_person"], set()).add(row["registry_id"])
            per_registry.setdefault(row["registry_id"], set()).add(row["leak_person"])
    assert per_person and all(len(ids) == 1 for ids in per_person.values())
    assert all(len(persons) == 1 for persons in per_registry.values())
    ids = linked.affected.column("registry_id").to_pylist()
    assert len(ids) == len(set(ids)) == linked.matched_persons == len(per_registry)


def test_counts_groups_and_exposed_kinds(pair, linked):
    assert sum(linked.by_group.values()) == linked.matched_persons
    assert set(linked.by_group) <= {"LAB-NORD", "LAB-SUD", "LAB-EST", "LAB-OUEST"}
    true_persons = {t for t in pair.truth.values() if t is not None}
    assert abs(linked.matched_persons - len(true_persons)) <= 0.02 * len(true_persons)
    for kinds in linked.affected.column("exposed_kinds").to_pylist():
        assert "last_name" in kinds and set(kinds) <= set(pair.leak_mapping.values())
    section = linked.registry_section()
    assert section["matched_persons"] == linked.matched_persons
    assert section["threshold"] == linked.threshold and "Splink" in section["method"]


def test_affected_csv_is_private_and_complete(linked, tmp_path):
    path = write_affected(linked, tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["registry_id", "match_probability", "leak_rows", "exposed_kinds"]
    assert len(rows) == linked.matched_persons
    assert all(float(r["match_probability"]) >= linked.threshold for r in rows)
    first = linked.affected.slice(0, 1).to_pylist()[0]
    assert rows[0]["leak_rows"] == "|".join(map(str, first["leak_rows"]))


@pytest.fixture(scope="module")
def strict():
    """A smaller pair linked with a very high threshold, so that many pairs land in review."""
    population = generate_population(1_040, seed=43)
    small = make_linkage_pair(population.patients, registry_size=1_000, leak_persons=400, seed=44)
    registry = standardise(small.registry, small.registry_mapping, id_column="patient_id")
    result = link_leak_to_registry(standardise(small.leak, small.leak_mapping), registry,
                                   threshold=0.999999, review_band=(0.05, 0.999999))
    return small, result


def test_review_csv_carries_no_raw_value(strict, tmp_path):
    small, result = strict
    path = write_review(result, tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    raw = set()
    for column in ("nir", "last_name", "birth_name", "first_name", "phone", "email"):
        raw |= {v for v in small.registry.column(column).to_pylist() if v and len(v) >= 4}
    for column in ("NOM", "PRENOM", "NSS", "TEL", "MAIL"):
        raw |= {v for v in small.leak.column(column).to_pylist() if v and len(v) >= 4}
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == result.review.num_rows > 0
    assert {"leak_row", "registry_id", "match_probability", "leak_nir", "registry_nir",
            "leak_last_name", "registry_last_name"} <= set(rows[0])
    assert all(0.05 <= float(r["match_probability"]) <= 0.999999 for r in rows)
    cells = {cell for row in rows for cell in row.values()}
    assert not (cells & raw)
    assert not any(value.upper() in text.upper() for value in raw if len(value) >= 6)
