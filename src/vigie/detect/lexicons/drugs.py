"""French drug names (brands and DCI) and which health finding a drug discloses.

Base list: `data/drugs.json`, ATC code -> French names, extracted from edsnlp 0.23.0
(BSD-3-Clause, AP-HP; built from the Romedi terminology) by
scripts/extract_medical_lexicons.py. Names that are also ordinary French words or lab
analytes ("FER", "GLUCOSE", "potassium") are listed in `data/drug_common_words.txt` and never
count as a drug. ATC class labels ("antiacides avec bicarbonate de sodium") are not names.

A drug is a `medication` mention; some also disclose a condition, by ATC class (WHO ATC
index): A10 antidiabetics -> diabetes; L01/L02 antineoplastics and endocrine cancer therapy ->
cancer; N05A antipsychotics, N06A antidepressants, N05AN lithium -> mental_health; N07B
drugs of addictive disorders -> addiction; J05AP hepatitis C antivirals -> hepatitis. HIV
antiretrovirals are hand-listed (below) rather than taken from J05A, which mixes them with
herpes, influenza and hepatitis B/C antivirals, and because the edsnlp list predates
several products marketed in France (GENVOYA, ODEFSEY, DESCOVY, SYMTUZA...).
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from vigie.detect.lexicons.normal import fold

# HIV antiretrovirals (ATC J05AE protease inhibitors, J05AF nucleos(t)ides, J05AG NNRTIs,
# J05AR combinations, J05AX integrase/entry/capsid inhibitors), brands marketed in France
# and DCI. TRUVADA / DESCOVY / APRETUDE are also PrEP: they still disclose an HIV context.
HIV_ANTIRETROVIRALS: tuple[str, ...] = (
    "BIKTARVY", "GENVOYA", "STRIBILD", "TRIUMEQ", "DOVATO", "JULUCA", "ODEFSEY", "EVIPLERA",
    "ATRIPLA", "TRUVADA", "DESCOVY", "DELSTRIGO", "SYMTUZA", "REZOLSTA", "EVOTAZ", "KIVEXA",
    "COMBIVIR", "TRIZIVIR", "KALETRA", "ISENTRESS", "TIVICAY", "VOCABRIA", "REKAMBYS",
    "APRETUDE", "SUNLENCA", "RUKOBIA", "PREZISTA", "REYATAZ", "NORVIR", "TELZIR",
    "INVIRASE", "CRIXIVAN", "APTIVUS", "VIRACEPT", "RETROVIR", "VIDEX", "ZERIT", "EPIVIR",
    "ZIAGEN", "EMTRIVA", "VIRAMUNE", "SUSTIVA", "INTELENCE", "EDURANT", "PIFELTRO",
    "FUZEON", "CELSENTRI", "TYBOST",
    "bictégravir", "dolutégravir", "raltégravir", "elvitégravir", "cabotégravir",
    "lénacapavir", "fostemsavir", "ibalizumab", "maraviroc", "enfuvirtide", "darunavir",
    "atazanavir", "lopinavir", "ritonavir", "cobicistat", "fosamprénavir", "saquinavir",
    "indinavir", "tipranavir", "nelfinavir", "zidovudine", "azt", "abacavir",
    "emtricitabine", "ténofovir alafénamide",
    "didanosine", "stavudine", "névirapine", "éfavirenz", "étravirine", "rilpivirine",
    "doravirine",
)
# Hepatitis B and C antivirals not under J05AP in the base list.
HEPATITIS_ANTIVIRALS: tuple[str, ...] = (
    "BARACLUDE", "entécavir", "HEPSERA", "adéfovir", "SEBIVO", "telbivudine", "VEMLIDY",
    "ZEFFIX", "HEPCLUDEX", "bulévirtide", "SOVALDI", "sofosbuvir", "HARVONI", "lédipasvir",
    "EPCLUSA", "velpatasvir", "VOSEVI", "MAVIRET", "glécaprévir", "ZEPATIER", "elbasvir",
    "DAKLINZA", "daclatasvir", "OLYSIO", "PEGASYS", "COPEGUS", "REBETOL", "ribavirine",
    # tenofovir disoproxil alone is nowadays a hepatitis B treatment (in HIV it comes in
    # combinations such as TRUVADA, listed above)
    "VIREAD", "ténofovir disoproxil",
)
# Antidiabetics marketed after the base list was built (ATC A10).
NEWER_ANTIDIABETICS: tuple[str, ...] = (
    "OZEMPIC", "sémaglutide", "RYBELSUS", "TRULICITY", "dulaglutide", "MOUNJARO",
    "tirzépatide", "JARDIANCE", "empagliflozine", "FORXIGA", "dapagliflozine", "XULTOPHY",
)
# ATC prefix -> the mention a drug of that class discloses (besides `medication`).
ATC_MENTIONS: tuple[tuple[str, str], ...] = (
    ("A10", "diabetes"), ("L01", "cancer"), ("L02", "cancer"), ("N05A", "mental_health"),
    ("N06A", "mental_health"), ("N07B", "addiction"), ("J05AP", "hepatitis"),
)
# Shortest single-word name kept (shorter brands such as "ERY" or "DIO" collide with text).
MIN_NAME_LENGTH = 4


def _data(name: str):
    return files("vigie.detect.lexicons").joinpath("data", name)


@cache
def common_words() -> frozenset[str]:
    """Folded drug names that are ordinary words or lab analytes (never a drug mention)."""
    return frozenset(_data("drug_common_words.txt").read_text("utf-8").split())


def _is_name(atc: str, name: str) -> bool:
    """A brand, or a substance (DCI) at the 7-character ATC level; not a class label."""
    return name != name.lower() or len(atc) == 7


@cache
def drug_mentions() -> dict[str, frozenset[str]]:
    """Folded drug name -> the mentions it discloses ({"medication"} at least).

    Multi-word names are kept up to four words (longer ones are spelled-out combinations
    whose components are listed on their own).
    """
    table: dict[str, set[str]] = {}
    excluded = common_words()

    def add(name: str, *mentions: str) -> None:
        key = " ".join(fold(name).replace("-", " ").split())
        if key in excluded or len(key.split()) > 4:
            return
        if " " not in key and len(key) < MIN_NAME_LENGTH:
            return
        table.setdefault(key, {"medication"}).update(mentions)

    raw = json.loads(_data("drugs.json").read_text("utf-8"))
    for atc, names in raw.items():
        implied = [m for prefix, m in ATC_MENTIONS if atc.startswith(prefix)]
        for name in names:
            if _is_name(atc, name) and "," not in name:
                add(name, *implied)
    for name in HIV_ANTIRETROVIRALS:
        add(name, "hiv")
    for name in HEPATITIS_ANTIVIRALS:
        add(name, "hepatitis")
    for name in NEWER_ANTIDIABETICS:
        add(name, "diabetes")
    return {name: frozenset(mentions) for name, mentions in table.items()}
