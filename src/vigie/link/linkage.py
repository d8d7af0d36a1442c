"""Link a standardised leak to a standardised registry: who exactly, of our patients, is in it.

Pipeline (all in one DuckDB connection, spilling to a temporary folder):
1. load both standardised frames and derive the model's inputs (model.MODEL_INPUT_SQL);
2. train the Splink model on these data (prior from deterministic rules, u by random
   sampling, m by EM) — every leak gets its own parameters, nothing is hand-set;
3. score candidate pairs above the low end of the review band;
4. one-to-one resolution with Splink's single-best-links clustering: rows of one person in
   the leak cluster together, and a cluster holds at most one registry person;
5. summarise per affected registry person, and list borderline pairs for a human.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import splink
from splink import DuckDBAPI, Linker

from vigie.errors import UsageError
from vigie.link import model
from vigie.link.standardise import STANDARD_COLUMNS, as_reader

DEFAULT_THRESHOLD = 0.9
DEFAULT_REVIEW_BAND = (0.5, 0.9)
BUDGET_PAIRS_PER_LEAK_ROW = 200
METHOD = (f"Splink {splink.__version__} Fellegi-Sunter on DuckDB (u by random sampling, "
          "m by EM); leak rows clustered, one-to-one single best links")


@dataclass
class LinkResult:
    """What the linkage found. Tables hold personal data (ids, leak row numbers): keep them
    out of logs; `review` is already masked.

    affected:  registry_id, match_probability, leak_rows (leak row ids: 1-based data row numbers
               unless the leak had an id column; list), exposed_kinds (list), grp
    rows:      leak_row (number, NULL for non-numeric ids), leak_id, leak_person (cluster id),
               registry_id (NULL when unmatched), match_probability
    review:    leak_row, registry_id, match_probability, then leak_<field> / registry_<field> masked
    best:      leak_id, registry_id, match_probability: each leak row's most probable registry
               person among the scored pairs (at or above the review band's low end), linked
               or not (vigie.trace keeps canaries far from every real patient with it)
    """

    affected: pa.Table
    rows: pa.Table
    review: pa.Table
    matched_persons: int
    unmatched_leak_persons: int
    leak_persons: int
    threshold: float
    review_band: tuple[float, float]
    method: str = METHOD
    by_group: dict[str, int] | None = None
    candidate_pairs: int = 0            # scored pairs at or above the review band's low end
    blocked_pairs: int = 0              # pairs the blocking rules generate (estimated when large)
    dropped_rules: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    best: pa.Table | None = None

    def registry_section(self) -> dict:
        """The `registry` object of assessment.json."""
        out = {"matched_persons": self.matched_persons,
               "unmatched_leak_persons": self.unmatched_leak_persons,
               "leak_persons": self.leak_persons,
               "threshold": self.threshold,
               "review_band": list(self.review_band),
               "review_pairs": self.review.num_rows,
               "method": self.method}
        if self.dropped_rules:
            out["dropped_blocking_rules"] = list(self.dropped_rules)
        if self.by_group is not None:
            out["by_group"] = dict(self.by_group)
        return out


def _connect(work_dir: str, memory_limit: str | None, threads: int | None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.sql(f"SET temp_directory = '{work_dir}'")
    con.sql("SET preserve_insertion_order = false")
    if memory_limit:
        con.sql(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.sql(f"SET threads = {int(threads)}")
    return con


def _load(con: duckdb.DuckDBPyConnection, data, name: str, label: str) -> None:
    """Stream a standardised frame into `name`, refusing one that lacks the standard columns."""
    reader = as_reader(data)
    missing = [c for c in STANDARD_COLUMNS if c not in reader.schema.names]
    if missing:
        raise UsageError(f"the {label} is not standardised: missing {', '.join(missing)}")
    con.register("__vigie_load", reader)
    try:
        columns = ", ".join(STANDARD_COLUMNS)
        con.sql(f"CREATE TABLE {name} AS SELECT {columns} FROM __vigie_load "
                    "WHERE unique_id IS NOT NULL")
    finally:
        con.unregister("__vigie_load")


def _em_rules(con: duckdb.DuckDBPyConnection, n_leak: int) -> list[str]:
    """For each EM session, the first candidate rule linking enough registry-leak pairs."""
    wanted = max(50, n_leak // 100)
    chosen = []
    for candidates in model.EM_BLOCKING_CHOICES:
        for rule in candidates:
            pairs = con.sql(f"SELECT count(*) FROM (SELECT 1 FROM model_registry l "
                            f"JOIN model_leak r ON {rule} LIMIT {wanted})").fetchall()[0][0]
            if pairs >= wanted:
                chosen.append(rule)
                break
    return chosen


def _prior_rules(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The deterministic rules for the prior, else the fallback ones, whichever first finds
    a pair; [] when neither does (no near-certain pair: nobody is linked)."""
    for rules in (model.DETERMINISTIC_RULES, model.DETERMINISTIC_FALLBACK_RULES):
        for rule in rules:
            if con.sql(f"SELECT 1 FROM model_registry l JOIN model_leak r ON {rule} "
                       "LIMIT 1").fetchall():
                return rules
    return []


def _train(linker: Linker, prior_rules: list[str], em_rules: list[str], registry_rows: int,
           leak_rows: int) -> None:
    train = linker.training
    train.estimate_probability_two_random_records_match(
        list(prior_rules), recall=model.DETERMINISTIC_RECALL)
    # 1e6 random pairs suffice below ~100k records; Splink's docs advise 1e7+ for a final
    # model, 5e6 keeps large runs within minutes on two cores.
    max_pairs = 1e6 if registry_rows + leak_rows < 100_000 else 5e6
    train.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=7)
    for rule in em_rules:
        train.estimate_parameters_using_expectation_maximisation(rule, max_pairs=2e6)


