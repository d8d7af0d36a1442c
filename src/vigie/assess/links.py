"""Tie rows of tables without identity columns to persons through their foreign keys.

A dump's `visits` table often holds only `patient_id`; its rows are about the person of
the `patients` row with that id. A link child.column -> parent.column is accepted when
(1) the names say so: the child column's words name the parent table (`patient_id`,
`id_patient`, `patientId` for `patients`) or a person ("client", "user"...), or both
columns carry the same distinctive name; and (2) the values agree: at least
`MIN_CONTAINMENT` of a sample of the child's distinct values exist in the parent column.
Both checks are needed: small integer ids of two unrelated tables always overlap.
Links chain (results -> visits -> patients): a table linked in one round can be the
parent of another in the next.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MIN_CONTAINMENT = 0.9
SAMPLE_VALUES = 1000
PERSON_WORDS = frozenset({"patient", "person", "personne", "client", "customer", "user",
                          "utilisateur", "individu", "assure", "beneficiaire", "account",
                          "compte", "member", "adherent", "pat"})
ID_WORDS = frozenset({"id", "ids", "num", "no", "numero", "ref", "code", "key", "fk", "uid",
                      "uuid", "ipp"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass
class LinkTable:
    """What link finding needs to know about a loaded table."""

    name: str                        # the report name (words are taken from it)
    sql_name: str
    column_names: list[str]          # report names, position = index
    column_kinds: list[str]
    has_persons: bool                # rows already tied to persons (own keys or a link)

    def __post_init__(self) -> None:
        # Tied to persons by its own identity columns, not by a link found later.
        self.own_persons = self.has_persons


@dataclass
class Link:
    """child.sql_column -> parent.sql_column, with the report names for the method text."""

    child: str
    child_column: str
    parent: str
    parent_column: str
    description: str


def words(name: str) -> list[str]:
    """Lower-case ASCII words of a name: 'id_Patient', 'patientId', 'patient.id' agree."""
    plain = unicodedata.normalize("NFKD", _CAMEL.sub(" ", name))
    plain = plain.encode("ascii", "ignore").decode().lower()
    return [_singular(w) for w in re.split(r"[^a-z0-9]+", plain) if w]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _names_agree(child_col: str, parent: LinkTable, parent_col: str) -> bool:
    child_words = set(words(child_col))
    # A person's id ("patient_id") points at a table of persons, not at a table linked to
    # them: the `id` of `analyses` beside `patients` is an analysis number.
    entity = set(words(parent.name)) | (PERSON_WORDS if parent.own_persons else set())
    if child_words & entity and (child_words & ID_WORDS or len(child_words) == 1):
        return True
    parent_words = words(parent_col)
    return parent_words == words(child_col) and set(parent_words) - ID_WORDS != set()


def _containment(con, child: LinkTable, child_col: str, parent: LinkTable, parent_col: str) -> float:
    got = con.execute(f"""
        SELECT count(p.v) / greatest(count(*), 1)
        FROM (SELECT DISTINCT {child_col} AS v FROM {child.sql_name}
              WHERE {child_col} IS NOT NULL LIMIT {SAMPLE_VALUES}) c
        LEFT JOIN (SELECT DISTINCT {parent_col} AS v FROM {parent.sql_name}) p ON c.v = p.v
    """).fetchall()[0][0]
    return float(got or 0.0)


def find_links(con, tables: list[LinkTable]) -> list[Link]:
    """Links for the tables without persons, in an order where parents come first."""
    links: list[Link] = []
    progress = True
    while progress:
        progress = False
        for child in tables:
            if child.has_persons:
                continue
            best: tuple[float, Link] | None = None
            for parent in tables:
                if parent is child or not parent.has_persons:
                    continue
                for p_pos, p_kind in enumerate(parent.column_kinds):
                    if p_kind not in ("record_id", "none"):
                        continue
                    for c_pos, c_kind in enumerate(child.column_kinds):
                        if c_kind not in ("record_id", "none"):
                            continue
                        c_name, p_name = child.column_names[c_pos], parent.column_names[p_pos]
                        if not _names_agree(c_name, parent, p_name):
                            continue
                        ratio = _containment(con, child, f"c{c_pos}", parent, f"c{p_pos}")
                        if ratio >= MIN_CONTAINMENT and (best is None or ratio > best[0]):
                            best = (ratio, Link(child.sql_name, f"c{c_pos}", parent.sql_name,
                                                f"c{p_pos}",
                                                f"{child.name}.{c_name} -> {parent.name}.{p_name}"))
            if best:
                links.append(best[1])
                child.has_persons = True
                progress = True
    return links
