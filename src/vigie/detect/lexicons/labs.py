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
    # what a patient books or a request form names: the act rather than the analyte
    "prise de sang", "prises de sang", "prélèvement sanguin", "bilan sanguin",
    "bilan biologique", "analyse de sang", "analyses de sang",
    "examen sanguin", "analyse d urine", "analyses d urine", "analyse d urines",
    "analyses d urines", "analyse des urines", "analyse urinaire",
    "examen d urine", "examen cytobactériologique des urines", "recueil d urines",
    "test pcr", "pcr", "test covid", "dépistage covid",
    "prélèvement nasopharyngé", "écouvillonnage", "sérologie", "sérologies",
    "bilan thyroïdien", "bilan martial", "bilan rénal", "bilan de coagulation",
    "bilan inflammatoire", "spermogramme", "glycémie",
    # analytes as a results table names them, one per row
    "potassium", "sodium", "chlore", "calcium", "magnésium", "phosphore", "glucose",
    "hématies", "globules rouges", "globules blancs", "vgm", "tcmh", "ccmh",
    "polynucléaires neutrophiles", "lymphocytes", "monocytes", "éosinophiles",
    "cholestérol hdl", "cholestérol ldl", "débit de filtration glomérulaire", "aslo",
    # the same in English (exports of international software)
    "hemoglobin", "haemoglobin", "platelets", "white blood cells", "red blood cells",
    "fasting glucose", "cholesterol", "urea", "hiv serology", "viral load",
)

# Units a French lab report writes after a value (folded, lower case), and the qualitative
# results. A lab-result cell is a number followed by one of these units, or one of the words.
RESULT_UNITS: tuple[str, ...] = (
    "g/dl", "g/l", "mg/l", "mg/dl", "mmol/l", "µmol/l", "umol/l", "nmol/l", "pmol/l",
    "ui/l", "u/l", "mui/l", "mui/ml", "ui/ml", "µui/ml", "ng/ml", "ng/l", "µg/l", "ug/l",
    "pg/ml", "g/l", "t/l", "giga/l", "/mm3", "/µl", "fl", "pg", "%", "sec", "s",
    "ml/min", "ml/min/1,73m2", "ml/min/1,73 m2", "copies/ml", "log", "cp/ml", "mm", "mm/h",
    "ml/min/1,73m²", "ml/min/1.73m2", "ml/min/1.73 m2", "mmol/mol", "meq/l", "mosm/kg",
    "ku/l", "kui/l", "u/ml", "µg/dl", "ug/dl", "µg/ml", "ug/ml", "ng/dl", "mg/24h", "g/24h",
    "mmol/24h", "mg/mmol", "mg/g", "10^9/l", "10^12/l", "10*9/l", "10e9/l", "g/100ml",
    "log copies/ml", "log ui/ml", "kpa", "/ml", "/champ", "éléments/ml", "elements/ml",
    "ufc/ml", "germes/ml",
)
QUALITATIVE_RESULTS: tuple[str, ...] = (
    "positif", "positive", "négatif", "négative", "negatif", "negative", "indétectable",
    "indetectable", "détectable", "detectable", "normal", "normale", "anormal", "anormale",
    "douteux", "douteuse", "présence", "absence", "pos", "neg", "nég",
    "immunisé", "immunisée", "non immunisé", "non immunisée", "réactif", "non réactif",
    "positifs", "positives", "négatifs", "négatives", "immune", "non immune", "immunisés",
    "immunisées", "non détecté", "non détectée", "non détectés", "non détectées",
)
# Words that say a cell is a result even beside the analyte it answers ("Toxo immunisée",
# "Ag HBs négatif", "IgG positives", "ARN VIH non détecté"), folded (no accents, lower
# case). Not "réactif" (a reagent in a catalogue), "normal" or "absence" (any sentence).
RESULT_WORDS: tuple[str, ...] = (
    "positif", "positifs", "positive", "positives", "negatif", "negatifs", "negative",
    "negatives", "immun", "immune", "immunes", "immunise", "immunisee", "immunises",
    "immunisees", "indetectable", "indetectables", "detectable", "detectables", "detecte",
    "detectee", "detectes", "detectees", "sterile", "steriles",
)
# A cell naming an analyte and its result stays short; a longer one is a note.
MAX_RESULT_WORDS = 8

# A measured number: decimals with a comma or a dot, a power of ten ("10^5 UFC/mL").
_NUMBER = r"[<>≤≥]?\s*\d+(?:[.,]\d+)?(?:\^\d+)?"
# A value alone, as a results column beside its exam holds it: "13,2", "<0,5", "≥ 90",
# "1 840" (thousands apart), "-2,1".
# The same regex for Python's re and DuckDB's RE2 (fullmatch): literal no-break spaces.
BARE_NUMBER_REGEX = ("\\s*[-+]?[<>≤≥]?\\s*(?:[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)"
                     "(?:[.,][0-9]+)?\\s*")
BARE_NUMBER = re.compile(BARE_NUMBER_REGEX)
_UNIT = "|".join(sorted((re.escape(u) for u in RESULT_UNITS), key=len, reverse=True))
_WORD = "|".join(sorted((re.escape(w) for w in QUALITATIVE_RESULTS), key=len, reverse=True))
# One measured value with its unit ("13,2 g/dL", "< 20 copies/mL") anywhere in a cell.
VALUE_WITH_UNIT = re.compile(rf"{_NUMBER}\s*(?:{_UNIT})(?![a-z])", re.IGNORECASE)
# A cell that is only a qualitative result ("Négatif", "positive").
QUALITATIVE_CELL = re.compile(rf"\s*(?:{_WORD})\s*", re.IGNORECASE)
# A result word as a whole word of a folded cell; its SQL twin over lower case with the
# accents kept (strip_accents over every cell of a column costs more than the check
# itself): the only accented letter of RESULT_WORDS is é.
RESULT_WORD = re.compile(r"\b(?:" + "|".join(RESULT_WORDS) + r")\b")
RESULT_WORD_SQL = ("(^|[^a-z0-9éèêàùç])(" + "|".join(w.replace("e", "[eé]") for w in RESULT_WORDS)
                   + ")([^a-z0-9éèêàùç]|$)")
# A measurement inside a cell (lower case, Python re and RE2 alike): a decimal number, a
# number with a unit, or a number ending the cell ("Hb 13,2 g/dL", "TP 80 %", "CD4 450").
MEASUREMENT_REGEX = (r"[0-9]+[.,][0-9]+|[0-9]+(?:\^[0-9]+)?\s*(?:" + _UNIT + r")(?:[^a-z]|$)"
                     r"|\s[<>≤≥]?[0-9]+\s*$")
MEASUREMENT = re.compile(MEASUREMENT_REGEX)