def _budgeted_linker(inputs: list, n_leak: int) -> tuple[Linker, int, list[str]]:
    """A linker whose blocking rules stay within the pair budget on these data.

    A leak can carry a placeholder repeated on thousands of rows (one phone, one e-mail
    for everybody) that would turn its rule into a near cartesian product: such a rule is
    dropped and named in the result. Counts come from Splink's blocking analysis, on a
    sample for large inputs.
    """
    linker = Linker(inputs, model.settings(), log_level=logging.ERROR)
    proportion = 1.0 if n_leak <= 100_000 else 0.1
    counts = linker.blocking_analysis.count_comparisons_from_blocking_rules(
        record_sample_proportion=proportion)
    budget = BUDGET_PAIRS_PER_LEAK_ROW * n_leak
    kept = [rule for rule, count in zip(model.BLOCKING_RULES, counts)
            if count["marginal_comparison_count"] <= budget]
    dropped = [rule for rule in model.BLOCKING_RULES if rule not in kept]
    pairs = sum(count["marginal_comparison_count"] for count in counts
                if count["marginal_comparison_count"] <= budget)
    if dropped:
        linker = Linker(inputs, model.settings(kept), log_level=logging.ERROR)
    return linker, pairs, dropped


def link_leak_to_registry(leak, registry, *, threshold: float = DEFAULT_THRESHOLD,
                          review_band: tuple[float, float] = DEFAULT_REVIEW_BAND,
                          memory_limit: str | None = None, threads: int | None = None,
                          mask=None) -> LinkResult:
    """Link standardised leak rows to a standardised registry (see standardise.standardise).

    `threshold`: a leak person is linked to a registry person when their match probability
    is at least this. Pairs with probability in `review_band` [low, high) whose leak row was
    not linked go to the review table, masked with `mask(kind, value)` (vigie.mask.mask by
    default). The registry's `grp` column, when filled, gives `by_group` counts.
    """
    low, high = review_band
    if not (0 < low <= high <= 1 and 0 < threshold <= 1):
        raise UsageError("threshold and review band must be probabilities with low <= high")
    if mask is None:
        from vigie.mask import mask
    timings: dict[str, float] = {}
    started = time.perf_counter()
    work_dir = tempfile.mkdtemp(prefix="vigie-link-")
    con = _connect(work_dir, memory_limit, threads)
    try:
        _load(con, registry, "std_registry", "registry")
        _load(con, leak, "std_leak", "leak")
        duplicated = con.sql("SELECT count(*) - count(DISTINCT unique_id) FROM std_registry").fetchall()[0][0]
        if duplicated:
            raise UsageError(f"the registry id column is not unique ({duplicated} repeated ids)")
        for side in ("registry", "leak"):
            con.sql(f"CREATE TABLE model_{side} AS " + model.MODEL_INPUT_SQL.format(table=f"std_{side}"))
        n_registry = con.sql("SELECT count(*) FROM model_registry").fetchall()[0][0]
        n_leak = con.sql("SELECT count(*) FROM model_leak").fetchall()[0][0]
        timings["load_s"] = time.perf_counter() - started
        dropped: list[str] = []
        blocked_pairs = 0
        prior_rules = _prior_rules(con) if n_registry and n_leak else []
        if prior_rules:
            blocked_pairs, dropped = _link(con, n_registry, n_leak, prior_rules, threshold,
                                           low, timings)
        else:   # nothing to link: every leak row is its own unmatched person
            con.sql("CREATE TABLE pairs (unique_id_l VARCHAR, unique_id_r VARCHAR, "
                    "source_dataset_l VARCHAR, source_dataset_r VARCHAR, match_probability DOUBLE)")
            con.sql(f"CREATE TABLE clusters AS SELECT unique_id AS cluster_id, "
                    f"'{model.LEAK}' AS source_dataset, unique_id FROM std_leak")
        step = time.perf_counter()
        result = _summarise(con, threshold, (low, high), mask)
        result.blocked_pairs, result.dropped_rules = blocked_pairs, dropped
        timings["summarise_s"] = time.perf_counter() - step
        timings["total_s"] = time.perf_counter() - started
        result.timings = {k: round(v, 2) for k, v in timings.items()}
        return result
    finally:
        con.close()
        shutil.rmtree(work_dir, ignore_errors=True)


