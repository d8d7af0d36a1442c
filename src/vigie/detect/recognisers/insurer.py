"""Health insurers (mutuelles, complémentaires, CPAM / régimes): a short list of the
names French patient files carry, matched on whole words of the normalised value; numeric
AMC codes and other repeated organisation names count under an insurer header.
Hand-written list: no package ships one."""

from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from vigie.detect.base import Recogniser, Signal, percent
from vigie.detect.column_names import HEADER_WORDS
from vigie.refdata.normalise import normalise_name

INSURERS = tuple(normalise_name(n) for n in (
    "MGEN", "Harmonie Mutuelle", "Harmonie", "AG2R", "AG2R La Mondiale", "Malakoff Humanis",
    "Malakoff", "Humanis", "MAAF", "MACIF", "MAIF", "Matmut", "AXA", "Allianz", "Swiss Life",
    "Generali", "Groupama", "April", "Alan", "MNT", "MGEFI", "Mutuelle Générale",
    "La Mutuelle Générale", "Ociane", "Apivia", "Mutualia", "Pro BTP", "Klesia", "Solimut",
    "Intériale", "MNH", "Mutuelle Familiale", "Mutuelle Bleue", "SMI", "Unéo", "Aésio",
    "Eovi", "Adrea", "Apréva", "Mutuelle de France", "MFIF", "Swisslife", "Henner", "Gras Savoye",
    "Viamedis", "Almerys", "Santéclair", "Kalixia", "Itelis", "Carte Blanche", "Macsf",
    "Mutuelle des Motards", "SMACL", "Pacifica", "Crédit Agricole Assurances", "CNP",
    "Covéa", "MMA", "GMF", "Thélem", "Mutuelle Entrain", "MCEN", "MGP", "Mutuelle Ociane",
    "Audiens", "Ircem", "Vivinter", "Mutuelle Saint-Christophe", "CCMO", "Mutuelle Just",
    "Radiance", "Smatis", "Miel Mutuelle", "Cegema", "Néoliane", "Santiane", "Alptis",
    "CPAM", "CNAM", "Assurance Maladie", "MSA", "CNMSS", "RSI", "SSI", "CAMIEG", "CRPCEN",
    "ENIM", "CPRPSNCF", "MNAM", "LMDE", "SMEREP", "Heyme", "CSS", "Complémentaire santé solidaire",
    "CMU", "CMU-C", "ACS", "AME", "Mutuelle", "Caisse primaire"))
_INSURER_RE = re.compile(r"(?:^|\s)(?:" + "|".join(sorted((re.escape(n) for n in INSURERS), key=len, reverse=True)) + r")(?:\s|$)")
_AMC_CODE = re.compile(r"[0-9]{8,10}")
# A few dozen repeated organisation names, not personal values (those are varied).
_ORGANISATION = re.compile(r"[^\W\d_][^\d@|;]{1,60}")


class Insurer(Recogniser):
    kind = "insurer"
    label = "insurer names"
    header_words = HEADER_WORDS["insurer"]
    context_words = ("mutuelle", "complementaire", "assurance", "cpam", "amc")
    pattern = re.compile(r"[^|;]{2,80}")
    confidence = 0.85
    min_ratio = 0.7

    def validate(self, value: str) -> bool:
        return bool(_INSURER_RE.search(normalise_name(value)))

    def normalise(self, value: str) -> str:
        return normalise_name(value)

    def assess(self, values: Sequence[str], header: float) -> Signal:
        if not values:
            return Signal(0.0)
        counts = Counter(values)
        names = sum(n for v, n in counts.items() if self.matches(v))
        codes = named = 0
        if header > 0:      # an insurer header: AMC codes, and other names if few and repeated
            codes = sum(n for v, n in counts.items() if _AMC_CODE.fullmatch(v))
            if len(counts) < 0.5 * len(values):
                named = sum(n for v, n in counts.items()
                            if not self.matches(v) and _ORGANISATION.fullmatch(v))
        ratio = (names + codes + named) / len(values)
        evidence = [f"{percent(names / len(values))} known insurer names"] if names else []
        if codes:
            evidence.append(f"{percent(codes / len(values))} AMC-like codes")
        if named:
            evidence.append(f"{percent(named / len(values))} other organisation names under an insurer header")
        return Signal(ratio, evidence)
