"""A leak with NO personal data: a lab-supplies product catalogue.

It is the negative control of the assessment: 15-digit product references (shaped like
a NIR but never carrying a valid NIR key), labels full of medical words, prices and
update dates. Everything must come out as record_id / none / event_date.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigie.synth.leaks import notation as nt
from vigie.synth.leaks.base import shape, truth_builder
from vigie.synth.leaks.textfiles import write_delimited

BATCH_ROWS = 100_000
PRODUCTS = [
    ("Tube EDTA 4 mL bouchon violet", "Prélèvement", "boîte de 100"),
    ("Tube sec 5 mL avec gel", "Prélèvement", "boîte de 100"),
    ("Aiguille de prélèvement 21G", "Prélèvement", "boîte de 100"),
    ("Gants nitrile non poudrés taille M", "Consommables", "boîte de 200"),
    ("Compresses stériles 10x10", "Consommables", "sachet de 50"),
    ("Réactif CRP latex", "Réactifs", "kit 100 tests"),
    ("Contrôle qualité HbA1c niveau 2", "Réactifs", "flacon 1 mL"),
    ("Bandelettes urinaires 10 paramètres", "Réactifs", "tube de 100"),
    ("Cône de pipette 1000 µL", "Consommables", "sachet de 1000"),
    ("Milieu de culture gélose au sang", "Microbiologie", "carton de 20"),
    ("Écouvillon floqué transport viral", "Microbiologie", "boîte de 50"),
    ("Conteneur DASRI 2 L", "Déchets", "unité"),
]
COLUMNS = [("reference", "record_id"), ("libelle", "none"), ("categorie", "none"),
           ("conditionnement", "none"), ("prix_ht", "none"), ("taux_tva", "none"),
           ("stock", "none"), ("date_maj", "event_date")]


def references(gen: np.random.Generator, n: int) -> np.ndarray:
    """n distinct 15-digit references whose last two digits are never the NIR key of the
    first thirteen (97 - body mod 97), so none passes a NIR check by chance."""
    bodies = np.unique(gen.integers(10**12, 10**13, size=n + n // 100 + 16))
    while len(bodies) < n:
        bodies = np.unique(np.concatenate([bodies, gen.integers(10**12, 10**13, size=n)]))
    bodies = gen.permutation(bodies)[:n]
    wrong_key = (97 - bodies % 97 + gen.integers(1, 97, size=n)) % 100
    return bodies * 100 + wrong_key


def catalogue_batches(gen: np.random.Generator, n: int) -> Iterator[pa.RecordBatch]:
    labels = pa.array([p[0] for p in PRODUCTS])
    categories = pa.array([p[1] for p in PRODUCTS])
    packaging = pa.array([p[2] for p in PRODUCTS])
    refs = references(gen, n)
    for start in range(0, n, BATCH_ROWS):
        size = min(BATCH_ROWS, n - start)
        product = pa.array(gen.integers(0, len(PRODUCTS), size))
        cents = gen.integers(50, 250_000, size)
        price = pc.binary_join_element_wise(
            pc.cast(pa.array(cents // 100), pa.string()),
            pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), 2, "0"), ",")
        vat = pc.take(pa.array(["20,0", "5,5", "10,0"]), pa.array(gen.integers(0, 3, size)))
        updated = pa.array(gen.integers(18_262, 20_270, size).astype("int32")).cast(pa.date32())
        yield pa.RecordBatch.from_arrays([
            pc.cast(pa.array(refs[start:start + size]), pa.string()),
            pc.take(labels, product), pc.take(categories, product), pc.take(packaging, product),
            price, vat, pc.cast(pa.array(gen.integers(0, 5000, size)), pa.string()),
            nt.date_text(updated, "dd/mm/yyyy"),
        ], names=[c for c, _ in COLUMNS])


@shape("catalogue", "lab-supplies product catalogue: no personal data (15-digit references "
       "that are not NIRs, labels, prices); --patients N gives N products")
def catalogue(pop, out_dir: Path, rng: random.Random) -> dict:
    truth = truth_builder(pop, "catalogue", "csv")
    n = pop.patients.num_rows
    path = out_dir / "catalogue_produits.csv"
    schema = pa.schema([pa.field(c, pa.string()) for c, _ in COLUMNS])
    write_delimited(path, schema, catalogue_batches(nt.numpy_rng(rng), n), delimiter=";")
    truth.table("catalogue_produits", COLUMNS).add_rows(n)
    truth.add_file(path, out_dir)
    return truth.build()
