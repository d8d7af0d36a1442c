"""How French care staff write the health findings of `vigie.kinds.MENTIONS` (hand-written).

No package ships this: edsnlp's disorder pipes are phenotyping tools that deliberately drop
plain "sérologie VIH" (research note detection-anchors.md §2.7, §6.9), and a leak discloses
a test whatever its polarity. So the vocabulary below is written out here, from the
abbreviations of French clinical practice (SA = semaines d'aménorrhée, G2P1 = gestité/parité,
DT2 = diabète de type 2, K = cancer, TS = tentative de suicide, Ag HBs, β-HCG...).

Syntax of a term: words as staff write them; accents, case, hyphens and apostrophes do not
matter (terms and text go through the same `vigie.detect.lexicons.tokens`). A word `#`
stands for any number ("12 SA" is `# sa`). Ambiguous short abbreviations ("K", "TS", "SA")
appear only inside such multi-word terms, never alone: "K 4,2 mmol/L" is potassium, "Ksar"
is a place and "PSA" a prostate test. Drug names come from the drug lexicon
(`vigie.detect.lexicons.drugs`), CIM-10 codes from `vigie.detect.lexicons.cim10`.
"""

from __future__ import annotations

# Organs after "K" / "cancer du": "K sein", "K du col", "néo prostate".
_ORGANS = ("sein", "prostate", "colon", "poumon", "pulmonaire", "rein", "vessie", "ovaire",
           "uterus", "col", "foie", "pancreas", "estomac", "thyroide", "orl", "rectum",
           "colorectal", "mammaire", "ovarien", "gastrique", "oesophage", "larynx", "cerveau",
           "testicule", "peau", "endometre", "pulm", "bronchique", "hepatique", "vesical")


def _after(prefixes: tuple[str, ...], words: tuple[str, ...]) -> tuple[str, ...]:
    """Every "prefix word" and "prefix du/de la word" combination."""
    links = ("", "du ", "de la ", "de l ", "des ")
    return tuple(f"{p} {link}{w}" for p in prefixes for link in links for w in words)


