"""The vectorised name normalisation behind surname_set / first_name_set equals normalise_name."""

from vigie.refdata.names import first_names, normalise_all, surnames
from vigie.refdata.normalise import normalise_name

# Spellings that exercise every step: ligatures, accents, compatibility forms (NFKD), stacked
# combining marks, separator runs at the edges and between names, upper-casing that expands.
_TRICKY = [
    "Œuvray", "lætitia", "Hélène", "L'Haÿ-les-Roses", "  -Jean--Pierre. ", "O’Neil", "D`Arc",
    "Straße", "ﬁlou", "Ｍａｒｔｉｎ", "e\u0301\u0327t\u00e9", "ǰose", "-", "", "a\u00a0b",
    "\u0301Leading mark", "Saint-Étienne", "MC-DONALD'S", "n\u0303\u0308o",
]


def _reference(names: list[str]) -> frozenset[str]:
    return frozenset(normalise_name(name) for name in names)


def test_vectorised_normalisation_equals_reference_on_tricky_spellings():
    assert normalise_all(_TRICKY) == _reference(_TRICKY)
    for name in _TRICKY:  # one name at a time too: no merging across the join
        assert normalise_all([name]) == _reference([name])


def test_vectorised_normalisation_equals_reference_on_a_sample_of_the_lists():
    sample = surnames()[::97] + first_names("F")[::7] + first_names("M")[::7] + _TRICKY
    fast = normalise_all(sample)
    assert fast == _reference(sample)
    assert len(fast) > 5000


def test_empty_list_and_joiner_in_names_fall_back_to_the_reference():
    assert normalise_all([]) == frozenset()
    assert normalise_all(["a\x00b", "Émile"]) == _reference(["a\x00b", "Émile"])
