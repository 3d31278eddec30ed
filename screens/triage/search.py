"""Finding who walked in: today's appointments (path B) or returning customers (path C).

Search as you type: the list follows the box after each pause in typing (a short
debounce), and Enter picks the highlighted row at once (a search still waiting runs
first, so ``5678⏎`` typed in one go picks what 5678 finds). The next step is pushed over
this one; Escape there comes back here with the search as it was.
"""

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from reception import appointments, triage_forms
from reception.clock import clock
from reception.errors import ReceptionError
from reception.i18n import t
from screens.keyroute import Routed
from screens.triage.common import appointment_label, customer_label
from screens.widgets.fields import RoutedInput
from screens.widgets.footer import KeyFooter
from screens.widgets.results import ResultList
from screens.widgets.status import StatusLine
from screens.widgets.text import literal

SEARCH_DEBOUNCE = 0.15
# As many as the list shows at 80×24: building rows no one can see costs a frame.
RESULTS_SHOWN = 16


class SearchScreen(Routed, ModalScreen[Any]):
    """``mode`` "B" (appointments) or "C" (customers); ``then(found)`` is the next step,
    whose result (not None) this screen returns."""

    BINDINGS = [Binding("escape", "close", "form.key.close", id="triage.search.close")]

    def __init__(self, mode: str, then: Callable[[Any], Screen]) -> None:
        super().__init__()
        self.mode = mode
        self.then = then
        self.results: list[Any] = []
        self.search_timer = None
        self.query_shown: str | None = None

    def compose(self) -> ComposeResult:
        title = "triage.search_appointment" if self.mode == "B" else "triage.search_customer"
        with Vertical(id="search-pane"):
            yield Static(literal(t(title), style="bold"), id="search-title")
            yield RoutedInput(id="search", compact=True)
            yield Static(literal(t("triage.search_hint")), classes="hint")
            yield ResultList(id="results")
        yield StatusLine()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()

    # --- searching ------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.search_timer is not None:
            self.search_timer.stop()
        self.search_timer = self.set_timer(SEARCH_DEBOUNCE, self.run_search)

    def run_search(self) -> None:
        """Search for what the box holds now (the debounce's end, or Enter)."""
        if self.search_timer is not None:
            self.search_timer.stop()
            self.search_timer = None
        query = self.query_one("#search", Input).value
        try:
            with self.app.db.read() as session:
                if self.mode == "B":
                    self.results = appointments.find_for_day(session, clock.today(), query)
                else:
                    self.results = triage_forms.search_returning(session, query,
                                                                 limit=RESULTS_SHOWN)
        except ReceptionError as error:
            self.app.store_failed(error, failed=lambda problem: None)
            return
        label = appointment_label if self.mode == "B" else customer_label
        empty = "triage.no_appointment_match" if self.mode == "B" else "triage.no_match"
        self.query_shown = query
        self.query_one("#results", ResultList).show(
            [label(found) for found in self.results],
            note=t(empty) if query.strip() else None)

    # --- keys -------------------------------------------------------------------------

    async def key_now(self, node, key: str) -> bool:
        """Enter picks and ↑/↓ move the highlight at once (before the keys typed after)."""
        if key == "enter":
            self.pick()
        elif key in ("up", "down"):
            results = self.query_one("#results", ResultList)
            if results.highlighted is not None:
                results.highlighted += 1 if key == "down" else -1
        else:
            return False
        return True

    def pick(self, index: int | None = None) -> None:
        if self.search_timer is not None or \
                self.query_shown != self.query_one("#search", Input).value:
            self.run_search()
        if index is None:
            index = self.query_one("#results", ResultList).highlighted
        if index is None or not 0 <= index < len(self.results):
            self.app.bell()
            return
        self.app.push_screen(self.then(self.results[index]), self.step_done)

    def on_result_list_picked(self, event: ResultList.Picked) -> None:
        event.stop()
        self.pick(event.index)

    def step_done(self, result: Any) -> None:
        if result is None:
            self.query_one("#search", Input).focus()  # back here, the search as it was
            return
        self.dismiss(result)

    def action_close(self) -> None:
        self.dismiss(None)
