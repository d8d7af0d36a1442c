"""Free-text mention scanning: phrasings staff write, negatives, polarity, pipe lists, and the
vectorised scanner against a simple per-cell reference."""

import random
import re

import pyarrow as pa
import pytest

from vigie.detect.freetext import mention_counts, sample_is_medical, scan_mentions
from vigie.detect.lexicons import MENTION_BIT, NUMBER_TOKEN, mention_lexicon
from vigie.detect.lexicons.normal import tokens
from vigie.kinds import MENTIONS


def mentions_in(text: str) -> set[str]:
    found = scan_mentions([text])
    return {m for m, flags in found.items() if flags[0].as_py()}


@pytest.mark.parametrize("text, mention", [
    ("VIH+ sous trithérapie", "hiv"),
    ("patiente séropositive connue", "hiv"),
    ("Sérologie VIH négative", "hiv"),
    ("NFS|Sérologie VIH|HbA1c", "hiv"),
    ("CD4 à 450/mm3, charge virale indétectable", "hiv"),
    ("PrEP en cours", "hiv"),
    ("renouvellement BIKTARVY", "hiv"),
    ("Enceinte 12 SA", "pregnancy"),
    ("grossesse à 28SA", "pregnancy"),
    ("G2P1, terme prévu en mars", "pregnancy"),
    ("β-HCG positif", "pregnancy"),
    ("beta HCG à contrôler", "pregnancy"),
    ("IVG médicamenteuse", "pregnancy"),
    ("post-partum J3", "pregnancy"),
    ("Hépatite C traitée", "hepatitis"),
    ("Ag HBs négatif", "hepatitis"),
    ("anti-HBc positif", "hepatitis"),
    ("DT2 sous metformine", "diabetes"),
    ("diabetique insulinotraite, insuline lente", "diabetes"),
    ("HbA1c 7,2 %", "diabetes"),
    ("RDV diabétologue en mai", "diabetes"),      # decided: a diabetologist follow-up discloses it
    ("E11.9 Diabète de type 2 sans complication", "diabetes"),
    ("ATCD K sein opéré", "cancer"),
    ("K du colon en 2015", "cancer"),
    ("chimio terminée, pas de métastase", "cancer"),
    ("suivi psy pour dépression", "mental_health"),
    ("ATCD de TS en 2019", "mental_health"),
    ("trouble bipolaire stabilisé", "mental_health"),
    ("sous DOLIPRANE 1g", "medication"),
    ("metformine 1000 mg", "medication"),
    ("syphilis traitée", "sti"),
    ("sevrage alcoolique", "addiction"),
    ("VHC+ ancien UDI", "addiction"),
    ("NFS|CA 15-3", "cancer"),
    ("Trisomie 21", "disability"),
    ("Pt sous AVK, INR cible 2-3", "medication"),
])
def test_positive_phrasings(text, mention):
    assert mention in mentions_in(text)


@pytest.mark.parametrize("text, mention", [
    ("PSA à contrôler", "pregnancy"),
    ("Voyage à Ksar el Kebir", "cancer"),
    ("K 4,2 mmol/L", "cancer"),
    ("Concert de vihuela", "hiv"),
    ("Traitement au long terme", "pregnancy"),
    ("Potassium 4,1 mmol/L; glucose 5 mmol/L; fer sérique normal", "medication"),
    ("TS 12", "mental_health"),
    ("SA au capital de 10 000 euros", "pregnancy"),
    ("Livraison prévue demain", "medication"),
    ("NFS|Charge virale VHC", "hiv"),
    ("VIREAD 245 mg/j", "hiv"),
])
def test_negatives_do_not_match(text, mention):
    assert mention not in mentions_in(text)


def test_polarity_does_not_matter():
    assert mentions_in("sérologie VIH positive") >= {"hiv"}
    assert mentions_in("sérologie VIH négative") >= {"hiv"}
    assert mentions_in("pas de diabète") >= {"diabetes"}


def test_nulls_and_empty_cells_are_false():
    found = scan_mentions(pa.array([None, "", "VIH+"]))
    assert found["hiv"].to_pylist() == [False, False, True]


