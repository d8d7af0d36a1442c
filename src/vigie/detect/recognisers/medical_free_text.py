"""Medical free text: clinical notes, comments, reports ("Patient vu en consultation, DT2
sous metformine", "Sérologie VIH négative, contrôle dans 3 mois").

A cell is valid when it is wordy (several words) and uses clinical vocabulary or discloses a
mention. The registry's free-text route makes the final call for text columns (it also
flags the column for the full scan), so this recogniser's confidence stays below the
registry's STRUCTURED_OVER_TEXT: it ranks the kind among runners-up and gives
`recogniser_for("medical_free_text")` a validator, never a structured verdict."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from vigie.detect.column_names import FREE_TEXT_WORDS
from vigie.detect.freetext import row_bits
from vigie.detect.recognisers._medical import MaskRecogniser, word_counts

MIN_WORDS = 4


class MedicalFreeText(MaskRecogniser):
    kind = "medical_free_text"
    label = "clinical notes"
    evidence = "cells of clinical writing"
    header_words = FREE_TEXT_WORDS
    context_words = ()
    confidence = 0.55
    min_ratio = 0.5
    header_min_ratio = 0.3

    @staticmethod
    def valid_mask(values: Sequence[str]) -> np.ndarray:
        wordy = word_counts(values) >= MIN_WORDS
        return wordy & (row_bits(list(values)) != 0)
