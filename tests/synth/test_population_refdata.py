"""Reference data loaders: communes, departments and INSEE names."""

import numpy as np

from vigie.refdata import communes, names
from vigie.refdata.normalise import normalise_name


def test_communes_table_has_current_communes_and_arrondissements():
    table = communes.load_communes()
    assert table.num_rows == 35014
    kinds = table.column("type").to_pylist()
    assert kinds.count("arrondissement") == 45
    assert communes.commune_names()["75114"] == "Paris 14e Arrondissement"
    assert communes.commune_names()["2A004"] == "Ajaccio"
    assert communes.departement_names()["2B"] == "Haute-Corse"
    assert communes.departement_names()["974"] == "La Réunion"


def test_postcode_and_city_sets_cover_metro_corsica_and_overseas():
    postcodes = communes.postcode_set()
    assert {"75014", "20000", "97400", "13001", "69003"} <= postcodes
    assert "99999" not in postcodes
    assert set(communes.communes_by_postcode()["75014"]) == {"75056", "75114"}
    assert "2A004" in communes.communes_by_postcode()["20000"]
    cities = communes.city_name_set()
    assert {"SAINT ETIENNE", "L HAY LES ROSES", "AJACCIO"} <= cities


def test_normalise_name_folds_accents_case_and_separators():
    assert normalise_name("Jean-Pierre") == "JEAN PIERRE"
    assert normalise_name("L'Haÿ-les-Roses") == "L HAY LES ROSES"
    assert normalise_name("  Œuvray  ") == "OEUVRAY"


def test_first_names_follow_sex_and_birth_decade():
    assert names.first_names("F", 1955)[:2] == ["Marie", "Martine"]
    assert names.first_names("M", 1925)[0] == "Jean"
    assert names.first_names("F", 2005)[0] == "Léa"
    # Years outside the INSEE bands clamp to the nearest band.
    assert names.first_names("F", 1890) == names.first_names("F", 1905)
    both = names.first_names(None, 1955)
    assert both[:4] == ["Marie", "Jean", "Martine", "Michel"]
    assert len(both) == len(set(both))


def test_rank_weights_are_a_decreasing_distribution_fitted_to_cutoffs():
    weights = names.surname_weights()
    assert len(weights) == len(names.surnames()) == 218982
    assert abs(weights.sum() - 1.0) < 1e-9
    assert np.all(np.diff(weights) <= 1e-15)
    # Martin: about 0.25 % of people (INSEE ~230,000 bearers).
    assert 0.0015 < weights[0] < 0.004
    female_1905 = names.first_name_weights("F", 1905)
    assert 0.05 < female_1905[0] < 0.2  # Marie, the dominant name of the 1900s


def test_detection_sets_hold_normalised_names():
    assert {"JEAN PIERRE", "HELENE", "MARIE"} <= names.first_name_set()
    assert {"MARTIN", "LE GOFF", "LEFEVRE"} <= names.surname_set()
    assert "Martin" not in names.surname_set()
