"""Write the vocabulary enums of the assessment JSON Schema from the kinds table.

The schema names kinds, categories, mentions and EDPB field-70 keys once each, in its
`$defs` (kind, category, mention, exposed_name, edpb_key); every other place refers to
them. This script fills those enums from vigie.kinds and writes both copies of the schema
(schemas/assessment.schema.json, the published one, and src/vigie/report/
assessment.schema.json, the one the package validates with). With --check it writes
nothing and exits 1 when a committed copy differs from what it would write (the test
suite runs it so).

Usage: .venv/bin/python scripts/write_schema_vocabulary.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vigie.kinds import CATEGORIES, EDPB_TYPES, EXPOSED_NAMES, KINDS, MENTIONS

ROOT = Path(__file__).resolve().parents[1]
COPIES = (ROOT / "schemas" / "assessment.schema.json",
          ROOT / "src" / "vigie" / "report" / "assessment.schema.json")
PUBLISHED = COPIES[0]


def vocabulary() -> dict[str, list[str]]:
    """$defs name -> its enum, from the kinds table."""
    return {"kind": list(KINDS), "category": list(CATEGORIES), "mention": list(MENTIONS),
            "exposed_name": list(EXPOSED_NAMES), "edpb_key": list(EDPB_TYPES)}


def render(schema: dict) -> str:
    """The schema with its vocabulary enums rewritten, as the committed text."""
    for name, values in vocabulary().items():
        schema["$defs"][name]["enum"] = values
    return json.dumps(schema, indent=2) + "\n"


def main(argv: list[str]) -> int:
    check = argv == ["--check"]
    if argv and not check:
        print("usage: write_schema_vocabulary.py [--check]", file=sys.stderr)
        return 2
    wanted = render(json.loads(PUBLISHED.read_text("utf-8")))
    stale = [path for path in COPIES if not path.exists() or path.read_text("utf-8") != wanted]
    for path in stale:
        if check:
            print(f"{path.relative_to(ROOT)}: out of date with vigie.kinds "
                  "(run scripts/write_schema_vocabulary.py)", file=sys.stderr)
        else:
            path.write_text(wanted, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
