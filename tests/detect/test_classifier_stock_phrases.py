"""Classifier cases met on leaks from another generator than ours (tests/independent)."""

import random

from vigie.detect.column_names import match_header
from vigie.detect.registry import classify_column

STOCK = ("RAS", "à revoir dans 3 mois", "test VIH négatif", "renouvellement ordonnance",
         "patiente enceinte de 3 mois", "grossesse gémellaire, suivi rapproché",
         "douleurs lombaires depuis 2 semaines", "vaccin grippe fait")


def test_comment_column_of_stock_phrases_is_medical_free_text():
    # Staff reuse a few dozen phrases: the distinct share is low, yet it is free text.
    draw = random.Random(2)
    phrases = [f"{a}. {b}" for a in STOCK for b in STOCK if a != b]
    values = [draw.choice(phrases) for _ in range(800)]
    verdict = classify_column("Commentaire", values)
    assert verdict.free_text and verdict.kind == "medical_free_text"


def test_a_few_repeated_phrases_under_a_comment_header_stay_structured():
    values = ["Première consultation", "Consultation de suivi"] * 300
    assert not classify_column("motif", values).free_text


def test_pid_header_names_a_record_id():
    assert "record_id" in match_header("pid")
    foreign_key = [str(1 + i // 3) for i in range(900)]       # 1,1,1,2,2,2... patient ids
    assert classify_column("pid", foreign_key).kind == "record_id"


def test_sampled_row_ids_of_a_larger_table_are_record_ids():
    # A reservoir sample of 1,000 row ids out of 1..4,000: not dense, but no id repeats.
    ids = [str(i) for i in random.Random(3).sample(range(1, 4001), 1000)]
    assert classify_column("rid", ids).kind == "record_id"
    amounts = [str(random.Random(3).randrange(4000)) for _ in range(1000)]
    assert classify_column("rid", amounts).kind == "none"


def test_headerless_stock_phrase_notes_are_medical_free_text():
    draw = random.Random(5)
    phrases = [f"{a}. {b}" for a in STOCK for b in STOCK if a != b]
    notes = [draw.choice(phrases) for _ in range(800)]
    assert classify_column(None, notes).kind == "medical_free_text"
    # Wordy but not clinical, or clinical but hardly varied: not taken for notes.
    towns = [f"zone artisanale du secteur {i % 60}" for i in range(800)]
    assert classify_column(None, towns).kind != "medical_free_text"
    assert not classify_column(None, [draw.choice(STOCK[:6]) for _ in range(800)]).free_text


def test_colloquial_seropo_is_an_hiv_mention():
    from vigie.detect.freetext import scan_mentions
    hits = scan_mentions(["patient séropo connu", "SEROPO depuis 2010", "sérologie posée"])
    assert hits["hiv"].to_pylist() == [True, True, False]