MENTION_TERMS: dict[str, tuple[str, ...]] = {
    "hiv": (
        "vih", "hiv", "vih1", "vih2", "hiv1", "hiv2", "sida", "aids",
        "séropositif", "séropositive", "séropositifs", "séropositives", "séropositivité",
        "séropo", "séropos",
        "trithérapie", "bithérapie antirétrovirale", "antirétroviral", "antirétroviraux",
        "antirétrovirale", "arv", "charge virale", "cv indétectable", "cd4", "lymphocytes cd4",
        "lymphocytes t cd4", "prep", "prophylaxie pré-exposition", "tpe vih", "ag p24",
        "western blot", "immunodéficience humaine", "vivant avec le vih", "pvvih",
    ),
    "pregnancy": (
        "enceinte", "grossesse", "grossesses", "# sa", "semaines d aménorrhée",
        "semaines aménorrhée", "aménorrhée", "b hcg", "beta hcg", "bhcg", "betahcg", "hcg",
        "test de grossesse", "terme prévu", "ddr", "date des dernières règles",
        "ivg", "itg", "interruption volontaire de grossesse", "accouchement", "accouchée",
        "accouchements", "post partum", "postpartum", "parturiente", "gestante",
        "primigeste", "multigeste", "primipare", "multipare", "fausse couche",
        "fausse couche spontanée", "fcs", "geu", "grossesse extra utérine", "césarienne",
        "prénatal", "prénatale", "anténatal", "échographie obstétricale", "écho obstétricale",
        "écho t1", "écho t2", "écho t3", "écho de datation", "suivi de grossesse",
        "suivi grossesse", "sage femme", "maternité", "obstétrical", "obstétricale",
        "nuchale", "clarté nucale", "clarte nuchale", "dpni", "trisomie 21 dépistage",
        "gestationnel", "gestationnelle", "allaitement", "allaite", "sérologie toxoplasmose",
        "sérologie toxo", "sérologie rubéole", "hgpo",
    ),
    "hepatitis": (
        "hépatite", "hépatites", "hépatite b", "hépatite c", "hépatite a", "vhb", "vhc", "vha",
        "vhd", "hbv", "hcv", "ag hbs", "aghbs", "hbsag", "ag hbe", "anti hbc", "anti hbs",
        "ac anti hbc", "ac anti hbs", "anti vhc", "ac anti vhc", "arn vhc", "adn vhb",
        "sérologie vhc", "sérologie vhb", "sérologie hépatite", "hépatopathie virale",
        "charge virale vhc", "charge virale vhb", "cv vhc", "cv vhb",
    ),
    "diabetes": (
        "diabète", "diabètes", "diabétique", "diabétiques", "diabétologue", "diabétologie",
        "dt1", "dt2", "dnid", "diabète de type 1", "diabète de type 2",
        "insuline", "insulines", "insulinothérapie", "insulinodépendant", "insulino requérant",
        "hba1c", "hb a1c", "hémoglobine glyquée", "hémoglobine glycosylée", "glycémie capillaire",
        "rétinopathie diabétique", "pied diabétique", "antidiabétique", "antidiabétiques",
        "diabète gestationnel", "microalbuminurie",
    ),
    "cancer": (
        "cancer", "cancers", "cancéreux", "cancéreuse", "cancérologie", "cancérologue",
        "tumeur", "tumeurs", "tumoral", "tumorale", "néoplasie", "néoplasique", "néoplasme",
        "carcinome", "adénocarcinome", "carcinomateux", "métastase", "métastases",
        "métastatique", "chimiothérapie", "chimio", "radiothérapie", "radiothérapies",
        "curiethérapie", "hormonothérapie adjuvante", "lymphome", "leucémie", "myélome",
        "sarcome", "mélanome", "glioblastome", "gliome", "oncologie", "oncologue",
        "oncologique", "onco", "rcp onco", "ca 125", "ca 15 3", "ca 19 9", "ace", "mastectomie", "tumorectomie", "hodgkin", "lmc",
        "llc",
    ) + _after(("k", "cancer", "néo", "tumeur", "adk", "ca"), _ORGANS),
    "mental_health": (
        "dépression", "dépressif", "dépressive", "syndrome dépressif", "épisode dépressif",
        "anxio dépressif", "anxio dépressive", "psychiatrie", "psychiatrique", "psychiatre",
        "pédopsychiatre", "pédopsychiatrie", "psy", "suivi psy", "psychologue",
        "psychothérapie", "psychotique", "psychose", "schizophrénie", "schizophrène",
        "bipolaire", "bipolarité", "trouble bipolaire", "anxiété", "trouble anxieux",
        "attaques de panique", "tentative de suicide", "tentatives de suicide", "suicide",
        "suicidaire", "idées suicidaires", "idées noires", "atcd ts", "atcd de ts",
        "antécédent de ts", "antécédents de ts", "ts médicamenteuse", "ts par", "ts x2",
        "antidépresseur", "antidépresseurs", "neuroleptique", "neuroleptiques", "anxiolytique",
        "anxiolytiques", "thymorégulateur", "antipsychotique", "hospitalisation psychiatrique",
        "hdt", "sdre", "soins sous contrainte", "anorexie mentale", "boulimie", "toc", "trouble obsessionnel", "burn out", "burnout", "stress post traumatique",
        "tspt", "ptsd", "tdah", "borderline", "trouble de la personnalité", "lithémie",
    ),
    "sti": (
        "ist", "mst", "syphilis", "tpha", "vdrl", "chlamydia", "chlamydiae", "gonocoque",
        "gonococcie", "gonorrhée", "blennorragie", "herpès génital", "hpv", "papillomavirus",
        "condylome", "condylomes", "trichomonas", "lymphogranulomatose vénérienne",
        "infection sexuellement transmissible", "dépistage ist",
    ),
    "addiction": (
        "alcoolisme", "alcoolique", "éthylisme", "éthylique", "éthylo tabagique",
        "alcoolo dépendance", "alcoolodépendance", "dépendance à l alcool", "toxicomanie",
        "toxicomane", "addiction", "addictions", "addictologie", "addictologue",
        "sevrage alcoolique", "méthadone", "subutex", "buprénorphine",
        "cannabis", "cocaïne", "héroïne", "crack", "opiacés", "csapa", "caarud", "udiv",
        "usage de drogues", "chemsex", "udi", "ancien udi", "ancien toxicomane", "trt substitution", "traitement de substitution",
    ),
    "medication": (
        "avk", "aod", "anticoagulant", "anticoagulants", "antibiotique", "antibiotiques",
        "antibiothérapie", "antalgique", "antalgiques", "corticoïdes", "corticothérapie",
        "insuline", "pompe à insuline", "anti inflammatoire", "ains", "antiviral",
        "antirétroviral", "antirétroviraux", "antihypertenseur", "insulinotraité",
        "insulinotraitée",
    ),
    "disability": (
        "handicap", "handicapé", "handicapée", "mdph", "aah", "invalidité", "paraplégique",
        "tétraplégique", "hémiplégique", "fauteuil roulant", "trisomie 21", "autisme",
        "autiste", "déficience intellectuelle", "déficience visuelle", "malvoyant",
        "malentendant", "non voyant", "sourd", "surdité", "cécité", "polyhandicap",
    ),
}

# Single-token shapes that a word list cannot enumerate, as regexes over one folded token
# (fullmatch): "12sa", "38sa" (weeks of amenorrhoea glued to the number), "g2p1", "g3p2".
TOKEN_PATTERNS: dict[str, tuple[str, ...]] = {
    "pregnancy": (r"[0-9]{1,2}sa", r"g[0-9]{1,2}p[0-9]{1,2}", r"[0-9]{1,2}sa[0-9]{1,2}j?"),
}

# Vocabulary of clinical writing that is not a finding in itself: a free-text column whose
# cells use it is a medical free text even when most cells disclose nothing sensitive
# ("Patient vu en consultation, RAS").
CLINICAL_TERMS: tuple[str, ...] = (
    "patient", "patiente", "consultation", "bilan", "traitement", "trt", "ttt", "ordonnance",
    "posologie", "antécédent", "antécédents", "atcd", "atcds", "symptôme", "symptômes",
    "douleur", "douleurs", "fièvre", "ras", "prélèvement", "hospitalisation", "hospitalisé",
    "hospitalisée", "urgences", "médecin", "docteur", "infirmier", "infirmière", "diagnostic",
    "pathologie", "allergie", "allergique", "vaccin", "vaccination", "comprimé", "comprimés",
    "cp j", "mg j", "injection", "sérologie", "bilan sanguin", "biologie", "irm",
    "échographie", "chirurgie", "opéré", "opérée", "cardiologue", "kiné", "infection",
    "inflammatoire", "aigu", "aiguë", "glycémie", "cholestérol", "hta", "asthme", "angine",
    "grippe", "covid", "toux", "nausées", "vertiges", "asthénie", "maladie", "état général",
    "examen clinique", "tension artérielle", "fc", "bpm", "apyrétique", "fébrile",
)
