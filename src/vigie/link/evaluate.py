"""Precision and recall of a linkage against ground truth (generator output, FEBRL labels).

Counted per leak row: a row is a true positive when it is linked to the registry person it
really belongs to, a false positive when linked to anyone else (or linked while its person
is not in the registry), a false negative when its person is in the registry but the row
was linked to nobody or to someone else.
"""

from __future__ import annotations

import pyarrow as pa


def row_scores(rows: pa.Table, truth: dict[int, str | None]) -> dict[str, float]:
    """Precision/recall of `LinkResult.rows` against {leak_row: true registry id or None}."""
    predicted = dict(zip(rows.column("leak_row").to_pylist(), rows.column("registry_id").to_pylist()))
    tp = fp = fn = 0
    for leak_row, true_id in truth.items():
        got = predicted.get(leak_row)
        if got is not None and got == true_id:
            tp += 1
        else:
            fp += got is not None
            fn += true_id is not None
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(precision, 5), "recall": round(recall, 5),
            "true_positives": tp, "false_positives": fp, "false_negatives": fn}
