"""F7: today's arrivals first, then the stays and the contracts to come (number, name,
phone masked, state, room, day), the room board under them (free / booked / occupied /
cleaning / out of service, with who and until when), and the complaints waiting.

Keys on the highlighted contract: ``i`` check in, ``a`` the archive (delivery, pick-up,
dates), ``c`` a department confirms the check-in notice, ``v`` the day's visit, ``r`` a
request or complaint, ``o`` check out; ``n`` a new contract, ``w`` answer a request,
``m`` a room's state. Every rule is in ``reception.stays``.

Keystroke budget: checking in today's first arrival with the deposit in cash and the
balance already paid is F7, ``i``, Ctrl+S.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from reception import stay_views, stays
from reception.errors import ReceptionError
from reception.i18n import t
from screens.base import AreaScreen
from screens.choose import Choose
from screens.stays.care import (
    AnswerForm,
    CheckOutForm,
    CorrectForm,
    RequestForm,
    payment_text,
)
from screens.stays.contract import ArchiveForm, ContractForm
from screens.stays.desk import CheckInForm, ConfirmForm, ExplainForm, VisitForm
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import literal

ROOM_STYLE = {"free": "green", "booked": "yellow", "occupied": "bold", "cleaning": "cyan",
              "out": "dim"}


def room_cell(line: stays.RoomLine) -> Text:
    text = Text()
    text.append(f"{line.name:<5}", style="bold")
    text.append(t(f"stays.room.{line.state}"), style=ROOM_STYLE.get(line.state, ""))
    if line.who:
        text.append(" ")
        text.append(line.who[:6])
        text.append(" " + t("stays.until", day=line.until.strftime("%m-%d")))
    return text


class StaysScreen(AreaScreen):
    """The stays at the front desk (F7)."""

    TITLE_KEY = "screen.stays"
    BINDINGS = [
        Binding("i", "check_in", "stays.action.check_in", id="stays.check_in"),
        Binding("a", "archive", "stays.action.archive", id="stays.archive"),
        Binding("c", "confirm", "stays.action.confirm", id="stays.confirm"),
        Binding("v", "visit", "stays.action.visit", id="stays.visit"),
        Binding("r", "request", "stays.action.request", id="stays.request"),
        Binding("o", "check_out", "stays.action.check_out", id="stays.check_out"),
        Binding("n", "new_contract", "stays.action.new", id="stays.new"),
        Binding("w", "answer", "stays.action.answer", id="stays.answer", show=False),
        Binding("p", "payments", "stays.action.payments", id="stays.payments", show=False),
        Binding("x", "explain", "stays.action.explain", id="stays.explain", show=False),
        Binding("m", "room_state", "stays.action.room_state", id="stays.room_state",
                show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.desk: stay_views.Desk | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="stays-body"):
            yield Static(id="arrivals-title", classes="section")
            yield RoutedDataTable(id="contracts", cursor_type="row")
            yield Static(id="rooms")
            yield Static(id="stays-lines")

    def on_mount(self) -> None:
        self.query_one("#contracts", DataTable).add_columns(
            t("stays.col.number"), t("col.name"), t("col.phone"), t("stays.col.state"),
            t("stays.col.room"), t("stays.col.day"))
        with self.db.read() as session:
            missing = not stays.list_rooms(session)
        if missing:
            by = self.staff_id
            self.app.store.write(lambda session: stays.ensure_rooms(session, by=by),
                                 done=lambda _rooms: self.reload())

    def after_mount(self) -> None:
        self.query_one("#contracts", DataTable).focus()
        self.set_interval(30, self.reload)  # the ten minutes of a complaint run on

    def refresh_data(self) -> None:
        with self.db.read() as session:
            self.desk = desk = stay_views.desk(session)
        table = self.query_one("#contracts", DataTable)
        row = table.cursor_row
        table.clear()
        for line in desk.contracts:
            arriving = line.status == "signed" and line.arrival_day == desk.day
            state = t("stays.state.arriving") if arriving else t(f"stays.state.{line.status}")
            shown_day = line.check_out_day if line.status == "in_stay" else (
                line.arrival_day or line.due_day)
            table.add_row(literal(line.number), literal(line.name), Text(line.phone),
                          Text(state, style="bold" if arriving else ""), literal(line.room),
                          Text(shown_day.strftime("%m-%d") if shown_day else ""))
        if desk.contracts:
            table.move_cursor(row=min(row, len(desk.contracts) - 1))
        self.query_one("#arrivals-title", Static).update(Text(
            t("stays.arrivals_today", n=desk.arrivals), style="bold"))
        rooms = Text()
        for index, line in enumerate(desk.rooms):
            cell = room_cell(line)
            cell.truncate(38, pad=True)
            rooms.append_text(cell)
            rooms.append("\n" if index % 2 else "  ")
        self.query_one("#rooms", Static).update(rooms)
        lines = Text(t("stays.requests_open", n=desk.open_requests))
        if desk.takings:
            lines.append("  " + t("stays.takings", total=desk.takings))
        if desk.overdue:
            lines.append("  ")
            lines.append(t("stays.complaints_overdue", count=desk.overdue), style="bold red")
        self.query_one("#stays-lines", Static).update(lines)

    # --- the highlighted contract --------------------------------------------------------

    def _highlighted(self) -> stays.ContractLine | None:
        table = self.query_one("#contracts", DataTable)
        if self.desk is None or not self.desk.contracts:
            return None
        return self.desk.contracts[min(table.cursor_row, len(self.desk.contracts) - 1)]

    def _in_stay(self) -> stay_views.Summary | None:
        """The highlighted contract, if she is in her stay (else it says so)."""
        found = self._summary()
        if found is not None and found.status != "in_stay":
            self.notify(t("stays.not_in_stay", number=found.number), severity="error")
            return None
        return found

    def _summary(self) -> stay_views.Summary | None:
        line = self._highlighted()
        if line is None:
            self.notify(t("stays.choose_contract"), severity="warning")
            return None
        try:
            with self.db.read() as session:
                return stay_views.summary(session, line.contract_id)
        except ReceptionError as problem:
            self.notify(str(problem), severity="error")
            return None

    def _done(self, result) -> None:
        if result is not None:
            self.reload()

    def action_new_contract(self) -> None:
        with self.db.read() as session:
            names = stays.staff_names(session)
        self.app.push_screen(ContractForm(names), self._done)

    def action_archive(self) -> None:
        found = self._summary()
        if found is None:
            return
        with self.db.read() as session:
            values = stay_views.archive_values(session, found.contract_id)
        self.app.push_screen(ArchiveForm(found, values), self._done)

    def action_check_in(self) -> None:
        found = self._summary()
        if found is None:
            return
        if found.status != "signed":
            self.notify(t("stays.not_expected", number=found.number), severity="error")
            return
        self.app.push_screen(CheckInForm(found), self._done)

    def action_confirm(self) -> None:
        found = self._summary()
        if found is not None:
            with self.db.read() as session:
                notice = stays.notice(session, found.contract_id)
            self.app.push_screen(ConfirmForm(found, notice), self._done)

    def action_visit(self) -> None:
        found = self._in_stay()
        if found is None:
            return
        with self.db.read() as session:
            checklist = stays.visits(session, found.contract_id)
        self.app.push_screen(VisitForm(found, checklist), self._done)

    def action_request(self) -> None:
        found = self._in_stay()
        if found is None:
            return
        self.app.push_screen(RequestForm(found), self._done)

    def action_check_out(self) -> None:
        found = self._in_stay()
        if found is None:
            return
        self.app.push_screen(CheckOutForm(found), self._done)

    def action_payments(self) -> None:
        """The contract's payments, newest first; Enter on one corrects it."""
        found = self._summary()
        if found is None:
            return
        with self.db.read() as session:
            lines = stays.of_contract(session, found.contract_id)
        if not lines:
            self.notify(t("stays.no_payments"))
            return
        options = [(Text(payment_text(line)), line) for line in reversed(lines)]
        self.app.push_screen(
            Choose(t("stays.payments_of", name=found.name), options,
                   hint=t("stays.payments_hint")),
            lambda line: line and self.app.push_screen(CorrectForm(line), self._done))

    def action_explain(self) -> None:
        """An expected arrival who did not come today: why (the night check accepts it)."""
        found = self._summary()
        if found is None:
            return
        if found.status != "signed":
            self.notify(t("stays.not_expected", number=found.number), severity="error")
            return
        self.app.push_screen(ExplainForm(found), self._done)

    def show_record(self, record_type: str, record_id: int) -> None:
        """The night check (F6) points at a contract: put the cursor on its row."""
        if record_type != "stay_contract" or not self.is_mounted:
            return
        self.reload()
        table = self.query_one("#contracts", DataTable)
        for index, line in enumerate(self.desk.contracts if self.desk else []):
            if line.contract_id == record_id:
                table.move_cursor(row=index)
                break
        table.focus()

    def action_answer(self) -> None:
        with self.db.read() as session:
            waiting = stays.open_requests(session)
        if not waiting:
            self.notify(t("stays.no_requests"))
            return
        options = [(Text(f"{line.room} {line.name} · {t(f'stays.kind.{line.kind}')} · "
                         f"{line.text[:30]}", style="bold red" if line.overdue else ""), line)
                   for line in waiting]
        self.app.push_screen(Choose(t("stays.answer_which"), options, then=AnswerForm),
                             self._done)

    def action_room_state(self) -> None:
        rooms = self.desk.rooms if self.desk else []
        options = [(room_cell(line), line) for line in rooms]

        def chosen(line) -> None:
            if line is None:
                return
            states = [(t(f"stays.set_state.{state}"), state) for state in ("ok", "cleaning",
                                                                           "out")]
            self.app.push_screen(Choose(line.name, states),
                                 lambda state: state and self._set_room(line.room_id, state))

        self.app.push_screen(Choose(t("stays.room_which"), options), chosen)

    def _set_room(self, room_id: int, state: str) -> None:
        by = self.staff_id
        self.app.store.write(lambda session: stays.set_room_state(session, room_id, state,
                                                                  by=by),
                             done=lambda _room: self.reload())
