"""Presidio vs Vigie on the same 10,000 French free-text cells: cells/s and recall.

Cells: clinical notes of the synthetic population (`vigie.synth.population`, ground truth in
`note_mentions`), 40 % of them followed by identifiers of the same fictitious patient (NIR,
phone, email, "né(e) le" date, "Patient Prénom NOM") whose values are the ground truth.

Presidio runs in its own virtualenv (presidio-analyzer 2.2.366, blank French spaCy pipeline:
no model can be downloaded here, so its figures are an upper bound on speed), created by this
script under the bench output folder, and gets the same knowledge as Vigie to be fair: a
French NIR recogniser with the key check, FR-only phone recogniser, email, a "né le" date and
a titled-name pattern, and one deny-list recogniser per mention holding Vigie's vocabulary.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

N_CELLS = 10_000
PRESIDIO = "presidio-analyzer==2.2.366"
IDENTIFIER_KINDS = ("nir", "phone", "email", "date_of_birth", "name")

PRESIDIO_RUNNER = r'''
import json, re, sys, time
from presidio_analyzer import AnalyzerEngine, PatternRecognizer, Pattern, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import PhoneRecognizer, EmailRecognizer
import spacy

class BlankFrench(SpacyNlpEngine):
    def __init__(self):
        super().__init__(models=[{"lang_code": "fr", "model_name": "blank"}])
    def load(self):
        self.nlp = {"fr": spacy.blank("fr")}

class FrNir(PatternRecognizer):
    def __init__(self):
        super().__init__(supported_entity="FR_NIR", supported_language="fr", patterns=[Pattern(
            "nir", r"\b[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3}(?: ?\d{2})?\b", 0.5)])
    def validate_result(self, text):
        n = re.sub(r"\s", "", text).upper()
        if len(n) == 13:
            return True
        if len(n) != 15:
            return False
        body = int(n[:13].replace("2A", "19").replace("2B", "18"))
        return 97 - body % 97 == int(n[13:])

payload = json.load(open(sys.argv[1]))
registry = RecognizerRegistry(supported_languages=["fr"])
registry.add_recognizer(FrNir())
registry.add_recognizer(PhoneRecognizer(supported_language="fr", supported_regions=("FR",)))
registry.add_recognizer(EmailRecognizer(supported_language="fr"))
registry.add_recognizer(PatternRecognizer(supported_entity="DATE_OF_BIRTH", supported_language="fr",
    patterns=[Pattern("dob", r"(?i)(?:n[ée]e? le|ddn\s*:?)\s*\d{1,2}/\d{1,2}/\d{4}", 0.6)]))
registry.add_recognizer(PatternRecognizer(supported_entity="NAME", supported_language="fr",
    patterns=[Pattern("titled", r"\b(?:Patiente?|M\.|Mme|Dr)\s+[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?", 0.5)]))
for mention, terms in payload["deny_lists"].items():
    registry.add_recognizer(PatternRecognizer(supported_entity="MENTION_" + mention.upper(),
                                              supported_language="fr", deny_list=terms))
analyzer = AnalyzerEngine(registry=registry, nlp_engine=BlankFrench(), supported_languages=["fr"])
analyzer.analyze("warm up", language="fr")
started, cpu = time.perf_counter(), time.process_time()
results = [sorted({r.entity_type for r in analyzer.analyze(c, language="fr")}) for c in payload["cells"]]
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
json.dump({"elapsed_s": elapsed, "cpu_s": cpu, "entities": results}, open(sys.argv[2], "w"))
'''


def build_cells(n: int = N_CELLS, seed: int = 11) -> tuple[list[str], list[set[str]], list[set[str]]]:
    """Cells, per-cell mention truth, per-cell identifier-kind truth."""
    from vigie.synth.population import generate_population

    population = generate_population(max(2000, n // 2), seed=seed)
    visits = population.visits.filter(population.visits.column("note").is_valid())
    patients = {p["patient_id"]: p for p in population.patients.to_pylist()}
    rng = np.random.default_rng(seed)
    cells, mentions, identifiers = [], [], []
    rows = visits.select(["patient_id", "note", "note_mentions"]).to_pylist()
    for i in range(n):
        row = rows[i % len(rows)]
        text, truth_ids = row["note"], set()
        if rng.random() < 0.4:
            p = patients[row["patient_id"]]
            extra = []
            for kind in IDENTIFIER_KINDS:
                if rng.random() < 0.5:
                    continue
                if kind == "nir":
                    extra.append(f"NSS {p['nir']}")
                elif kind == "phone":
                    extra.append("tél " + " ".join(p["phone"][j:j + 2] for j in range(0, 10, 2)))
                elif kind == "email" and p["email"]:
                    extra.append(f"mail {p['email']}")
                elif kind == "date_of_birth":
                    extra.append(f"né{'e' if p['sex'] == 'F' else ''} le "
                                 f"{p['date_of_birth'].strftime('%d/%m/%Y')}")
                elif kind == "name":
                    extra.append(f"Patient {p['first_name']} {p['last_name'].upper()}")
                else:
                    continue
                truth_ids.add(kind)
            text = text + " " + ", ".join(extra) if extra else text
        cells.append(text)
        mentions.append(set(row["note_mentions"]))
        identifiers.append(truth_ids)
    return cells, mentions, identifiers


def run_vigie(cells: list[str]) -> tuple[tuple[float, float], list[set[str]], list[set[str]]]:
    """(wall, CPU) seconds of the median of three timed runs (the machine may be shared),
    reference data loaded once beforehand, as in any long run (Presidio's engine is also
    built before its timing)."""
    from vigie.detect.freetext import scan_identifiers_column, scan_mentions
    scan_mentions(["warm up"])
    scan_identifiers_column(["Patient Jean MARTIN, né le 01/02/1980, 06 12 34 56 78"])
    timings = []
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        flags = scan_mentions(cells)
        findings = scan_identifiers_column(cells)
        timings.append((time.perf_counter() - started, time.process_time() - cpu))
    found = [{m for m, col in flags.items() if col[i].as_py()} for i in range(len(cells))]
    ids = [{("name" if f.kind in ("full_name", "last_name") else f.kind) for f in cell}
           for cell in findings]
    return sorted(timings)[1], found, ids


def vigie_mentions_at_scale(cells: list[str], rows: int = 1_000_000) -> dict:
    """Mention scan alone over a million cells (the 10,000 repeated): the full-column path
    `vigie assess` takes. CPU seconds alongside wall time, since the machine may be shared."""
    import pyarrow as pa
    from vigie.detect.freetext import mention_counts
    column = pa.array((cells * (rows // len(cells) + 1))[:rows])
    wall, cpu = time.perf_counter(), time.process_time()
    mention_counts(column)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"cells": rows, "megabytes": round(column.nbytes / 1e6),
            "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "cells_per_s": round(rows / wall)}


def deny_lists() -> dict[str, list[str]]:
    """Vigie's own vocabulary per mention, accented and folded spellings, for Presidio."""
    from vigie.detect.lexicons import MENTION_BIT, mention_lexicon
    from vigie.detect.lexicons.mentions import MENTION_TERMS
    lists: dict[str, set[str]] = {m: set(t for t in terms if "#" not in t)
                                  for m, terms in MENTION_TERMS.items()}
    for table in mention_lexicon().ngrams.values():
        for key, bits in table.items():
            for mention, bit in MENTION_BIT.items():
                if bits & bit and "#" not in key:
                    lists.setdefault(mention, set()).add(key)
    return {m: sorted(terms) for m, terms in lists.items() if terms}


