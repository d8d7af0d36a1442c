"""The Splink model for French identities: comparisons, blocking rules and training plan.

Splink (Fellegi-Sunter) does the linkage; this module only declares it. The registry and
the leak are linked in one `link_and_dedupe` job so that rows of the same person inside
the leak are scored against each other too (they are clustered before the one-to-one
resolution). Registry-to-registry pairs are never generated: every blocking rule carries
`LEAK_SIDE`, the registry being a list of distinct patients already.

Exact agreement on a phone or e-mail weighs less when the value is common (Splink's
term-frequency adjustments): a family shares a landline, many people write
"marie1956@...". No weight is set by hand: u comes from random sampling, m from two EM
sessions blocked on different fields (a field used to block a session cannot be estimated
in it), the prior from deterministic rules with an assumed recall.
"""

from __future__ import annotations

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator
from splink.blocking_rule_library import CustomRule
from splink.internals.comparison_level_creator import ComparisonLevelCreator

REGISTRY, LEAK = "registry", "leak"

# Splink input columns derived from the standardised frame (see standardise.py).
MODEL_INPUT_SQL = """
    SELECT unique_id, nir, first_name, last_name,
           coalesce(birth_name, last_name) AS birth_name,
           date_of_birth AS dob, CAST(date_of_birth AS VARCHAR) AS dob_text,
           postcode, substr(postcode, 1, 2) AS dept, phone, email,
           substr(first_name, 1, 3) AS fn3, substr(last_name, 1, 3) AS ln3,
           substr(coalesce(birth_name, last_name), 1, 3) AS bn3
    FROM {table}
"""

LEAK_SIDE = f"(l.source_dataset = '{LEAK}' OR r.source_dataset = '{LEAK}')"

# Candidate pairs. Each rule alone keeps a record findable when other fields are damaged
# or missing: the NIR is absent for half the rows of a typical leak, names carry typos or
# are swapped, a married woman appears under her birth name, dates have typos or swaps.
BLOCKING_RULES = [
    "l.nir = r.nir",
    "l.dob = r.dob AND l.ln3 = r.ln3",
    "l.dob = r.dob AND l.fn3 = r.fn3",
    "l.dob = r.dob AND l.bn3 = r.bn3",                     # birth name vs usage name
    "l.dob = r.dob AND l.fn3 = r.ln3",                     # first and last names swapped,
    "l.dob = r.dob AND l.ln3 = r.fn3",                     # even with a typo in one of them
    "l.dob = r.dob AND l.postcode = r.postcode",           # typos in both names
    "l.fn3 = r.fn3 AND l.ln3 = r.ln3 AND year(l.dob) = year(r.dob)",   # typo/swap in DOB
    "l.fn3 = r.ln3 AND l.ln3 = r.fn3 AND year(l.dob) = year(r.dob)",   # ... and names swapped
    "l.fn3 = r.fn3 AND l.bn3 = r.bn3 AND l.postcode = r.postcode",     # DOB missing
    "l.phone = r.phone",
    "l.email = r.email",
]

# Pairs certain enough to estimate the prior probability that two records match.
DETERMINISTIC_RULES = [
    "l.nir = r.nir AND l.dob = r.dob",
    "l.first_name = r.first_name AND l.last_name = r.last_name AND l.dob = r.dob",
]
DETERMINISTIC_RECALL = 0.7
# Used only when the rules above find no pair at all (a leak with a typo in every surname
# and no NIR): Splink cannot start from a prior of zero. First name, date of birth and
# postcode (or phone and date of birth) are near certain too, and survive surname typos.
DETERMINISTIC_FALLBACK_RULES = [
    "l.first_name = r.first_name AND l.dob = r.dob AND l.postcode = r.postcode",
    "l.phone = r.phone AND l.dob = r.dob",
]

# Two EM sessions, each blocked on the first rule of its list that finds enough pairs in
# these data: the first session estimates names and contact fields, the second the date of
# birth. Pairs sharing a NIR (or a full name and postcode) are nearly all true matches, which
# keeps EM on the match/non-match split instead of a homonym/non-homonym one.
EM_BLOCKING_CHOICES = [
    ["l.dob = r.dob", "l.postcode = r.postcode AND l.fn3 = r.fn3"],
    ["l.nir = r.nir",
     "l.first_name = r.first_name AND l.last_name = r.last_name AND l.postcode = r.postcode",
     "l.fn3 = r.fn3 AND l.ln3 = r.ln3"],
]

_SURNAME_EXACT = ("(last_name_l = last_name_r OR last_name_l = birth_name_r "
                  "OR birth_name_l = last_name_r OR birth_name_l = birth_name_r)")
_SURNAME_JW = ("greatest(jaro_winkler_similarity(last_name_l, last_name_r), "
               "jaro_winkler_similarity(last_name_l, birth_name_r), "
               "jaro_winkler_similarity(birth_name_l, last_name_r))")
