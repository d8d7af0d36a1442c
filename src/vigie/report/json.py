"""assessment.json: the contract of DESIGN.md, validated against the published JSON Schema."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from jsonschema import Draft202012Validator

from vigie.assess.model import Assessment


@lru_cache(maxsize=1)
def schema() -> dict:
    """The assessment JSON Schema shipped in the package (same file as schemas/ at the root)."""
    text = resources.files("vigie.report").joinpath("assessment.schema.json").read_text("utf-8")
    return json.loads(text)


def validation_errors(document: dict) -> list[str]:
    """Schema violations of a report document, as 'path: message' lines (empty when valid)."""
    validator = Draft202012Validator(schema())
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))]


def render_json(assessment: Assessment) -> str:
    """The report as indented UTF-8 JSON text."""
    return json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False) + "\n"
