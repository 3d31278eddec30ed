"""F3: the phone call. The screen shows the words to say; digits pick the branch.

The call walks the script tree (``reception.script``); every step is logged
(``reception.calls``) through the store, in order, while the screen already shows the
next step (keys typed ahead land where they belong). Escape or Backspace steps back one
node and keeps what was typed; Ctrl+G breaks the call off (logged; with words typed, or
on a greeting not yet answered, a second Ctrl+G confirms); Esc at an untouched greeting
leaves without logging a call. A value to type, a message or a booking opens its form
over the call (``screens.calls.forms``). Below the script, the messages not yet relayed
(``screens.calls.messages``).

A call in progress is kept as a draft, so a quit or a closed terminal picks it up again.
"""

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static

from reception import calls, script, settings
from reception.clock import clock
from reception.i18n import t
from screens.base import AreaScreen
from screens.calls.log import CallLog, kept_call
from screens.calls.messages import KEY_MESSAGES, KEY_MINE, KEY_RELAY, MessageList
from screens.calls.overlays import FormsOverCall
from screens.calls.view import CallView
from screens.calls.words import Words
from screens.widgets.fields import RoutedOptionList
from screens.widgets.text import update_if_changed


class CallScreen(CallView, FormsOverCall, MessageList, AreaScreen):
    TITLE_KEY = "screen.calls"
    BINDINGS = [
        Binding("escape", "back", "calls.key.step_back", id="back"),
        Binding("backspace", "back", "calls.key.step_back", show=False, id="calls-backspace"),
        Binding("ctrl+g", "abandon", "calls.key.abandon", id="calls-abandon"),
        Binding(KEY_MESSAGES, "messages", "calls.key.messages", id="calls-messages"),
        # The list's own keys, also bound here (not in the footer) so that F1 lists them
        # wherever the focus is; they do nothing until the list has the focus (m).
        Binding(KEY_RELAY, "relay", "calls.key.relay_in_list", show=False,
                id="calls-relay-help"),
        Binding(KEY_MINE, "toggle_mine", "calls.key.mine_in_list", show=False,
                id="calls-mine-help"),
        Binding("enter", "next_call", "calls.key.new_call", show=False, id="calls-next"),
        *[
            Binding(digit, f"pick('{digit}')", "calls.key.branch" if digit == "1" else "",
                    show=False, key_display="0–9" if digit == "1" else None)
            for digit in script.BRANCH_KEYS
        ],
    ]

    def __init__(self) -> None:
        super().__init__()
        self.walk = script.Walk(script.builtin())
        self.call_log = CallLog(self, clock.now_utc())
        self.call_ended = False
        self.clinic = ""
        self.consultants: list[calls.ConsultantToday] = []
        self.warned = ""
        self.form = None
        #: A new call, or a refused step put back, makes the answers of older writes moot.
        self.generation = 0
        #: The key pressed once to break off a call (pressed again: done).
        self.confirm_key = ""

    @property
    def call_id(self) -> int | None:
        return self.call_log.id

    # --- layout ---------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Vertical(id="call-pane"):
            yield Static(id="crumbs")
            yield Words(style="bold", id="say")
            yield Words(id="do")
            yield RoutedOptionList(id="choices")
            yield Static(id="problem")
            yield Static(id="ended")
        yield from self.compose_messages()

    def on_mount(self) -> None:
        self.call_log = CallLog(self, clock.now_utc())
        self.mount_messages()
        self.load_script()
        self.restore_call()
        self.show_node()

    def after_mount(self) -> None:
        self.call_after_refresh(self.apply_pending_record)

    def on_screen_suspend(self) -> None:
        self.was_left = self not in self.app.screen_stack

    was_left = True

    def on_screen_resume(self) -> None:
        form = self.form
        if form is not None and not form.dismissed and form not in self.app.screen_stack:
            # Closed from outside (Ctrl+O, an F-key, the night check's jump): it opens
            # again with what was typed when the call is back at its step.
            self.form = None
        if not self.was_left:
            return  # back from a form over the call (its answer says what comes next) or F1
        self.was_left = False
        if self.call_ended or (not self.call_log.started and self.walk.at_start
                               and not self.walk.values):
            self.new_call()
        else:
            self.show_node()

    # --- the script in use ------------------------------------------------------------

    def script_path(self) -> str:
        with self.db.read() as session:
            clinic = settings.load(session)
        self.clinic = clinic.clinic_name or ""
        return clinic.call_script_path or ""

    def load_script(self) -> None:
        used, error = script.active_script(self.script_path())
        if error is not None and str(error) != self.warned:
            self.warned = str(error)
            self.notify(t("calls.script.fallback", message=str(error)), severity="warning",
                        timeout=10)
        if used is not self.walk.script and self.call_id is None and self.walk.at_start:
            self.walk = script.Walk(used)

    # --- starting, stepping, ending ---------------------------------------------------

    def new_call(self) -> None:
        self.generation += 1
        self.walk = script.Walk(script.active_script(self.script_path())[0])
        self.load_script()
        self.call_log = CallLog(self, clock.now_utc())
        self.call_ended = False
        self.show_node()

    def restore_call(self) -> None:
        found = kept_call(self.app)
        if found is None:
            return
        self.walk = script.Walk(self.walk.script, **(found.get("walk") or {}))
        self.call_log = CallLog(self, found["started_at"], found["call_id"])
        self.call_ended = False
        self.notify(t("calls.resumed"))

    def call_fields(self) -> dict[str, str]:
        values = self.walk.values
        return {
            "caller_name": values.get("msg_name") or values.get("book_name")
            or values.get("surname") or "",
            "caller_phone": values.get("msg_phone") or values.get("book_phone") or "",
            "note": values.get("note") or values.get("matter") or values.get("msg_matter") or "",
        }

    def detail(self) -> dict[str, Any]:
        keep = ("surname", "matter", "note", "consultant", "consultant_id", "message_id",
                "number")
        return {key: self.walk.values[key] for key in keep if self.walk.values.get(key)}

    def stepped(self, before: dict[str, Any], *, reopen: bool = False) -> None:
        """Log the step just taken (an end node ends the call) and show where it led."""
        node = self.walk.node
        generation = self.generation
        update_if_changed(self.query_one("#problem", Static), "")
        self.call_log.step(
            path=list(self.walk.path), fields=self.call_fields(), walk=self.walk.state(),
            end=(self.walk.outcome(), self.detail()) if node.kind == "end" else None,
            reopen=reopen, failed=lambda error: self.step_refused(error, before, generation))
        self.call_ended = node.kind == "end"
        if self.call_ended:
            self.forget_form_drafts()
        self.show_node()

    def step_refused(self, error, before: dict[str, Any], generation: int) -> None:
        """Not stored (e.g. the day is signed off): back where the call was, say why, and
        keep what was typed; never show the step as taken or the call as logged."""
        if generation != self.generation or not self.is_attached:
            return
        self.generation += 1
        if self.form is not None and not self.form.dismissed:
            self.form.save_draft_now()
            self.form = None
            self.pop_until_active()
        self.walk = script.Walk(self.walk.script, **before["walk"])
        self.call_ended = before["ended"]
        self.call_log.started = before["started"]
        self.show_node()
        self.query_one("#problem", Static).update(Text(str(error)))
        self.notify(str(error), severity="error", timeout=8)

    def before(self) -> dict[str, Any]:
        return {"walk": self.walk.state(), "ended": self.call_ended,
                "started": self.call_log.started}

    def action_pick(self, key: str) -> None:
        node = self.walk.node
        if self.call_ended:
            return
        before = self.before()
        if node.kind == "choice":
            if self.walk.choose(key) is None:
                self.app.bell()
                return
            self.stepped(before)
        elif node.kind == "consultant":
            index = (int(key) - 1) % 10
            if index >= len(self.consultants):
                self.app.bell()
                return
            self.pick_consultant(self.consultants[index], before)

    def pick_consultant(self, consultant: calls.ConsultantToday, before) -> None:
        node = self.walk.node
        self.walk.values.update(consultant=consultant.name, consultant_id=consultant.staff_id)
        if not consultant.on_duty:
            target = node.off_duty
        elif consultant.busy and node.busy:
            target = node.busy
        else:
            target = node.on_duty
        self.walk.go(target)
        self.stepped(before)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.action_pick(event.option.id)

    def action_back(self) -> None:
        if self.message_table.has_focus:
            self.focus_node()
            return
        self.step_back()

    def step_back(self) -> None:
        if self.walk.can_go_back():
            before, reopen = self.before(), self.call_ended
            self.walk.back()
            self.call_ended = False
            self.stepped(before, reopen=reopen)
            return
        if self.call_ended:
            self.new_call()
            super().action_back()
            return
        if not self.walk.at_start:
            self.notify(t("calls.cannot_back"), severity="warning")
            return
        if self.call_log.started or self.walk.values:
            if self.typed():
                # Back at the greeting with words typed on the way: leaving breaks the
                # call off, so ask once, as Ctrl+G does.
                if not self.confirmed("escape", t("calls.confirm_abandon", key="Esc")):
                    return
                self.abandon()
            else:
                # A wrong key, then Esc back to an untouched greeting: no call to log.
                self.call_log.withdraw()
                self.forget_form_drafts()
                self.new_call()
        super().action_back()

    def typed(self) -> bool:
        """Whether anything was typed during the call (a default filled in does not count)."""
        today = clock.today().isoformat()
        return any(isinstance(value, str) and value.strip()
                   and not (key == "book_day" and value == today)
                   for key, value in self.walk.values.items())

    def confirmed(self, key: str, warning: str) -> bool:
        """Breaking off a call takes the same key twice where a slip would cost something;
        the first press only warns (any step cancels it)."""
        if self.confirm_key == key:
            self.confirm_key = ""
            return True
        self.confirm_key = key
        self.query_one("#problem", Static).update(Text(warning))
        self.notify(warning, severity="warning")
        return False

    def action_abandon(self) -> None:
        if self.call_ended:
            self.new_call()
            return
        if self.typed():
            warning = t("calls.confirm_abandon", key="Ctrl+G")
        elif self.walk.at_start and not self.call_log.started:
            # Ctrl+G on a greeting: a caller who hung up at once. Asked first, so that a
            # stray key does not fill the call log.
            warning = t("calls.confirm_hang_up", key="Ctrl+G")
        else:
            warning = ""
        if warning and not self.confirmed("ctrl+g", warning):
            return
        self.abandon()

    def abandon(self) -> None:
        self.call_log.abandon(path=list(self.walk.path), fields=self.call_fields(),
                         detail=self.detail(),
                         done=lambda _result: self.notify(t("calls.abandoned")))
        self.forget_form_drafts()
        self.new_call()

    def action_next_call(self) -> None:
        if self.call_ended:
            self.new_call()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that mean nothing at this point of the call are hidden and do nothing."""
        if action == "next_call":
            return self.call_ended
        if action == "pick":
            return self.walk.node.kind in ("choice", "consultant") and not self.call_ended
        if action in ("relay", "toggle_mine"):
            # Listed by F1 everywhere, working only in the list (None: shown, disabled).
            return True if self.message_table.has_focus else None
        return True
