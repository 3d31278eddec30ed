"""Customer text is shown literally: markup stays text, control characters become visible."""

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from screens.widgets.text import literal, visible


def test_escape_sequences_become_visible_symbols():
    assert visible("a\x1b[2Jb\x07\x00\x7f\x9b") == "a␛[2Jb␇␀␡�"
    assert str(literal("[red]x[/red]")) == "[red]x[/red]"


@given(st.text())
def test_nothing_left_that_a_terminal_would_act_on(value):
    shown = visible(value)
    assert len(shown) == len(value)
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in shown)
    assert cell_len(shown) >= 0
