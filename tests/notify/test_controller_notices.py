"""Processor mode: one art. 33(2) notice per controller, with only its own patients'
count and exposed kinds."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from pypdf import PdfReader

from vigie.errors import UsageError
from vigie.incidents import open_incident, open_register, record_facts
from vigie.notify.controllers import draft_controllers


def test_one_notice_per_controller_with_its_own_counts(home, tmp_path, synthetic, facts):
    inputs = synthetic.build(tmp_path / "run", patients=40, groups=True)
    engine = open_register(None)
    incident_id = open_incident(engine, inputs["assessment"], datetime.now(timezone.utc),
                                role="processor")
    record_facts(engine, incident_id, facts, "dpo")
    written = draft_controllers(engine, incident_id, tmp_path / "out")
    assert sorted(p.name for p in written) == ["LAB0.md", "LAB0.pdf", "LAB1.md", "LAB1.pdf"]
    lab0 = (tmp_path / "out" / "controllers" / "LAB0.md").read_text()
    lab1 = (tmp_path / "out" / "controllers" / "LAB1.md").read_text()
    assert "Nombre de vos patients identifiés dans les données exposées** : 20" in lab0
    assert "numéro de sécurité sociale (NIR) : 20 de vos patients" in lab0   # even ids: NIR
    assert "(NIR)" not in lab1                                               # odd ids: none
    assert "ne peut pas se substituer" in lab1
    text = " ".join(PdfReader(tmp_path / "out" / "controllers" / "LAB1.pdf").pages[0]
                    .extract_text().split())
    assert "LAB1" in text and "20" in text


def test_no_group_column_is_a_usage_error(incident, tmp_path):
    engine, incident_id, _ = incident
    with pytest.raises(UsageError):
        draft_controllers(engine, incident_id, tmp_path / "out")
