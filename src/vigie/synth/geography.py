"""Real communes to live in and be born in, drawn by legal population.

Paris, Lyon and Marseille are drawn by municipal arrondissement (the unit a NIR and a
postcode use). The overseas collectivities ('com' zone: Polynesia, New Caledonia, Saint-
Martin...) are birthplaces only: their residents are outside the French health insurance
scheme the generator models, but people born there live in France (NIR place 98xxx/97xxx).
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigie.refdata.communes import commune_names, load_communes
from vigie.synth.arrays import GroupedSampler


@dataclass(frozen=True, eq=False)
class Communes:
    """Drawable communes sorted by department; arrays aligned by row."""
    code: pa.Array           # INSEE code: '35238', '2A004', '97411', '75114'
    name: pa.Array           # official name ('Paris 14e Arrondissement')
    city: pa.Array           # name for a postal address ('Paris')
    departement: np.ndarray  # department code per row, as str
    region: np.ndarray       # region code per row, as str
    department_index: np.ndarray
    departments: np.ndarray  # sorted unique department codes
    postcodes: pa.Array      # all postcodes, flattened
    postcode_start: np.ndarray
    postcode_count: np.ndarray
    by_department: GroupedSampler
    residence: GroupedSampler
    birth: GroupedSampler

    def pick(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Communes to live in, anywhere, by population."""
        return self.residence.pick(np.zeros(size, dtype=np.int64), rng)

    def pick_birth(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Communes to be born in (overseas collectivities included), by population."""
        return self.birth.pick(np.zeros(size, dtype=np.int64), rng)

    def pick_in(self, department_index: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Communes to live in inside the given departments (index into `departments`)."""
        return self.by_department.pick(department_index, rng)

    def pick_postcode(self, rows: np.ndarray, rng: np.random.Generator) -> pa.Array:
        """One of each commune's postcodes, uniformly."""
        offset = (rng.random(len(rows)) * self.postcode_count[rows]).astype(np.int64)
        return self.postcodes.take(pa.array(self.postcode_start[rows] + offset))


@lru_cache(maxsize=1)
def communes() -> Communes:
    table = load_communes()
    arrondissement_parents = set(
        pc.filter(table.column("parent"), pc.not_equal(table.column("parent"), "")).to_pylist())
    keep = pc.and_(pc.invert(pc.is_in(table.column("code"),
                                      pa.array(sorted(arrondissement_parents)))),
                   pc.greater(pc.fill_null(table.column("population"), 0), 0))
    table = table.filter(keep).sort_by([("departement", "ascending"), ("code", "ascending")])
    residential = pc.and_(pc.not_equal(table.column("zone"), "com"),
                          pc.not_equal(table.column("codesPostaux"), "")).to_numpy(
                              zero_copy_only=False)
    names = commune_names()
    parents = table.column("parent").to_pylist()
    city = pa.array([names[parent] if parent else name
                     for parent, name in zip(parents, table.column("nom").to_pylist())])
    departement = np.array(table.column("departement").to_pylist())
    departments, department_index = np.unique(departement, return_inverse=True)
    postcode_lists = [list(filter(None, codes.split("|")))
                      for codes in table.column("codesPostaux").to_pylist()]
    counts = np.array([len(codes) for codes in postcode_lists])
    population = table.column("population").to_numpy().astype(np.float64)
    living = population * residential
    everywhere = np.zeros(len(population), dtype=np.int64)
    return Communes(
        code=table.column("code").combine_chunks(),
        name=table.column("nom").combine_chunks(),
        city=city,
        departement=departement,
        region=np.array(table.column("region").to_pylist()),
        department_index=department_index,
        departments=departments,
        postcodes=pa.array([code for codes in postcode_lists for code in codes]),
        postcode_start=np.concatenate([[0], np.cumsum(counts)[:-1]]),
        postcode_count=counts,
        by_department=GroupedSampler(department_index, living, len(departments)),
        residence=GroupedSampler(everywhere, living, 1),
        birth=GroupedSampler(everywhere, population, 1),
    )

