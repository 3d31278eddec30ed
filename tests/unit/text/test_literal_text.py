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
    """The app's safety net: Text, Text.append and Content never pass ESC to the terminal."""
    from rich.text import Text
    from textual.app import App
    from textual.content import Content
    from textual.widgets import DataTable, Input, Static

    from screens.widgets.text import show_control_characters

    show_control_characters()
    hostile = "a\x1b[2Jb\x1b]0;x\x07c\x00"

    class Probe(App):
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
        for widget_id in ("text", "appended", "content", "input", "table"):
            widget = app.query_one(f"#{widget_id}")
            rendered = "".join(
                segment.text for y in range(widget.size.height)
                for segment in widget.render_line(y))
            assert "\x1b" not in rendered and "\x00" not in rendered, widget_id
            assert "␛[2J" in rendered or widget_id == "input", widget_id
