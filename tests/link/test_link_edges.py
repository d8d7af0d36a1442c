"""Inputs that must not break the linkage: empty sides, bad ids, a placeholder on every row."""

import pyarrow as pa
import pytest

from vigie.errors import UsageError
from vigie.link import link_leak_to_registry, standardise
from vigie.synth.damage import make_linkage_pair
from vigie.synth.population import generate_population


@pytest.fixture(scope="module")
def small_pair():
    population = generate_population(660, seed=3)
    return make_linkage_pair(population.patients, registry_size=600, leak_persons=300, seed=4)


def _registry(pair, rows=None):
    table = pair.registry if rows is None else pair.registry.slice(0, rows)
    return standardise(table, pair.registry_mapping, id_column="patient_id", group_column="site")


def test_empty_registry_leaves_every_leak_row_unmatched(small_pair):
    result = link_leak_to_registry(standardise(small_pair.leak, small_pair.leak_mapping),
                                   _registry(small_pair, rows=0))
    assert result.matched_persons == 0 and result.affected.num_rows == 0
    assert result.unmatched_leak_persons == small_pair.leak.num_rows == result.rows.num_rows


def test_registry_ids_must_be_unique(small_pair):
    registry = standardise(small_pair.registry, small_pair.registry_mapping, id_column="site")
    with pytest.raises(UsageError, match="not unique"):
        link_leak_to_registry(standardise(small_pair.leak, small_pair.leak_mapping), registry)


def test_unstandardised_input_is_refused(small_pair):
    with pytest.raises(UsageError, match="not standardised"):
        link_leak_to_registry(small_pair.leak, _registry(small_pair))
    with pytest.raises(UsageError):
        link_leak_to_registry(small_pair.leak, _registry(small_pair), review_band=(0.9, 0.5))


def test_a_placeholder_on_every_row_drops_its_rule_not_the_linkage(small_pair):
    leak = small_pair.leak.set_column(small_pair.leak.column_names.index("MAIL"), "MAIL",
                                      pa.array(["inconnu@exemple.fr"] * small_pair.leak.num_rows))
    result = link_leak_to_registry(standardise(leak, small_pair.leak_mapping), _registry(small_pair))
    assert any("email" in rule for rule in result.dropped_rules)
    assert result.registry_section()["dropped_blocking_rules"] == result.dropped_rules
    true_persons = {t for t in small_pair.truth.values() if t is not None}
    assert result.matched_persons >= 0.95 * len(true_persons)


def _typo_every_surname(pair) -> pa.Table:
    """The leak without NIR, every surname with its middle letter changed: no pair agrees
    on the deterministic rules the prior is normally estimated from."""
    leak = pair.leak.drop_columns(["NSS"])
    names = [None if v is None else v[:len(v) // 2] + ("Q" if v[len(v) // 2].upper() != "Q"
                                                         else "W") + v[len(v) // 2 + 1:]
             for v in leak.column("NOM").to_pylist()]
    return leak.set_column(leak.column_names.index("NOM"), "NOM", pa.array(names))


def test_a_typo_in_every_surname_falls_back_to_other_near_certain_rules(small_pair):
    mapping = {k: v for k, v in small_pair.leak_mapping.items() if k != "NSS"}
    result = link_leak_to_registry(standardise(_typo_every_surname(small_pair), mapping),
                                   _registry(small_pair))
    truth = dict(zip(result.rows.column("leak_row").to_pylist(),
                     result.rows.column("registry_id").to_pylist()))
    right = sum(1 for row, true_id in small_pair.truth.items()
                if true_id is not None and truth.get(row) == true_id)
    wrong = sum(1 for row, got in truth.items()
                if got is not None and got != small_pair.truth[row])
    in_registry = sum(1 for t in small_pair.truth.values() if t is not None)
    assert right >= 0.8 * in_registry and wrong <= 0.01 * in_registry


def test_no_near_certain_pair_links_nobody(small_pair):
    """Surnames with typos, no NIR, no date of birth, no phone: no prior can be estimated,
    so nobody is linked (rather than a failure)."""
    leak = _typo_every_surname(small_pair).drop_columns(["DDN", "TEL"])
    mapping = {k: v for k, v in small_pair.leak_mapping.items() if k not in ("NSS", "DDN", "TEL")}
    result = link_leak_to_registry(standardise(leak, mapping), _registry(small_pair))
    assert result.matched_persons == 0 and result.best.num_rows == 0