def test_terms_spanning_two_cells_do_not_match():
    # "k" ends one cell and "sein" starts the next: no cancer in either.
    assert scan_mentions(["douleur k", "sein sensible"])["cancer"].to_pylist() == [False, False]


def _reference(text: str) -> set[str]:
    """Per-cell reference: a plain loop over token n-grams (deliberately naive)."""
    lexicon = mention_lexicon()
    toks = tokens(text)
    keys = [NUMBER_TOKEN if t.isdigit() else t for t in toks]
    bits = 0
    for i in range(len(keys)):
        longest = 0
        for n, table in lexicon.ngrams.items():
            if i + n > len(keys):
                continue
            for key in (" ".join(toks[i:i + n]), " ".join(keys[i:i + n])):
                if key in table:
                    longest = table[key]
                    break
        bits |= longest
    for bit, patterns in lexicon.patterns.items():
        if any(re.fullmatch("|".join(patterns), t) for t in toks):
            bits |= bit
    return {m for m in MENTIONS if bits & MENTION_BIT[m]}


PHRASES = ["Patient vu en consultation, RAS.", "Sérologie VIH négative.", "VIH+ sous BIKTARVY",
           "Enceinte 12 SA, G2P1.", "DT2 sous metformine 1000 mg.", "ATCD K sein", "suivi psy",
           "Hépatite C traitée.", "NFS|Ionogramme|CRP", "PSA à contrôler.", "Ksar", "28SA",
           "TS médicamenteuse", "K 4,2 mmol/L", "12", "sa", "β-HCG+", "Ag HBs", "DOLIPRANE",
           "œsophage", "néo prostate", "E11.9", "b20", "", "syphilis", "méthadone",
           "charge virale", "charge virale VHC", "VIREAD", "Lithémie", "CA 15-3", "type 2",
           "diabète de type 2", "25 OH vitamine D", "trisomie 21"]


def test_vectorised_scanner_equals_per_cell_reference():
    rng = random.Random(3)
    cells = [" ".join(rng.choice(PHRASES) for _ in range(rng.randint(0, 4))) for _ in range(3000)]
    cells[::97] = [None] * len(cells[::97])
    found = scan_mentions(cells)
    for i, cell in enumerate(cells):
        expected = _reference(cell) if cell is not None else set()
        got = {m for m in MENTIONS if found[m][i].as_py()}
        assert got == expected, i


def test_parallel_slices_give_the_same_answer_as_one_slice():
    rng = random.Random(5)
    cells = [" ".join(rng.choice(PHRASES) for _ in range(3)) for _ in range(120_000)]
    whole = mention_counts(cells)
    halves = [mention_counts(cells[:60_000]), mention_counts(cells[60_000:])]
    assert whole == {m: halves[0][m] + halves[1][m] for m in MENTIONS}
    assert whole["hiv"] > 0


def test_sample_is_medical():
    notes = ["Patient vu en consultation, RAS", "Bilan sanguin à refaire", "Sérologie VIH négative",
             "Renouvellement ordonnance", "Douleurs abdominales depuis hier"] * 10
    other = ["Livraison prévue demain matin", "Colis laissé chez le voisin",
             "Merci pour votre commande", "Adresse de facturation modifiée"] * 10
    assert sample_is_medical(notes)
    assert not sample_is_medical(other)
    assert not sample_is_medical([None, ""])


def test_a_hostile_giant_cell_is_cut_not_exploded():
    giant = "vih " + "x" * 5_000_000 + " grossesse"
    found = scan_mentions([giant, "enceinte"])
    assert found["hiv"].to_pylist() == [True, False]
    assert found["pregnancy"].to_pylist() == [False, True]     # past the cut: not read


@pytest.mark.parametrize("column", [
    pa.array(["VIH+", None, "RAS"], pa.large_string()),
    pa.chunked_array([pa.array(["VIH+"]), pa.array([None, "RAS"])]),
    pa.array(["VIH+", None, "RAS"]).dictionary_encode(),
])
def test_any_arrow_string_layout(column):
    assert scan_mentions(column)["hiv"].to_pylist() == [True, False, False]


def test_empty_and_non_string_columns():
    assert mention_counts([])["hiv"] == 0
    assert mention_counts(pa.array([1, 2, None]))["hiv"] == 0
