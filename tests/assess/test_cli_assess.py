"""`vigie assess` as a user runs it: exit codes, reports written, escaping, no raw values."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from vigie.report.json import validation_errors

VIGIE = str(Path(sys.executable).with_name("vigie"))
HOSTILE = "<script>alert(1)</script>"
SURNAMES = ["BERTHELOT", "CHAMPOLLION", "DESCHAMPS", "FONTAINEBLEAU", "GUILLEMINOT"]
FIRST_NAMES = ["Apolline", "Baptistin", "Clothilde", "Evariste", "Honorine"]


def nir(rng: random.Random) -> str:
    body = f"{rng.choice('12')}{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}" \
           f"{rng.randint(1, 95):02d}{rng.randint(1, 990):03d}{rng.randint(1, 999):03d}"
    return body + f"{97 - int(body) % 97:02d}"


@pytest.fixture(scope="module")
def leak(tmp_path_factory) -> tuple[Path, list[str]]:
    """A small synthetic ';' export with a hostile header; returns it and its raw values."""
    rng = random.Random(5)
    folder = tmp_path_factory.mktemp("cli-assess")
    raw: list[str] = []
    lines = [f"NOM;PRENOM;DDN;NSS;MAIL;{HOSTILE};COMMENTAIRE"]
    for i in range(400):
        last, first = rng.choice(SURNAMES), rng.choice(FIRST_NAMES)
        number = nir(rng)
        mail = f"{first.lower()}.{last.lower()}{i}@exemple-mail.fr"
        raw += [number, mail]
        note = rng.choice(["Sérologie VIH négative, contrôle dans {} mois",
                           "Patiente enceinte de {} SA, bilan prénatal",
                           "Bilan lipidique normal, revoir dans {} semaines"]).format(rng.randint(2, 30))
        note += rng.choice(["", " selon le Dr traitant", ", prélèvement à jeun", ", patient informé"])
        lines.append(f"{last};{first};{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/"
                     f"{rng.randint(1940, 2005)};{number};{mail};{rng.randint(1, 9)};{note}")
    path = folder / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, raw + SURNAMES + FIRST_NAMES


def vigie(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, VIGIE_HOME=str(home))
    return subprocess.run([VIGIE, *args], capture_output=True, text=True, env=env, timeout=300)


def test_assess_writes_every_format_escapes_and_leaks_nothing(leak, tmp_path):
    path, raw = leak
    done = vigie("assess", str(path), "--out", str(tmp_path / "out"), home=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "out" / "assessment.json").read_text("utf-8"))
    assert validation_errors(report) == []
    assert report["tables"][0]["rows"] == 400
    kinds = {c["name"]: c["kind"] for c in report["tables"][0]["columns"]}
    assert kinds["NSS"] == "nir" and kinds["MAIL"] == "email"
    assert report["exposure"]["nir"]["persons"] == 400
    assert report["exposure"]["hiv"]["persons"] > 50
    assert report["severity"]["level"] == "very high"
    html = (tmp_path / "out" / "assessment.html").read_text("utf-8")
    markdown = (tmp_path / "out" / "assessment.md").read_text("utf-8")
    assert HOSTILE not in html and "&lt;script&gt;" in html
    assert HOSTILE not in markdown
    assert "distinct persons" in done.stdout and "very high" in done.stdout
    for text in (done.stdout, done.stderr, html, markdown, json.dumps(report, ensure_ascii=False)):
        leaked = [value for value in raw if value in text]
        assert leaked == []


def test_only_the_requested_formats_are_written(leak, tmp_path):
    path, _ = leak
    done = vigie("assess", str(path), "--out", str(tmp_path), "--format", "md",
                 "--recipients", "known", "--accidental", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.glob("assessment.*")) == ["assessment.md"]
    text = (tmp_path / "assessment.md").read_text("utf-8")
    assert "known recipients" in text and "assumed" not in text


def test_bad_usage_exits_2(leak, tmp_path):
    path, _ = leak
    assert vigie("assess", str(path), "--format", "pdf", home=tmp_path).returncode == 2
    assert vigie("assess", str(path), "--recipients", "all", home=tmp_path).returncode == 2
    assert vigie("assess", home=tmp_path).returncode == 2


def test_unreadable_input_exits_1_naming_the_file(tmp_path):
    missing = tmp_path / "absent.csv"
    done = vigie("assess", str(missing), "--out", str(tmp_path), home=tmp_path)
    assert done.returncode == 1
    assert "absent.csv" in done.stderr and "Traceback" not in done.stderr
