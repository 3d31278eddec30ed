"""F6 night check: the day's findings and counts, the paper register, sign-off and reopen.

Works over SSH at 80×24 in 16 colours: no meaning is carried by colour alone. The list
re-checks itself whenever it is shown again and whenever another terminal writes. The
paper counts, another day and the reason to reopen are forms pushed over the list
(``screens/reconcile_forms.py``); every write goes through the store's writer.
"""

from datetime import date, timedelta

import arrow
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from reception import days, reconcile
from reception.clock import clock
from reception.i18n import language, t
from screens.base import AreaScreen
from screens.reconcile_forms import DayForm, PaperCountsForm, ReopenForm
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import literal


class ReconcileScreen(AreaScreen):
    #: The manager's keys: not offered to others here, in F1 or in Ctrl+P.
    MANAGER_ACTIONS = {"reopen"}
    TITLE_KEY = "screen.reconcile"
    BINDINGS = [
        *AreaScreen.BINDINGS,
        Binding("enter", "jump", "reconcile.key.jump", id="reconcile.jump"),
        Binding("p", "paper", "reconcile.key.paper", id="reconcile.paper"),
        Binding("s", "sign_off", "reconcile.key.sign_off", id="reconcile.sign_off"),
        Binding("o", "reopen", "reconcile.key.reopen", id="reconcile.reopen"),
        Binding("d", "choose_date", "reconcile.key.date", id="reconcile.date"),
        Binding("left_square_bracket", "shift_day(-1)", "reconcile.key.prev",
                id="reconcile.prev", key_display="["),
        Binding("right_square_bracket", "shift_day(1)", "reconcile.key.next",
                id="reconcile.next", key_display="]"),
        Binding("t", "today", "reconcile.key.today", id="reconcile.today", show=False),
        Binding("r", "recheck", "reconcile.key.recheck", id="reconcile.recheck",
                show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day: date = clock.today()  # until mounted: then the night check's own day
        self.report: reconcile.DayReport | None = None
        self._confirm_sign_off = False
        self._ready = False

    # --- layout -------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static(id="day-line")
        with Horizontal(id="top"):
            yield RoutedDataTable(id="counts", cursor_type="row", zebra_stripes=False)
            yield Static(id="consultants")
        yield Static(id="findings-title")
        yield RoutedDataTable(id="findings", cursor_type="row", zebra_stripes=True)
        yield Static(id="finding-detail")

    def on_mount(self) -> None:
        self.query_one("#counts", DataTable).add_columns(
            t("reconcile.col.count"), t("reconcile.col.records"), t("reconcile.col.paper"),
            t("reconcile.col.diff"))
        self.query_one("#findings", DataTable).add_columns(t("reconcile.col.finding"))
        with self.db.read() as session:
            # After midnight and before opening, the night check is of yesterday.
            self.day = days.night_check_day(session)
        self._ready = True

    def after_mount(self) -> None:
        self.query_one("#findings", DataTable).focus()

    # --- what is shown --------------------------------------------------------------------

    @property
    def signed_off(self) -> bool:
        return self.report is not None and self.report.signed_off is not None

    def refresh_data(self) -> None:
        if not self._ready:
            # The live view may ask before this screen's widgets are mounted.
            return
        with self.db.read() as session:
            self.report = reconcile.day_report(session, self.day)
        report = self.report
        weekday = arrow.get(self.day).format("dddd" if language() == "zh" else "ddd",
                                             locale=language())
        if report.signed_off:
            line = Text(t("reconcile.day_closed", day=self.day.isoformat(), weekday=weekday,
                          name=report.signed_off.by_name,
                          at=clock.local(report.signed_off.at).format("MM-DD HH:mm")),
                        style="bold reverse")
        else:
            line = Text(t("reconcile.day_open", day=self.day.isoformat(), weekday=weekday),
                        style="bold")
        self.query_one("#day-line", Static).update(line)
        self._fill_counts(report)
        self._fill_findings(report)
        self.refresh_bindings()

    def _fill_counts(self, report: reconcile.DayReport) -> None:
        table = self.query_one("#counts", DataTable)
        row = table.cursor_row
        table.clear()
        for name in reconcile.PAPER_COUNT_NAMES:
            records = report.counts.total(name)
            paper = report.paper.get(name)
            if paper is None:
                paper_cell, diff_cell = Text("-"), Text("")
            elif paper == records:
                paper_cell, diff_cell = Text(str(paper)), Text("=")
            else:
                paper_cell = Text(str(paper))
                diff_cell = Text(f"{paper - records:+d}", style="bold reverse")
            table.add_row(Text(t(f"reconcile.count.{name}")), Text(str(records)), paper_cell,
                          diff_cell, key=name)
        table.move_cursor(row=min(row, table.row_count - 1))
        consultants = Text(t("reconcile.per_consultant") + "\n", style="bold")
        for _staff_id, name, number in report.counts.per_consultant:
            consultants.append(Text(name or t("reconcile.no_consultant")))
            consultants.append(f" {number}\n")
        self.query_one("#consultants", Static).update(consultants)

    def _fill_findings(self, report: reconcile.DayReport) -> None:
        table = self.query_one("#findings", DataTable)
        row = table.cursor_row
        table.clear()
        for index, finding in enumerate(report.findings):
            table.add_row(literal(finding.text()), key=str(index))
        if report.findings:
            table.move_cursor(row=min(row, table.row_count - 1))
            title = t("reconcile.findings_title", n=len(report.findings))
        else:
            title = t("reconcile.findings_clean")
        if report.signed_off:
            # Not "the day can be signed off" on a day that is.
            title = t("reconcile.read_only") + " · " + (
                t("reconcile.signed_findings", n=len(report.findings)) if report.findings
                else t("reconcile.signed_clean"))
        self.query_one("#findings-title", Static).update(Text(title, style="bold"))
        self._show_finding_detail()

    def _show_finding_detail(self) -> None:
        """The highlighted finding in full: a long one is cut short in its row."""
        table = self.query_one("#findings", DataTable)
        findings = self.report.findings if self.report else []
        detail = self.query_one("#finding-detail", Static)
        if findings and 0 <= table.cursor_row < len(findings):
            detail.update(literal(findings[table.cursor_row].text()))
        else:
            detail.update("")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "findings":
            self._show_finding_detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("paper", "sign_off"):
            return not self.signed_off
        if action == "reopen":
            return self.signed_off and self.app.is_manager
        return True

    # --- moving between days --------------------------------------------------------------

    def show_day(self, day: date) -> None:
        self.day = day
        self._confirm_sign_off = False
        self.refresh_data()

    def action_shift_day(self, step: int) -> None:
        day = self.day + timedelta(days=step)
        if not reconcile.FIRST_DAY <= day <= reconcile.LAST_DAY:
            self.app.bell()
            return
        self.show_day(day)

    def action_today(self) -> None:
        self.show_day(clock.today())

    def action_recheck(self) -> None:
        self.refresh_data()

    def action_choose_date(self) -> None:
        self.app.push_screen(DayForm(self.day), self._day_chosen)

    def _day_chosen(self, day: date | None) -> None:
        if day is not None:
            self.show_day(day)

    # --- findings: go to the record -------------------------------------------------------

    async def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "findings":
            await self.jump_to(int(event.row_key.value))
        elif event.data_table.id == "counts":
            self.action_paper()

    async def action_jump(self) -> None:
        table = self.query_one("#findings", DataTable)
        if self.report and self.report.findings:
            await self.jump_to(table.cursor_row)

    async def jump_to(self, index: int) -> None:
        if self.report is None or not 0 <= index < len(self.report.findings):
            return
        finding = self.report.findings[index]
        if finding.area == "reconcile":
            counts = self.query_one("#counts", DataTable)
            counts.move_cursor(row=reconcile.PAPER_COUNT_NAMES.index(finding.detail["count"]))
            counts.focus()
            self.action_paper()
            return
        if finding.area not in self.app_areas():
            self.notify(t("reconcile.no_record"), markup=False)
            return
        await self.app.show_record_in(finding.area, finding.record_type, finding.record_id)

    @staticmethod
    def app_areas() -> set[str]:
        from reception.areas import BY_NAME

        return set(BY_NAME)

    # --- paper register -----------------------------------------------------------------

    def action_paper(self) -> None:
        if self.signed_off:
            self.notify(t("reconcile.read_only"), severity="warning", markup=False)
            return
        if self.report is None:
            return
        counts = self.query_one("#counts", DataTable)
        name = reconcile.PAPER_COUNT_NAMES[max(counts.cursor_row, 0)]
        self.app.push_screen(PaperCountsForm(self.report, name))

    # --- sign-off and reopen ------------------------------------------------------------

    def action_sign_off(self) -> None:
        if self.signed_off or self.report is None:
            return
        if self.report.findings and not self._confirm_sign_off:
            self._confirm_sign_off = True
            self.notify(t("reconcile.confirm_sign_off", n=len(self.report.findings)),
                        severity="warning", markup=False)
            return
        self._confirm_sign_off = False
        day, by = self.day, self.staff_id

        def signed(_event) -> None:
            self.notify(t("reconcile.signed_off_done", day=day.isoformat()))
            self.reload()

        def refused(problem) -> None:
            self.notify(str(problem), severity="error")
            self.reload()

        self.app.store.write(lambda session: reconcile.sign_off(session, day, by=by),
                             done=signed, failed=refused)

    def action_reopen(self) -> None:
        if self.signed_off:
            self.app.push_screen(ReopenForm(self.day))

    def action_back(self) -> None:
        if self._confirm_sign_off:
            self._confirm_sign_off = False
            return
        super().action_back()
