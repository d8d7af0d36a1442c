"""French medical-lab exams and result notations (hand-written, small).

No French lab terminology is installable offline (NABM and LOINC-FR are absent from PyPI, npm
and Debian: research note reference-data.md §2 gap 4), so the exams a French lab report or
prescription names are listed here, with the abbreviations staff use (NFS, iono, EAL, GAJ,
β-HCG...). Exam names are matched as folded token sequences (`vigie.detect.lexicons.normal`).
Which exams disclose a MENTION (sérologie VIH -> hiv) is said in `mentions.py`, not here.
"""

from __future__ import annotations

import re

LAB_EXAMS: tuple[str, ...] = (
    # haematology, coagulation
    "nfs", "numération formule sanguine", "hémogramme", "nfs plaquettes", "plaquettes",
    "hémoglobine", "hb", "hématocrite", "leucocytes", "vs", "vitesse de sédimentation",
    "réticulocytes", "frottis sanguin", "tp", "inr", "tca", "fibrinogène", "d dimères",
    "ddimères", "groupe sanguin", "groupage", "rai", "rhésus", "phénotype rhésus",
    # biochemistry
    "ionogramme", "iono", "ionogramme sanguin", "natrémie", "kaliémie", "chlorémie",
    "calcémie", "magnésémie", "phosphorémie", "créatinine", "créatininémie", "urée",
    "dfg", "clairance", "clairance de la créatinine", "crp", "protéine c réactive",
    "procalcitonine", "pct", "glycémie", "glycémie à jeun", "gaj", "hgpo", "hba1c",
    "hémoglobine glyquée", "bilan lipidique", "eal", "exploration d une anomalie lipidique",
    "cholestérol", "cholestérol total", "hdl", "ldl", "ldl cholestérol", "triglycérides",
    "asat", "alat", "sgot", "sgpt", "transaminases", "ggt", "gamma gt", "pal",
    "phosphatases alcalines", "bilirubine", "bilirubine totale", "bilan hépatique",
    "albumine", "protidémie", "électrophorèse des protéines", "ferritine", "fer sérique",
    "coefficient de saturation", "cst", "transferrine", "vitamine d", "25 oh vitamine d",
    "vitamine b12", "b12", "folates", "acide urique", "uricémie", "lipase", "amylase",
    "cpk", "ldh", "troponine", "bnp", "nt probnp", "lactates", "gazométrie",
    "gaz du sang", "psa", "psa total", "psa libre", "ace", "ca 125", "ca 15 3", "ca 19 9",
    "afp", "alpha foetoprotéine",
    # hormones
    "tsh", "tshus", "t3", "t4", "t4l", "t3l", "fsh", "lh", "oestradiol", "estradiol",
    "progestérone", "prolactine", "testostérone", "cortisol", "amh", "b hcg", "beta hcg",
    "bhcg", "hcg", "test de grossesse",
    # infectious serology and microbiology
    "sérologie vih", "sérologie hiv", "vih", "charge virale", "charge virale vih",
    "cd4", "lymphocytes cd4", "ag hbs", "aghbs", "anti hbc", "anti hbs", "ac anti hbs",
    "ac anti hbc", "sérologie vhc", "anti vhc", "sérologie vhb", "arn vhc", "adn vhb",
    "sérologie hépatite b", "sérologie hépatite c", "sérologie toxoplasmose", "toxoplasmose",
    "sérologie rubéole", "rubéole", "sérologie syphilis", "tpha", "vdrl", "sérologie cmv",
    "sérologie ebv", "sérologie hsv", "chlamydia", "pcr chlamydia", "gonocoque",
    "pcr covid", "rt pcr", "test antigénique", "ecbu", "hémoculture", "hémocultures",
    "coproculture", "prélèvement vaginal", "frottis", "frottis cervico utérin", "fcu",
    "test hpv", "quantiferon", "idr",
    # urine
    "bandelette urinaire", "bu", "protéinurie", "microalbuminurie", "créatininurie",
)

# Units a French lab report writes after a value (folded, lower case), and the qualitative
# results. A lab-result cell is a number followed by one of these units, or one of the words.
RESULT_UNITS: tuple[str, ...] = (
    "g/dl", "g/l", "mg/l", "mg/dl", "mmol/l", "µmol/l", "umol/l", "nmol/l", "pmol/l",
    "ui/l", "u/l", "mui/l", "mui/ml", "ui/ml", "µui/ml", "ng/ml", "ng/l", "µg/l", "ug/l",
    "pg/ml", "g/l", "t/l", "giga/l", "/mm3", "/µl", "fl", "pg", "%", "sec", "s",
    "ml/min", "ml/min/1,73m2", "ml/min/1,73 m2", "copies/ml", "log", "cp/ml", "mm", "mm/h",
)
QUALITATIVE_RESULTS: tuple[str, ...] = (
    "positif", "positive", "négatif", "négative", "negatif", "negative", "indétectable",
    "indetectable", "détectable", "detectable", "normal", "normale", "anormal", "anormale",
    "douteux", "douteuse", "présence", "absence", "pos", "neg", "nég",
    "immunisé", "immunisée", "non immunisé", "non immunisée", "réactif", "non réactif",
)

_NUMBER = r"[<>≤≥]?\s*\d+(?:[.,]\d+)?"
_UNIT = "|".join(sorted((re.escape(u) for u in RESULT_UNITS), key=len, reverse=True))
_WORD = "|".join(sorted((re.escape(w) for w in QUALITATIVE_RESULTS), key=len, reverse=True))
# One measured value with its unit ("13,2 g/dL", "< 20 copies/mL") anywhere in a cell.
VALUE_WITH_UNIT = re.compile(rf"{_NUMBER}\s*(?:{_UNIT})(?![a-z])", re.IGNORECASE)
# A cell that is only a qualitative result ("Négatif", "positive").
QUALITATIVE_CELL = re.compile(rf"\s*(?:{_WORD})\s*", re.IGNORECASE)
