"""One rule for showing customer text: control pictures, bidi controls neutralised."""

import pytest

from reception import cli
from reception.text import BIDI_SHOWN, printable
from screens.triage.common import shown
from screens.widgets.text import literal, visible


def test_control_characters_as_their_pictures():
    assert printable("a\x1b[2Jb\x00c\x07\x7f") == "a␛[2Jb␀c␇␡"
    assert printable("line1\nline2\r\t") == "line1␊line2␍␉"
    assert printable("x\x9by") == "x\ufffdy"  # C1 controls have no picture
    assert printable("a\u2028b") == "a↵b"
    assert printable(None) == "" and printable(42) == "42"


def test_lines_kept_when_asked():
    assert printable("a\nb\tc\x1b", lines=True) == "a\nb\tc␛"


@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                     "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
                                     "\u200f", "\u061c"])
def test_bidi_controls_shown_as_a_symbol_one_for_one(control):
    shown_text = printable(f"a{control}gnp.exe")
    assert shown_text == f"a{BIDI_SHOWN}gnp.exe"
    assert len(shown_text) == len(f"a{control}gnp.exe")


def test_text_kept_as_it_is():
    for text in ("张小明", "مرحبا שלום", "😀👩‍👩‍👧", "e\u0301", "[red]x[/red]"):
        assert printable(text) == text


def test_the_screens_and_the_cli_use_the_same_rule():
    hostile = "王\x1b]0;x\x07\x00\u202eabc"
    expected = "王␛]0;x␇␀⇄abc"
    assert visible(hostile) == expected
    assert literal(hostile).plain == expected
    # The register book and the triage lists (they showed � for every control).
    assert shown(hostile).plain == expected
    assert cli.one_line(hostile) == expected


def test_the_report_prints_customer_names_as_symbols(db, db_address, team, capsys):
    from reception import triage

    with db.write() as session:
        triage.triage_new_customer(session, name="王\x1b[2J\u202e芳", phone="13800001111",
                                   by=team.receptionist.id)
    db.close()
    cli.main(["report", "--db", db_address, "--date", "2026-11-22"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "王␛[2J⇄芳" in out
