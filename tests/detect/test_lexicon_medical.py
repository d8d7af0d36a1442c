"""The offline medical lexicons: extracted data loads, HIV drugs are known as such,
collisions with ordinary words are excluded, CIM-10 codes map to mentions."""

from vigie.detect.lexicons import MENTION_BIT, mention_lexicon, mentions_of_bits
from vigie.detect.lexicons import cim10
from vigie.detect.lexicons.drugs import drug_mentions
from vigie.detect.lexicons.normal import fold, tokens


def test_fold_and_tokens_match_french_clinical_spellings():
    assert fold("Sérologie VIH Négative") == "serologie vih negative"
    assert tokens("Ag HBs+|β-HCG") == ["ag", "hbs", "b", "hcg"]
    assert tokens("œsophage") == ["oesophage"]


def test_hiv_antiretrovirals_disclose_hiv_and_medication():
    drugs = drug_mentions()
    for name in ("biktarvy", "truvada", "genvoya", "descovy", "dolutegravir", "tivicay"):
        assert {"hiv", "medication"} <= drugs[name], name


def test_atc_classes_disclose_their_condition():
    drugs = drug_mentions()
    assert "diabetes" in drugs["metformine"]
    assert "mental_health" in drugs["prozac"]
    assert "hepatitis" in drugs["baraclude"] and "hiv" not in drugs["baraclude"]
    assert drugs["doliprane"] == {"medication"}


def test_drug_names_that_are_common_words_are_not_drugs():
    drugs = drug_mentions()
    for word in ("fer", "glucose", "potassium", "gel", "zinc", "calcium"):
        assert word not in drugs
    assert "paracetamol" in drugs          # a dictionary word that is first of all a drug


def test_cim10_codes_and_blocks():
    assert cim10.is_code("E11.9") and cim10.is_code("b20")
    assert not cim10.is_code("Z99.99")
    assert cim10.mentions_of("B20.1") == {"hiv"}
    assert cim10.mentions_of("F10.2") == {"addiction"}
    assert cim10.mentions_of("O24.4") == {"pregnancy", "diabetes"}
    assert "Diabète" in cim10.labels()["E119"]


def test_compiled_lexicon_keeps_ambiguous_abbreviations_in_patterns_only():
    lexicon = mention_lexicon()
    unigrams = lexicon.ngrams[1]
    for alone in ("k", "ts", "sa", "psa"):
        assert not unigrams.get(alone, 0) & ~(1 << 15), alone
    assert mentions_of_bits(lexicon.ngrams[2]["k sein"]) == ["cancer"]
    assert lexicon.ngrams[2]["# sa"] == MENTION_BIT["pregnancy"]
