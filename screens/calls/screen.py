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

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reception import calls, script, settings
from reception.clock import clock
from reception.i18n import t
from screens.base import AreaScreen
from screens.calls.forms import ABANDON, BookingForm, CallForm, MessageForm, input_form
from screens.calls.log import CallLog, kept_call
from screens.calls.messages import KEY_MESSAGES, KEY_MINE, KEY_RELAY, MessageList
from screens.calls.words import PICK_NAME_CELLS, Words, pad_cells, shown_values
from screens.widgets.fields import RoutedOptionList

#: The node kinds that open a form over the call.
FORM_KINDS = ("input", "message", "book")
#: Where a form's fields are kept in the walk (so stepping back and on keeps them).
WALK_PREFIX = {"message": "msg_", "book": "book_"}


class CallScreen(MessageList, AreaScreen):
    CSS_PATH = "calls.tcss"
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
        #: The form open over the call, if any.
        self.form: CallForm | None = None
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
        super().on_mount()
        self.call_after_refresh(self.apply_pending_record)

    def on_screen_suspend(self) -> None:
        self.was_left = self not in self.app.screen_stack

    was_left = True

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if not self.was_left:
            return  # back from a form over the call (its answer says what comes next) or F1
        self.was_left = False
        if self.form is not None and self.form not in self.app.screen_stack:
            self.form = None  # closed from outside (Ctrl+O, an F-key): opened again below
        if self.call_ended or (not self.call_log.started and self.walk.at_start
                               and not self.walk.values):
            self.new_call()
        else:
            self.show_node()

    # --- the script in use ------------------------------------------------------------

    def script_path(self) -> str:
        with self.db.read() as session:
            self.clinic = settings.get(session, "clinic_name") or ""
            return settings.get(session, "call_script_path") or ""

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
        self.query_one("#problem", Static).update("")
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

    # --- the forms over the call ------------------------------------------------------

    def open_form(self) -> None:
        node = self.walk.node
        values = self.walk.values
        kwargs = {"call": self.call_log, "crumbs": self.crumbs(), "typed": self.typed(),
                  "say": self.words[0], "do": self.words[1]}
        if node.kind == "input":
            form = input_form(node.field)(values={"value": values.get(node.field) or ""},
                                          **kwargs)
        elif node.kind == "message":
            form = MessageForm(recipients=self.recipients(), values={
                "recipient": values.get("msg_recipient") or self.recipient_for(node),
                "name": values.get("msg_name") or values.get("surname") or "",
                "phone": values.get("msg_phone") or "",
                "matter": values.get("msg_matter") or values.get("matter") or ""}, **kwargs)
        else:
            with self.db.read() as session:
                consultants = [(c.name, c.staff_id) for c in calls.consultants_today(session)]
            chosen = values.get("book_consultant") or values.get("consultant_id")
            form = BookingForm(consultants=consultants, values={
                **{key: values.get(f"book_{key}") or "" for key in
                   ("phone", "name", "time", "purpose")},
                "day": values.get("book_day") or clock.today().isoformat(),
                "consultant": chosen if any(chosen == c[1] for c in consultants) else None},
                **kwargs)
        self.form = form
        generation = self.generation
        self.app.push_screen(form, lambda result: self.form_closed(form, result, generation))

    def form_closed(self, form: CallForm, result: Any, generation: int) -> None:
        if form is not self.form or generation != self.generation:
            return
        self.form = None
        node = self.walk.node
        prefix = WALK_PREFIX.get(node.kind)
        for key, value in form.left_values.items():
            self.walk.values[f"{prefix}{key}" if prefix else node.field] = value
        if result == ABANDON:
            self.abandon()
        elif result is None:  # Escape: one step back
            self.step_back()
        elif node.kind == "input":
            before = self.before()
            self.walk.go(node.next)
            self.stepped(before)
        else:
            before = self.before()
            self.walk.values.update({key: result[key] for key in ("message_id", "number",
                                                                  "time") if key in result})
            self.walk.action_saved("message" if node.kind == "message" else "booked")
            self.stepped(before)
            self.reload()

    def recipients(self) -> list[tuple[str, int]]:
        with self.db.read() as session:
            return [(f"{member.name} ({t('role.' + member.role)})", member.id)
                    for member in calls.recipients(session)]

    def recipient_for(self, node: script.Node) -> int | None:
        if node.recipient == "boss":
            with self.db.read() as session:
                boss = calls.boss(session)
            return boss.id if boss else None
        if node.recipient == "consultant":
            return self.walk.values.get("consultant_id")
        return None

    def forget_form_drafts(self) -> None:
        """The call is over: what its forms kept goes with it."""
        keys = {"calls.message", "calls.book"} | {
            f"calls.field.{node.field}" for node in self.walk.script.nodes.values()
            if node.kind == "input"}
        for key in sorted(keys):
            self.app.store.forget_draft(key, owner_id=self.staff_id)

    # --- drawing the current node -----------------------------------------------------

    def show_node(self) -> None:
        node = self.walk.node
        self.confirm_key = ""
        values = shown_values(self.walk.values, self.clinic)
        self.query_one("#crumbs", Static).update(Text(self.crumbs(), style="dim"))
        words, instruction = node.words(values), node.instruction(values)
        self.words = (t("calls.say") + words if words else "",
                      t("calls.do") + instruction if instruction else "")
        self.query_one("#say", Words).say(self.words[0])
        self.query_one("#do", Words).say(self.words[1])
        choices = self.query_one("#choices", OptionList)
        choices.display = node.kind in ("choice", "consultant") and not self.call_ended
        if node.kind == "choice":
            choices.set_options([Option(Text(f"{branch.key}  {branch.text()}"), id=branch.key)
                                 for branch in node.branches])
        elif node.kind == "consultant":
            self.show_consultants(choices)
        ended = self.query_one("#ended", Static)
        ended.display = self.call_ended
        if self.call_ended:
            outcome = self.walk.outcome()
            label = t(f"calls.outcome.{outcome}")
            ended.update(Text(t("calls.ended", outcome=outcome if label.startswith("calls.")
                                else label), style="bold"))
        self.refresh_bindings()
        if node.kind in FORM_KINDS and not self.call_ended:
            if self.form is None and self in self.app.screen_stack:
                self.open_form()
        else:
            self.call_after_refresh(self.focus_node)

    def crumbs(self) -> str:
        """The steps taken so far, as the receptionist chose them."""
        parts: list[str] = []
        path = self.walk.path
        for previous_id, node_id in zip(path, path[1:], strict=False):
            previous = self.walk.script.node(previous_id)
            if previous.kind == "choice":
                branch = next((b for b in previous.branches if b.to == node_id), None)
                part = branch.text() if branch else node_id
            elif previous.kind == "consultant":
                part = str(self.walk.values.get("consultant") or "")
            elif previous.kind == "input":
                part = str(self.walk.values.get(previous.field) or "…")
            else:
                part = t("calls.outcome.message" if previous.kind == "message"
                         else "calls.outcome.booked")
            parts.append(part if len(part) <= 20 else part[:19] + "…")
        return " › ".join(parts[-4:])

    def show_consultants(self, choices: OptionList) -> None:
        with self.db.read() as session:
            self.consultants = calls.consultants_today(session)[:10]
        options = []
        # Names padded by display cells (a CJK character takes two), so the status column
        # lines up whatever the names' widths; a very long name is cut short.
        width = min(max((cell_len(c.name) for c in self.consultants), default=0),
                    PICK_NAME_CELLS)
        for position, consultant in enumerate(self.consultants):
            key = str((position + 1) % 10)
            line = Text(f"{key}  ")
            line.append(pad_cells(consultant.name, width))
            if not consultant.on_duty:
                status, style = "calls.off_duty", "dim"
            elif consultant.busy:
                status, style = "calls.busy", "yellow"
            else:
                status, style = "calls.free", "green"
            line.append("  " + t(status), style=style)
            options.append(Option(line, id=key))
        if not options:
            # Nobody to pick: say so, rather than a blank list where every digit only beeps.
            options.append(Option(Text(t("calls.no_consultants"), style="italic"),
                                  disabled=True))
        choices.set_options(options)

    def focus_node(self) -> None:
        if self.call_ended:
            self.set_focus(None)
        elif self.walk.node.kind in ("choice", "consultant"):
            self.query_one("#choices", OptionList).focus()