def presidio_venv(out_dir: Path) -> Path:
    venv = out_dir.parent / "presidio-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import presidio_analyzer, spacy"],
                           capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", PRESIDIO], check=True)
    return python


def run_presidio(out_dir: Path, cells: list[str]
                 ) -> tuple[tuple[float, float], list[set[str]], list[set[str]]]:
    python = presidio_venv(out_dir)
    payload, result, runner = (out_dir / "presidio-in.json", out_dir / "presidio-out.json",
                               out_dir / "presidio_runner.py")
    payload.write_text(json.dumps({"cells": cells, "deny_lists": deny_lists()}), "utf-8")
    runner.write_text(PRESIDIO_RUNNER, "utf-8")
    subprocess.run([str(python), str(runner), str(payload), str(result)], check=True)
    data = json.loads(result.read_text("utf-8"))
    kinds = {"FR_NIR": "nir", "PHONE_NUMBER": "phone", "EMAIL_ADDRESS": "email",
             "DATE_OF_BIRTH": "date_of_birth", "NAME": "name"}
    mentions = [{e[len("MENTION_"):].lower() for e in ents if e.startswith("MENTION_")}
                for ents in data["entities"]]
    ids = [{kinds[e] for e in ents if e in kinds} for ents in data["entities"]]
    payload.unlink()                       # synthetic, but no reason to keep it around
    return (data["elapsed_s"], data["cpu_s"]), mentions, ids


def recall(found: list[set[str]], truth: list[set[str]], label: str) -> float | None:
    total = sum(1 for t in truth if label in t)
    hits = sum(1 for f, t in zip(found, truth) if label in t and label in f)
    return round(hits / total, 4) if total else None


def main(out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    cells, mention_truth, id_truth = build_cells()
    (vigie_s, vigie_cpu), vigie_mentions, vigie_ids = run_vigie(cells)
    (presidio_s, presidio_cpu), presidio_mentions, presidio_ids = run_presidio(out_dir, cells)
    labels = sorted({m for t in mention_truth for m in t})
    figures = {
        "cells": len(cells),
        "vigie_cells_per_s": round(len(cells) / vigie_s),
        "presidio_cells_per_s": round(len(cells) / presidio_s),
        "speedup": round(presidio_s / vigie_s, 1),
        # CPU seconds are steadier than wall time on a shared machine (Vigie's threads
        # count double here: a conservative ratio).
        "speedup_cpu": round(presidio_cpu / vigie_cpu, 1),
        "goal_speedup": 50,
        "recall_vigie": {m: recall(vigie_mentions, mention_truth, m) for m in labels}
        | {k: recall(vigie_ids, id_truth, k) for k in IDENTIFIER_KINDS},
        "recall_presidio": {m: recall(presidio_mentions, mention_truth, m) for m in labels}
        | {k: recall(presidio_ids, id_truth, k) for k in IDENTIFIER_KINDS},
        "presidio": PRESIDIO + " (blank French spaCy pipeline, deny lists = Vigie's vocabulary)",
        "vigie_mentions_1m": vigie_mentions_at_scale(cells),
    }
    (out_dir / "figures.json").write_text(json.dumps(figures, indent=2), "utf-8")
    return figures


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1] if len(sys.argv) > 1 else "bench-out/bench_freetext")),
                     indent=2))
