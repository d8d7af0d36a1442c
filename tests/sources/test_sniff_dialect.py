"""Delimiter, title-line and header decisions on small samples."""

from __future__ import annotations

from vigie.sources.sniff import looks_like_header, sniff_dialect


def test_header_votes():
    assert looks_like_header([["Q1", "Q2"], ["12", "3"], ["4", "5"]])
    assert looks_like_header([["NOM", "MAIL"], ["DUPONT", "d@x.fr"], ["MARTIN", "m@x.fr"]])
    assert not looks_like_header([["DUPONT", "0612345678"], ["MARTIN", "0712345678"]])
    assert not looks_like_header([["d@x.fr", "DUPONT"], ["m@x.fr", "MARTIN"]])
    assert not looks_like_header([["DUPONT", "JEAN"], ["MARTIN", "ZOE"], ["DUPONT", "LEA"]])
    assert looks_like_header([["nom", "prenom"], ["DUPONT", "JEAN"], ["MARTIN", "ZOE"]])


def test_dialect_of_tab_pipe_and_title_lines():
    tab = sniff_dialect("a\tb\tc\n1\t2\t3\n", complete=True)
    assert (tab.delimiter, tab.header, tab.columns) == ("\t", True, ["a", "b", "c"])
    pipe = sniff_dialect("X|12|2024-01-01\nY|13|2024-01-02\n", complete=True)
    assert (pipe.delimiter, pipe.header) == ("|", False)
    titled = sniff_dialect("Extraction du 01/02/2024\r\n\r\nnom;ddn;cp\r\nA;01/01/1990;75001\r\n",
                           complete=True)
    assert (titled.skip_lines, titled.header, titled.columns) == (2, True, ["nom", "ddn", "cp"])


def test_incomplete_sample_drops_its_last_partial_record():
    sample = "nom;cp\n" + "DUPONT;75001\n" * 10 + 'MARTIN;"750'
    dialect = sniff_dialect(sample, complete=False)
    assert dialect.columns == ["nom", "cp"]


def test_title_padded_with_delimiters_is_skipped_but_a_sparse_data_row_is_not():
    rows = "".join(f"NOM{i};JEAN;0{i % 9 + 1}/01/1980;1800175{i:03d}00123\r\n" for i in range(20))
    padded = sniff_dialect("Export du 12/03/2024;;;\r\nNom;Prénom;DDN;NSS\r\n" + rows,
                           complete=True)
    assert (padded.skip_lines, padded.header, padded.columns) == (
        1, True, ["Nom", "Prénom", "DDN", "NSS"])
    # Headerless data whose first record has one filled field: nothing may be skipped.
    sparse = sniff_dialect("DUPONT;;;\r\n" + rows, complete=True)
    assert sparse.skip_lines == 0
