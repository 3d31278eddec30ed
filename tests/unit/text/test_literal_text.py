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


async def test_every_widget_shows_escape_sequences_as_symbols(db):
    """The app's safety net: whatever a widget draws (Text, Text.append, Content, an
    Input's value, a table cell), no ESC or NUL reaches the terminal."""
    from rich.text import Text
    from textual.app import App
    from textual.content import Content
    from textual.widgets import DataTable, Input, Static

    from screens.widgets.text import ShowsControlCharacters
    from tests.helpers.pilot import screen_lines

    hostile = "a\x1b[2Jb\x1b]0;x\x07c\x00"

    class Probe(ShowsControlCharacters, App):
        CSS = "Static, Input, DataTable { height: auto; }"

        def compose(self):
            appended = Text("x")
            appended.append(hostile)
            yield Static(Text(hostile), id="text")
            yield Static(appended, id="appended")
            yield Static(Content(hostile), id="content")
            yield Input(value=hostile, id="input")
            yield DataTable(id="table")

        def on_mount(self):
            table = self.query_one(DataTable)
            table.add_columns("c")
            table.add_row(Text(hostile))

    app = Probe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        shown = "\n".join(lines)
        assert "\x1b" not in shown and "\x00" not in shown and "\x07" not in shown
        for widget_id in ("text", "appended", "content", "table"):
            region = app.query_one(f"#{widget_id}").region
            drawn = "".join(lines[y] for y in range(region.y, region.bottom))
            assert "␛[2J" in drawn, widget_id
        assert all(len(line) == 80 for line in lines)
