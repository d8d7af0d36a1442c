"""Keys, the binomial tail, and the 1,000-trial null check on the statistics layer."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from vigie.trace.attribution import LeakReading, evaluate_export
from vigie.trace.keys import export_key, key_id, mark_bit
from vigie.trace.manifest import ExportEntry
from vigie.trace.stats import log10_binomial_tail, log10_bonferroni

MASTER = bytes(range(32))


def test_export_keys_are_distinct_stable_and_named_without_revealing():
    first, again, other = (export_key(MASTER, "EXP-1"), export_key(MASTER, "EXP-1"),
                           export_key(MASTER, "EXP-2"))
    assert first == again and first != other and len(first) == 32
    assert key_id(first) != key_id(other) and first.hex()[:16] != key_id(first)
    bits = [mark_bit(first, f"person{i}", "phone") for i in range(2000)]
    assert 900 < sum(bits) < 1100                      # about half the bits are 1


def test_binomial_tail_matches_closed_forms():
    assert math.isclose(log10_binomial_tail(10, 10), -10 * math.log10(2))
    assert log10_binomial_tail(0, 10) == 0.0 and log10_binomial_tail(3, 0) == 0.0
    exact = sum(math.comb(20, k) for k in range(15, 21)) / 2 ** 20
    assert math.isclose(log10_binomial_tail(15, 20), math.log10(exact), rel_tol=1e-9)
    assert log10_binomial_tail(5000, 5000) < -1500     # stated, not rounded to zero
    assert log10_bonferroni(-3.0, 100) == -1.0 and log10_bonferroni(-1.0, 1000) == 0.0


def _reading(persons: list[str], rng: np.random.Generator, source_bits: bool) -> LeakReading:
    """An innocent leak: every person's channels carry the registry's own layout (all 0)
    or an unrelated copy's layout (random bits)."""
    reading = LeakReading(rows=len(persons), linked_rows=Counter(persons))
    for person in persons:
        for channel in ("phone", "address", "email"):
            bit = int(rng.integers(2)) if source_bits else 0
            reading.observations[(person, channel)] = {bit}
    return reading


def test_thousand_innocent_leaks_name_no_export():
    """1,000 null trials: a 100-person leak (300 observations) that did not come from the export under test,
    with no Bonferroni help (one export checked). None may reach alpha = 1e-6, and the
    p-values must behave like p-values (about 5 % below 0.05)."""
    rng = np.random.default_rng(11)
    persons = [f"{i:064x}" for i in range(100)]
    held = {person: {1} for person in persons}
    below_five_percent = 0
    smallest = 0.0
    for trial in range(1000):
        entry = ExportEntry(1, {"export_id": f"EXP-null-{trial}", "recipient": "r",
                                "created_at": "2026-01-01T00:00:00.000000Z"}, "0", "0")
        reading = _reading(persons, rng, source_bits=bool(trial % 2))
        evidence = evaluate_export(reading, entry, held, set(),
                                   export_key(MASTER, entry.export_id), checked=1)
        assert evidence.log10_p_false > -6
        smallest = min(smallest, evidence.log10_p_marks)
        below_five_percent += evidence.log10_p_marks <= math.log10(0.05)
    assert smallest > -6
    assert 20 <= below_five_percent <= 90


def test_true_source_with_a_fifth_of_marks_rerandomised_is_named():
    rng = np.random.default_rng(12)
    key = export_key(MASTER, "EXP-true")
    persons = [f"{i:064x}" for i in range(120)]
    reading = LeakReading(rows=120, linked_rows=Counter(persons))
    for person in persons:
        for channel in ("phone", "address"):
            bit = mark_bit(key, person, channel)
            reading.observations[(person, channel)] = {int(rng.integers(2)) if rng.random() < 0.2
                                                       else bit}
    entry = ExportEntry(1, {"export_id": "EXP-true", "recipient": "r",
                            "created_at": "2026-01-01T00:00:00.000000Z"}, "0", "0")
    evidence = evaluate_export(reading, entry, {p: {1} for p in persons}, set(), key,
                               checked=20)
    assert evidence.log10_p_false < -6
    assert evidence.observations == 240


def test_person_channel_seen_with_both_variants_is_dropped():
    reading = LeakReading(rows=2, linked_rows=Counter(["a", "a"]))
    reading.observations[("a", "phone")] = {0, 1}
    reading.observations[("a", "email")] = {1}
    assert reading.observed() == {"a": [("email", 1)]}
