"""French communes (INSEE COG, millésime 2026) with postcodes and legal population.

The table is vendored as communes.csv.gz by scripts/extract_communes.py from the Etalab
package `@etalab/decoupage-administratif` 6.0.0. It holds the 34,969 current communes plus
the 45 municipal arrondissements of Paris, Lyon and Marseille (`type` column), because a
person born or living there is registered by arrondissement (NIR commune 75114, postcode
75014). Loaded once per process and cached.
"""

from functools import lru_cache
from importlib.resources import files

import pyarrow as pa
import pyarrow.csv as pacsv

from vigie.refdata.normalise import normalise_name

_STRING_COLUMNS = ("code", "nom", "departement", "region", "codesPostaux", "type", "zone",
                   "parent")


def _read_gz_csv(name: str, string_columns: tuple[str, ...]) -> pa.Table:
    path = files("vigie.refdata").joinpath(name)
    with path.open("rb") as raw:
        return pacsv.read_csv(
            pa.CompressedInputStream(raw, "gzip"),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in string_columns},
                strings_can_be_null=False))


@lru_cache(maxsize=1)
def load_communes() -> pa.Table:
    """All rows: code, nom, departement, region, codesPostaux ('|'-joined), population
    (int64, null for a few uninhabited COM), type ('commune'/'arrondissement'), zone
    ('metro', 'drom', 'com'), parent (the commune of an arrondissement, else '')."""
    return _read_gz_csv("communes.csv.gz", _STRING_COLUMNS)


@lru_cache(maxsize=1)
def load_departements() -> pa.Table:
    """The 109 departments and collectivities: code, nom, region, zone."""
    return _read_gz_csv("departements.csv.gz", ("code", "nom", "region", "zone"))


@lru_cache(maxsize=1)
def postcode_set() -> frozenset[str]:
    """Every postcode in use (5 characters, e.g. '75014', '20000', '97400')."""
    joined = load_communes().column("codesPostaux").to_pylist()
    return frozenset(code for codes in joined for code in codes.split("|") if code)


@lru_cache(maxsize=1)
def communes_by_postcode() -> dict[str, tuple[str, ...]]:
    """Postcode -> INSEE codes of the communes it serves ('75014' -> ('75056', '75114')),
    to check that a postcode and a city in one record agree."""
    table = load_communes()
    served: dict[str, list[str]] = {}
    for code, postcodes in zip(table.column("code").to_pylist(),
                               table.column("codesPostaux").to_pylist()):
        for postcode in filter(None, postcodes.split("|")):
            served.setdefault(postcode, []).append(code)
    return {postcode: tuple(codes) for postcode, codes in served.items()}


@lru_cache(maxsize=1)
def commune_names() -> dict[str, str]:
    """INSEE commune code -> official name ('75114' -> 'Paris 14e Arrondissement')."""
    table = load_communes()
    return dict(zip(table.column("code").to_pylist(), table.column("nom").to_pylist()))


@lru_cache(maxsize=1)
def city_name_set() -> frozenset[str]:
    """Commune names in normal form (see normalise_name), for matching a 'ville' column."""
    return frozenset(normalise_name(name) for name in load_communes().column("nom").to_pylist())


@lru_cache(maxsize=1)
def departement_names() -> dict[str, str]:
    """Department code -> name ('2A' -> 'Corse-du-Sud', '974' -> 'La Réunion')."""
    table = load_departements()
    return dict(zip(table.column("code").to_pylist(), table.column("nom").to_pylist()))