def _link(con: duckdb.DuckDBPyConnection, n_registry: int, n_leak: int,
          prior_rules: list[str], threshold: float,
          low: float, timings: dict[str, float]) -> tuple[int, list[str]]:
    """Train, predict and resolve one to one; leaves tables `pairs` and `clusters` in con."""
    db_api = DuckDBAPI(connection=con)
    inputs = [db_api.register("model_registry", dataset_display_name=model.REGISTRY),
              db_api.register("model_leak", dataset_display_name=model.LEAK)]
    step = time.perf_counter()
    linker, blocked_pairs, dropped = _budgeted_linker(inputs, n_leak)
    timings["blocking_analysis_s"] = time.perf_counter() - step
    step = time.perf_counter()
    _train(linker, prior_rules, _em_rules(con, n_leak), n_registry, n_leak)
    timings["train_s"] = time.perf_counter() - step
    step = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=low)
    timings["predict_s"] = time.perf_counter() - step
    step = time.perf_counter()
    clusters = linker.clustering.cluster_using_single_best_links(
        predictions, duplicate_free_datasets=[model.REGISTRY], threshold_match_probability=threshold)
    timings["cluster_s"] = time.perf_counter() - step
    con.sql(f"CREATE TABLE pairs AS SELECT * FROM {predictions.physical_name}")
    con.sql("CREATE TABLE clusters AS SELECT cluster_id, source_dataset, unique_id "
            f"FROM {clusters.physical_name}")
    return blocked_pairs, dropped


_SUMMARY_SQL = f"""
CREATE TABLE cross_pairs AS
    SELECT CASE WHEN source_dataset_l = '{model.REGISTRY}' THEN unique_id_l ELSE unique_id_r END AS registry_id,
           CASE WHEN source_dataset_l = '{model.LEAK}' THEN unique_id_l ELSE unique_id_r END AS leak_id,
           match_probability
    FROM pairs WHERE source_dataset_l <> source_dataset_r;
CREATE TABLE person_of AS
    SELECT l.unique_id AS leak_id, l.cluster_id AS leak_person, r.unique_id AS registry_id
    FROM clusters l
    LEFT JOIN clusters r ON r.cluster_id = l.cluster_id AND r.source_dataset = '{model.REGISTRY}'
    WHERE l.source_dataset = '{model.LEAK}';
CREATE TABLE leak_rows AS
    SELECT TRY_CAST(p.leak_id AS BIGINT) AS leak_row, p.leak_id, p.leak_person, p.registry_id,
           c.match_probability
    FROM person_of p
    LEFT JOIN cross_pairs c ON c.leak_id = p.leak_id AND c.registry_id = p.registry_id;
"""


