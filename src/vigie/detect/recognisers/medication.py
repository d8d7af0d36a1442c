"""Medications: a cell naming a drug, brand or DCI, usually with a dosage ("BIKTARVY 1 cp/j",
"metformine 1000 mg", "Doliprane 1g si douleur"). Valid when a short cell contains a drug
name of the lexicon (`vigie.detect.lexicons.drugs`: edsnlp/Romedi names + HIV and hepatitis
antivirals). The free-text scanner reads which condition a drug discloses (BIKTARVY -> hiv)."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from vigie.detect.column_names import HEADER_WORDS
from vigie.detect.freetext import row_bits
from vigie.detect.lexicons import MENTION_BIT
from vigie.detect.recognisers._medical import ONE_LINE_CELL, MaskRecogniser, word_counts

MAX_PRESCRIPTION_WORDS = 15   # longer cells are notes, the free-text scanner's job
_MEDICATION = np.uint16(MENTION_BIT["medication"])


class Medication(MaskRecogniser):
    kind = "medication"
    label = "drug names"
    evidence = "values naming a known drug"
    header_words = HEADER_WORDS["medication"]
    context_words = ("traitement", "sous", "ttt", "prescrit", "ordonnance", "posologie")
    pattern = ONE_LINE_CELL
    confidence = 0.9
    min_ratio = 0.6
    header_min_ratio = 0.4
    # No SQL twin: a 9,000-name list inside a DuckDB expression took minutes per million
    # rows. Full columns are counted by `vigie.assess.mentions.scan_table`, whose
    # `medication` flag is this validator vectorised (seconds per million rows).
    sql_valid = None

    @staticmethod
    def valid_mask(values: Sequence[str]) -> np.ndarray:
        short = word_counts(values) <= MAX_PRESCRIPTION_WORDS
        return short & ((row_bits(list(values)) & _MEDICATION) != 0)
