"""The one-line result list under a search box: what it draws, where the highlight is."""

from rich.cells import cell_len
from rich.text import Text
from textual.app import App
from textual.widgets import Input

from screens.widgets.results import ResultList


class ListApp(App):
    CSS = "#results { height: 4; }"

    def __init__(self) -> None:
        super().__init__()
        self.picked: list[int] = []

    def compose(self):
        yield Input(id="box")
        yield ResultList(id="results")

    def on_result_list_picked(self, event: ResultList.Picked) -> None:
        self.picked.append(event.index)


def lines(results: ResultList) -> list[str]:
    return [results.render_line(y).text for y in range(results.size.height)]


async def test_rows_are_drawn_one_per_line_cut_to_the_width_and_literal():
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show([Text("[red]王芳[/]  139****5678"), Text("\x1b]0;owned\x07 x" * 20),
                      Text("陈美丽")])
        await pilot.pause()
        shown = lines(results)
        assert shown[0].rstrip() == " [red]王芳[/]  139****5678"
        assert "\x1b" not in shown[1] and "\x07" not in shown[1]
        assert shown[1].startswith(" ␛]0;owned")
        assert shown[1].endswith("…")
        assert shown[2].rstrip() == " 陈美丽"
        assert shown[3].strip() == ""
        assert all(cell_len(line) == 40 for line in shown)
        assert results.highlighted == 0


async def test_the_highlight_moves_within_the_rows_and_stays_in_view():
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show([Text(f"row {number}") for number in range(10)])
        results.highlighted = 8
        await pilot.pause()
        assert [line.strip() for line in lines(results)] == ["row 5", "row 6", "row 7",
                                                             "row 8"]
        results.highlighted = 99
        assert results.highlighted == 9
        results.highlighted = -3
        assert results.highlighted == 0
        await pilot.pause()
        assert lines(results)[0].strip() == "row 0"


async def test_no_rows_shows_the_note_and_nothing_is_highlighted():
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show([], note="没有找到")
        await pilot.pause()
        assert lines(results)[0].strip() == "没有找到"
        assert results.highlighted is None and results.row_count == 0
        results.highlighted = 2
        assert results.highlighted is None
        results.show([])
        await pilot.pause()
        assert lines(results)[0].strip() == ""


async def test_clicking_a_row_picks_it():
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show([Text("a"), Text("b"), Text("c")])
        await pilot.pause()
        await pilot.click(ResultList, offset=(3, 2))
        await pilot.pause()
        assert app.picked == [2]
        assert results.highlighted == 2
