"""Whole-column mention scanning in the workspace: distinct values in bounded batches."""

import duckdb
import pyarrow as pa

from vigie.assess import mentions


def test_scan_table_streams_distinct_values_and_joins_rows_back(monkeypatch):
    monkeypatch.setattr(mentions, "BATCH_ROWS", 2)      # several batches for 3 distinct notes
    con = duckdb.connect()
    cells = ["RAS", "VIH+ sous BIKTARVY", None, "Enceinte 12 SA", "RAS"] * 100
    con.register("notes_src", pa.table({"note": cells}))
    con.execute("CREATE TABLE notes AS SELECT * FROM notes_src")
    table, counts = mentions.scan_table(con, "notes", ["note"])
    rows = dict(con.execute(f"SELECT r, hiv FROM {table}").fetchall())
    assert len(rows) == 200                                # only rows with a mention
    assert sorted(r for r, hiv in rows.items() if hiv) == list(range(1, 500, 5))
    assert counts["note"]["hiv"] == 100 and counts["note"]["pregnancy"] == 100
    assert mentions.scan_table(con, "notes", []) == (None, {})


def test_list_cells_are_scanned_by_their_items_and_flag_their_rows(monkeypatch):
    """A results or exam-list cell mentions what any of its items mentions; items are
    scanned once however many cells share them."""
    from vigie.detect import freetext

    scanned: list[str] = []

    def recording_scan(values):
        scanned.extend(values.to_pylist())
        return scan(values)

    scan = freetext.scan_mentions
    monkeypatch.setattr(freetext, "scan_mentions", recording_scan)
    con = duckdb.connect()
    cells = ["Hb 11,4 g/dL; Ag HBs positif", "Hb 12,9 g/dL; Ag HBs négatif",
             "Hb 13,0 g/dL; CRP 3 mg/L", "NFS|Sérologie VIH", "NFS|CRP", "bêta-HCG 1200 UI/L"]
    con.register("results_src", pa.table({"res": cells}))
    con.execute("CREATE TABLE results AS SELECT * FROM results_src")
    table, counts = mentions.scan_table(con, "results", ["res"])
    flagged = {r: (hep, hiv, preg) for r, hep, hiv, preg in con.execute(
        f"SELECT r, hepatitis, hiv, pregnancy FROM {table}").fetchall()}
    assert flagged == {0: (True, False, False), 1: (True, False, False),
                       3: (False, True, False), 5: (False, False, True)}
    assert counts["res"] == {"hepatitis": 2, "hiv": 1, "pregnancy": 1}
    assert sorted(scanned) == sorted({"Hb 11,4 g/dL", "Hb 12,9 g/dL", "Hb 13,0 g/dL",
                                      "Ag HBs positif", "Ag HBs négatif", "CRP 3 mg/L", "NFS",
                                      "Sérologie VIH", "CRP", "bêta-HCG 1200 UI/L"})
    leftovers = [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables()").fetchall() if name.startswith("results_res")]
    assert not leftovers                    # the segments and flags tables are dropped


def _nir(body: str) -> str:
    return f"{body}{97 - int(body) % 97:02d}"


def test_a_column_kept_none_is_scanned_where_rows_are_persons_not_in_a_catalogue(tmp_path):
    """A reception remark is no health column, yet "enceinte" in it is said about the
    person of its row; a catalogue's "Test de grossesse" is said about nobody."""
    from vigie.assess.engine import assess

    remarks = ["Préfère les rendez-vous du matin", "Parking complet, venir tôt",
               "Accompagnée de sa fille", "Badge à renouveler", "Interphone au 2e étage"]
    lines = ["nom;prenom;date_naissance;nir;remarque_accueil"]
    for i in range(60):
        remark = "Enceinte, prévoir un fauteuil" if i in (3, 17) else remarks[i % len(remarks)]
        lines.append(f"DURAND{chr(65 + i % 26)}{i};Marie;{1 + i % 28:02d}/03/1990;"
                     f"{_nir(f'2900375{100101 + i:06d}')};{remark}")
    patients = tmp_path / "patients.csv"
    patients.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = assess([str(patients)])
    remark = report.tables[0].columns[4]
    assert remark.kind == "none"
    assert remark.mentions == {"pregnancy": 2}
    assert report.exposure["pregnancy"].persons == 2

    products = ["Test de grossesse (boîte de 2)", "Autotest VIH", "Gants nitrile taille M",
                "Tube EDTA 4 mL", "Compresses stériles"]
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text("reference;libelle;prix\n" + "".join(
        f"REF{i:05d};{products[i % 5]};{3 + i % 7},50\n" for i in range(200)), encoding="utf-8")
    report = assess([str(catalogue)])
    assert all(c.kind in ("record_id", "none") for c in report.tables[0].columns)
    assert all(not c.mentions for c in report.tables[0].columns)
    assert report.exposure == {}
