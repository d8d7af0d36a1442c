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
