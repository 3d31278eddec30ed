"""F5 s: the callback summary of a range and its CSV export, a form over the list."""

from textual.widgets import Input

from models import Callback
from reception import i18n
from screens.callbacks import CallbacksScreen
from screens.callbacks.summary import SummaryForm
from tests.helpers.pilot import burst, notifications, settle
from tests.ui.callbacks.common import (
    add_customer,
    error_text,
    field_value,
    open_list,
    press,
    static_text,
    stored,
    table_text,
)


async def test_summary_and_csv_export(db, team, make_app, tmp_path):
    customer = add_customer(db, "王小红", "13800001111", consultant=team.consultants[0])
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await press(pilot, "1")
        await press(pilot, "5", "tab", "tab", "4", "ctrl+s")
        await press(pilot, "s")
        form = app.screen
        assert isinstance(form, SummaryForm)
        assert "1 callbacks, 1 reached (100%)" in static_text(form, "#summary-line")
        rows = table_text(form, "#summary-table")
        assert "All" in rows and "张咨询" in rows and "5.0" in rows and "4.0" in rows
        # Offered beside the database, where the register book's exports go too.
        offered = field_value(app, "summary-path")
        assert offered.startswith(str(db.exports_folder))
        target = tmp_path / "回访.csv"
        form.query_one("#summary-path", Input).value = str(target)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CallbacksScreen)
        assert notifications(app)[-1] == f"Exported to {target}"
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].split(",")[2:5] == ["All", "1", "1"]
    assert any(line.split(",")[2] == "张咨询" for line in lines[2:])
    assert stored(db, Callback, customer_id=customer.id)[0].status == "reached"


async def test_summary_export_file_name_follows_a_new_range(db, team, make_app):
    """The offered file kept the first range's name (callbacks-20261101-20261122.csv)
    after the dates were changed, so the file's name lied about what it held."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await press(pilot, "s")
        form = app.screen
        path = form.query_one("#summary-path", Input)
        assert path.value.endswith("callbacks-20261101-20261122.csv")
        assert app.focused.id == "summary-from"
        await press(pilot, *"2026-10-01", "enter")  # the date offered is replaced
        assert path.value.endswith("callbacks-20261001-20261122.csv")
        assert app.focused.id == "summary-to"
        # A path the user typed is kept.
        form.set_focus(path)
        path.value = ""
        await press(pilot, *"/tmp/mine.csv")
        form.set_focus(form.query_one("#summary-from", Input))
        await press(pilot, *"2026-09-01")
        assert path.value == "/tmp/mine.csv"
        # A bad range says so and keeps the last good name.
        form.query_one("#summary-from", Input).value = ""
        await press(pilot, *"2026-12-31", "enter")
        assert static_text(form, "#summary-line") == "The end date is before the start"
        assert path.value == "/tmp/mine.csv"
        # Exporting it is refused under the end date, and nothing is written.
        await press(pilot, "ctrl+s")
        assert error_text(app, "summary-to") == "The end date is before the start"
        assert app.focused.id == "summary-to"


async def test_summary_in_one_burst_and_in_zh(db, team, make_app, tmp_path):
    target = tmp_path / "十月.csv"
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await burst(app, "s")
        await settle(pilot)
        await burst(app, "２０２６-１０-０１\t2026-10-31\t" + str(target) + "\r")
        await settle(pilot)
        assert isinstance(app.screen, CallbacksScreen)
        assert notifications(app)[-1] == f"已导出到 {target}"
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("开始日期,结束日期")
    assert lines[1].split(",")[:3] == ["2026-10-01", "2026-10-31", "全部"]
