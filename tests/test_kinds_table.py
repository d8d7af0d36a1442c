"""The kinds table (vigie.kinds) is complete and every value in it is one the rest of Vigie
knows: a kind or mention added without one of its properties, or with a misspelt one, fails
here rather than in a report, a CNIL draft or a patient's letter."""

import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from vigie import kinds
from vigie.kinds import (CATEGORY, EDPB_TYPES, ENISA_ROLES, IDENTIFICATION_ROLES, KIND,
                         KIND_TABLE, MENTION, MENTION_TABLE, Kind, Mention)
from vigie.mask import MASKERS
from vigie.notify.advice import library

ROOT = Path(__file__).resolve().parents[1]
ADVICE_BLOCKS = {b["id"] for b in library()["blocks"]}
ENTRIES = [*KIND_TABLE, *MENTION_TABLE]


def _id(entry) -> str:
    return f"{type(entry).__name__.lower()}:{entry.name}"


def test_names_are_unique_within_kinds_and_within_mentions():
    assert len(KIND) == len(KIND_TABLE) and len(MENTION) == len(MENTION_TABLE)


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_every_property_is_set_and_valid(entry):
    assert entry.category in CATEGORY
    assert all(b in ADVICE_BLOCKS for b in entry.advice), entry.advice
    if isinstance(entry, Kind):
        assert entry.masker in MASKERS
        assert entry.identifies is None or entry.identifies in IDENTIFICATION_ROLES
    if not entry.personal:
        # says nothing about a person: nothing to type, score, tell or advise
        assert (entry.edpb, entry.enisa, entry.label, entry.neutral, entry.advice) == (
            None, None, None, None, ())
        return
    assert entry.edpb in EDPB_TYPES
    assert entry.enisa in ENISA_ROLES
    for text in (entry.label, entry.neutral):
        assert isinstance(text, str) and text.strip() == text and text
    assert "votre" not in entry.neutral and "vos " not in entry.neutral
    assert "vous" not in entry.neutral


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_health_data_scores_as_health_data(entry):
    """Art. 9 comes from the EDPB type, and every art. 9 name reaches the top ENISA
    sensitivity score unless it only reveals a care relationship (a treating doctor)."""
    assert entry.art9 == (entry.edpb == "health_data")
    assert entry.art9 == (entry.category == "health")
    if entry.art9:
        assert entry.enisa in ("sensitive", "care_context")
        if entry.enisa == "sensitive":
            assert "health" in entry.advice


def test_a_name_both_kind_and_mention_means_the_same():
    shared = set(KIND) & set(MENTION)
    assert shared == {"medication"}
    common = {f.name for f in fields(Kind)} & {f.name for f in fields(Mention)}
    for name in shared:
        assert {f: getattr(KIND[name], f) for f in common} == {
            f: getattr(MENTION[name], f) for f in common}


def test_categories_and_edpb_types_are_worded_and_used():
    used = {e.category for e in ENTRIES}
    assert used == set(CATEGORY)
    for c in CATEGORY.values():
        assert (c.notice is None) == (c.sms is None) == (c.name == "none")
    assert {e.edpb for e in ENTRIES if e.edpb} == set(EDPB_TYPES)
    for t in EDPB_TYPES.values():
        assert t.wording and t.french and "EDPB" not in t.french


def test_insurer_is_economic_data_everywhere():
    """The inconsistency the table removed: the CNIL draft groups by the same field-70
    type the assessment reports."""
    assert KIND["insurer"].edpb == "economic_financial"
    assert KIND["insurance_number"].edpb == "identification_data"
    assert "identification" not in CATEGORY["insurance"].notice


def test_the_committed_schemas_are_what_the_script_writes():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "write_schema_vocabulary.py"),
                          "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    schema = json.loads((ROOT / "schemas" / "assessment.schema.json").read_text("utf-8"))
    assert schema["$defs"]["kind"]["enum"] == list(kinds.KINDS)
    assert schema["$defs"]["mention"]["enum"] == list(kinds.MENTIONS)


def test_the_check_fails_on_a_stale_schema(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import write_schema_vocabulary as script
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    schema = json.loads(script.PUBLISHED.read_text("utf-8"))
    schema["$defs"]["kind"]["enum"] = schema["$defs"]["kind"]["enum"][:-1]
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    monkeypatch.setattr(script, "PUBLISHED", stale)
    monkeypatch.setattr(script, "COPIES", (stale,))
    monkeypatch.setattr(script, "ROOT", tmp_path)
    assert script.main(["--check"]) == 1
    assert script.main([]) == 0
    assert script.main(["--check"]) == 0