_FIRST_JW = "jaro_winkler_similarity(first_name_l, first_name_r)"


def _null(condition: str) -> ComparisonLevelCreator:
    return cll.CustomLevel(condition, "missing").configure(is_null_level=True)


def _names() -> cl.CustomComparison:
    """First name and surname together: swaps and birth/usage names are levels, not misses."""
    return cl.CustomComparison(output_column_name="names", comparison_levels=[
        _null("last_name_l IS NULL OR last_name_r IS NULL"),
        cll.CustomLevel(f"first_name_l = first_name_r AND {_SURNAME_EXACT}", "exact"),
        cll.CustomLevel("(first_name_l = last_name_r OR first_name_l = birth_name_r) "
                        "AND first_name_r = last_name_l", "swapped"),
        cll.CustomLevel(f"first_name_l = first_name_r AND {_SURNAME_JW} >= 0.9",
                        "first exact, surname close"),
        cll.CustomLevel(f"{_FIRST_JW} >= 0.9 AND {_SURNAME_EXACT}", "first close, surname exact"),
        cll.CustomLevel(f"{_FIRST_JW} >= 0.85 AND {_SURNAME_JW} >= 0.85", "both close"),
        cll.CustomLevel("jaro_winkler_similarity(first_name_l, last_name_r) >= 0.9 AND "
                        "jaro_winkler_similarity(last_name_l, first_name_r) >= 0.9",
                        "swapped, close"),
        cll.CustomLevel(_SURNAME_EXACT, "surname exact only"),
        cll.CustomLevel("first_name_l = first_name_r", "first name exact only"),
        cll.ElseLevel(),
    ])


def _date_of_birth() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="dob", comparison_levels=[
        _null("dob_l IS NULL OR dob_r IS NULL"),
        cll.CustomLevel("dob_l = dob_r", "exact"),
        cll.CustomLevel("year(dob_l) = year(dob_r) AND month(dob_l) = day(dob_r) "
                        "AND day(dob_l) = month(dob_r)", "day/month swapped"),
        cll.CustomLevel("damerau_levenshtein(dob_text_l, dob_text_r) <= 1", "one-character typo"),
        cll.CustomLevel("month(dob_l) = month(dob_r) AND day(dob_l) = day(dob_r) AND "
                        "abs(year(dob_l) - year(dob_r)) = 100", "century of a 2-digit year"),
        cll.CustomLevel("abs(date_diff('day', dob_l, dob_r)) <= 366", "within a year"),
        cll.ElseLevel(),
    ])


def _nir() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="nir", comparison_levels=[
        _null("nir_l IS NULL OR nir_r IS NULL"),
        cll.CustomLevel("nir_l = nir_r", "exact"),
        cll.CustomLevel("damerau_levenshtein(nir_l, nir_r) <= 1", "one-digit error"),
        cll.ElseLevel(),
    ])


def _postcode() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="postcode", comparison_levels=[
        _null("postcode_l IS NULL OR postcode_r IS NULL"),
        cll.CustomLevel("postcode_l = postcode_r", "exact"),
        cll.CustomLevel("dept_l = dept_r", "same département"),
        cll.ElseLevel(),
    ])


def _phone() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="phone", comparison_levels=[
        _null("phone_l IS NULL OR phone_r IS NULL"),
        cll.CustomLevel("phone_l = phone_r", "exact").configure(tf_adjustment_column="phone"),
        cll.CustomLevel("damerau_levenshtein(phone_l, phone_r) <= 1", "one-digit error"),
        cll.ElseLevel(),
    ])


def _email() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="email", comparison_levels=[
        _null("email_l IS NULL OR email_r IS NULL"),
        cll.CustomLevel("email_l = email_r", "exact").configure(tf_adjustment_column="email"),
        cll.CustomLevel("split_part(email_l, '@', 1) = split_part(email_r, '@', 1) OR "
                        "jaro_winkler_similarity(email_l, email_r) >= 0.9", "same local part or close"),
        cll.ElseLevel(),
    ])


def settings(blocking_rules: list[str] | None = None) -> SettingsCreator:
    """Splink settings for linking a leak to a registry (SQL in DuckDB's dialect)."""
    rules = BLOCKING_RULES if blocking_rules is None else blocking_rules
    return SettingsCreator(
        link_type="link_and_dedupe",
        unique_id_column_name="unique_id",
        comparisons=[_nir(), _names(), _date_of_birth(), _postcode(), _phone(), _email()],
        # CustomRule: what Splink makes of a plain SQL string, spelled out for its annotation.
        blocking_rules_to_generate_predictions=[CustomRule(f"{rule} AND {LEAK_SIDE}") for rule in rules],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
