"""The published JSON Schema: well-formed, shipped identical in the package, vocabulary in step."""

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from vigie.kinds import CATEGORIES, EXPOSED_NAMES, KINDS
from vigie.report.json import schema

ROOT = Path(__file__).resolve().parents[2]


def test_published_schema_is_the_packaged_one_and_is_valid_2020_12():
    published = json.loads((ROOT / "schemas" / "assessment.schema.json").read_text("utf-8"))
    assert published == schema()
    Draft202012Validator.check_schema(published)
    assert published["$schema"].endswith("/draft/2020-12/schema")


def test_schema_enums_follow_the_kinds_vocabulary():
    column = schema()["$defs"]["column"]["properties"]
    defs = schema()["$defs"]
    assert defs[column["kind"]["$ref"].split("/")[-1]]["enum"] == list(KINDS)
    assert defs[column["category"]["$ref"].split("/")[-1]]["enum"] == list(CATEGORIES)
    exposure_names = schema()["properties"]["exposure"]["propertyNames"]["$ref"].split("/")[-1]
    assert schema()["$defs"][exposure_names]["enum"] == list(EXPOSED_NAMES)