def _summarise(con: duckdb.DuckDBPyConnection, threshold: float, band: tuple[float, float],
               mask) -> LinkResult:
    con.execute(_SUMMARY_SQL)
    affected = con.sql("""
        SELECT r.registry_id,
               round(max(r.match_probability), 6) AS match_probability,
               list(r.leak_id ORDER BY r.leak_row NULLS LAST, r.leak_id) AS leak_rows,
               list_sort(list_distinct(flatten(list(s.exposed_kinds)))) AS exposed_kinds,
               any_value(g.grp) AS grp
        FROM leak_rows r
        JOIN std_leak s ON s.unique_id = r.leak_id
        JOIN std_registry g ON g.unique_id = r.registry_id
        WHERE r.registry_id IS NOT NULL
        GROUP BY r.registry_id ORDER BY r.registry_id
    """).to_arrow_table()
    rows = con.sql("SELECT leak_row, leak_id, leak_person, registry_id, match_probability "
                   "FROM leak_rows ORDER BY leak_row, leak_id").to_arrow_table()
    leak_persons, unmatched = con.execute(
        "SELECT count(DISTINCT leak_person), count(DISTINCT leak_person) FILTER (registry_id IS NULL) "
        "FROM leak_rows").fetchall()[0]
    by_group = None
    if con.sql("SELECT count(*) FROM std_registry WHERE grp IS NOT NULL").fetchall()[0][0]:
        by_group = {g if g is not None else "": n for g, n in con.execute(
            "SELECT grp, count(*) FROM (SELECT registry_id FROM leak_rows WHERE registry_id IS NOT NULL "
            "GROUP BY registry_id) a JOIN std_registry g ON g.unique_id = a.registry_id "
            "GROUP BY grp ORDER BY grp").fetchall()}
    review = _review(con, band, mask)
    best = con.sql("SELECT leak_id, arg_max(registry_id, match_probability) AS registry_id, "
                   "max(match_probability) AS match_probability FROM cross_pairs "
                   "GROUP BY leak_id ORDER BY leak_id").to_arrow_table()
    return LinkResult(affected=affected, rows=rows, review=review, best=best,
                      matched_persons=affected.num_rows, unmatched_leak_persons=unmatched,
                      leak_persons=leak_persons, threshold=threshold, review_band=band,
                      by_group=by_group,
                      candidate_pairs=con.sql("SELECT count(*) FROM pairs").fetchall()[0][0])


REVIEW_FIELDS = ("nir", "last_name", "birth_name", "first_name", "date_of_birth", "postcode",
                 "phone", "email")


def _review(con: duckdb.DuckDBPyConnection, band: tuple[float, float], mask) -> pa.Table:
    """Borderline pairs whose leak row found no registry person, fields side by side, masked."""
    low, high = band
    fields = ", ".join(f"CAST(l.{f} AS VARCHAR) AS leak_{f}, CAST(g.{f} AS VARCHAR) AS registry_{f}"
                       for f in REVIEW_FIELDS)
    raw = con.sql(f"""
        SELECT c.leak_id AS leak_row, c.registry_id,
               round(c.match_probability, 6) AS match_probability, {fields}
        FROM cross_pairs c
        JOIN person_of p ON p.leak_id = c.leak_id
        JOIN std_leak l ON l.unique_id = c.leak_id
        JOIN std_registry g ON g.unique_id = c.registry_id
        WHERE p.registry_id IS NULL AND c.match_probability >= {low} AND c.match_probability < {high}
        ORDER BY c.match_probability DESC, TRY_CAST(c.leak_id AS BIGINT), c.leak_id
    """).to_arrow_table()
    columns = {name: raw.column(name) for name in ("leak_row", "registry_id", "match_probability")}
    for f in REVIEW_FIELDS:
        for side in ("leak", "registry"):
            values = raw.column(f"{side}_{f}").to_pylist()
            columns[f"{side}_{f}"] = pa.array([mask(f, v) if v is not None else None for v in values],
                                              pa.string())
    return pa.table(columns)

