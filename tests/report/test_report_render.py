"""Rendering a hand-built Assessment: schema-valid JSON, escaped HTML and Markdown."""

import json
import re
import stat

from vigie.assess.model import (Assessment, Column, DataType, Exposure, Persons, RunnerUp,
                                TableReport)
from vigie.assess.severity import assess_severity
from vigie.report import write_reports
from vigie.report.html import render_html
from vigie.report.json import render_json, validation_errors
from vigie.report.markdown import md_escape, render_markdown

HOSTILE = '<script>alert("x")</script>'


def sample_assessment(header: str = "NSS") -> Assessment:
    columns = [
        Column(header, 0, "nir", "national_id", 0.99, 100, 98, ["header 'NSS'", "98% valid keys"],
               ["2 84 ** ** *** *** 37"], [RunnerUp("record_id", 0.1)], "identification_data",
               False, True),
        Column("COMMENTAIRE", 1, "medical_free_text", "health", 0.8, 60, 60, ["free text"],
               ["S****** V** n******"], [], "health_data", True, False, True,
               {"hiv": 12, "pregnancy": 3}),
    ]
    return Assessment(
        source={"path": "leak.txt", "format": "csv", "encoding": "cp1252", "delimiter": ";",
                "bytes": 1234},
        tables=[TableReport("leak", 100, columns, "NIR")],
        persons=Persons(80, "NIR, else name + date of birth"),
        exposure={"nir": Exposure(80, "identification_data", False),
                  "hiv": Exposure(12, "health_data", True)},
        severity=assess_severity({"nir", "hiv", "medical_free_text"}, 80),
        elapsed_s=0.5,
        data_types={"identification_data": DataType("Identification data", False, ["nir"], 80),
                    "health_data": DataType("Health data", True, ["hiv", "medical_free_text"], 12)})


def test_json_report_is_valid_against_the_schema_and_round_trips():
    text = render_json(sample_assessment())
    doc = json.loads(text)
    assert validation_errors(doc) == []
    assert list(doc)[:7] == ["vigie_report", "source", "tables", "persons", "exposure",
                             "severity", "elapsed_s"]
    assert Assessment.from_dict(doc).to_dict() == doc


def test_schema_rejects_a_contract_violation():
    doc = sample_assessment().to_dict()
    doc["tables"][0]["columns"][0]["kind"] = "social_security"
    del doc["persons"]["method"]
    errors = validation_errors(doc)
    assert any("social_security" in e for e in errors)
    assert any("method" in e for e in errors)


def test_html_escapes_a_crafted_header_and_is_self_contained():
    page = render_html(sample_assessment(HOSTILE))
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<svg" in page and "very high" in page and "hiv" in page


def test_markdown_escapes_table_syntax_and_html():
    assert md_escape("a|b<c>*d* [x](y)") == r"a\|b\<c\>\*d\* \[x\](y)"
    text = render_markdown(sample_assessment("x|y<script>"))
    assert "x|y" not in text and "<script>" not in text
    assert "| nir | 80 | 100.0 % | no |" in text


def test_write_reports_writes_private_files(tmp_path):
    paths = write_reports(sample_assessment(), tmp_path / "out", ["json", "html", "md"])
    assert [p.name for p in paths] == ["assessment.json", "assessment.html", "assessment.md"]
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
