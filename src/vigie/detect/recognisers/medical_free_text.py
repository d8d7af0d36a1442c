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

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import FREE_TEXT_WORDS
from vigie.detect.freetext import row_bits

MIN_WORDS = 4


class MedicalFreeText(Recogniser):
    kind = "medical_free_text"
    label = "clinical notes"
    header_words = FREE_TEXT_WORDS
    context_words = ()
    confidence = 0.55
    min_ratio = 0.5
    header_min_ratio = 0.3

    def validate(self, value: str) -> bool:
        return bool(self._valid_mask([value])[0])

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        ratio = float(self._valid_mask(values).mean())
        return Signal(ratio, [f"{percent(ratio)} cells of clinical writing"] if ratio else [])

    @staticmethod
    def _valid_mask(values: Sequence[str]) -> np.ndarray:
        wordy = np.array([len(v.split()) >= MIN_WORDS for v in values], dtype=bool)
        return wordy & (row_bits(list(values)) != 0)
