"""F3: the phone call. The screen shows the words to say; digits pick the branch.

The call walks the script tree (``reception.script``); every step is logged
(``reception.calls``). Escape or Backspace steps back one node and keeps what was typed;
Ctrl+G abandons the call (logged; with words typed, a second Ctrl+G confirms); Esc at an
untouched greeting leaves without logging a call. Below the script, the messages not yet
relayed: m moves there, r marks the highlighted one relayed, f shows only one's own.

A call in progress is kept as a draft, so a quit or a closed terminal picks it up again.
"""

from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from reception import calls, customers, phones, script, settings
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from screens.base import AreaScreen, DraftForm

MESSAGE_FIELDS = ("msg-recipient", "msg-name", "msg-phone", "msg-matter")
BOOK_FIELDS = ("book-phone", "book-name", "book-day", "book-time", "book-consultant",
               "book-purpose")
FORM_NODES = ("message", "book")
#: A form field's label, to name it in an error.
FIELD_LABELS = {
    "msg-recipient": "calls.message.recipient", "msg-name": "calls.message.name",
    "msg-phone": "calls.message.phone", "msg-matter": "calls.message.matter",
    "book-phone": "calls.book.phone", "book-name": "calls.book.name",
    "book-day": "calls.book.day", "book-time": "calls.book.time",
    "book-consultant": "calls.book.consultant", "book-purpose": "calls.book.purpose",
}
#: A typed value longer than this is cut short where the script repeats it (the words to
#: say keep their own end in view); the value itself is kept whole.
SAY_VALUE_CELLS = 30
#: A consultant's name in the picker takes at most this many cells (then the status).
PICK_NAME_CELLS = 20


def _value_key(widget_id: str) -> str:
    """Where a widget's value is kept in the walk (``field-surname`` → ``surname``)."""
    if widget_id.startswith("field-"):
        return widget_id[len("field-"):]
    return widget_id.replace("-", "_")


#: Punctuation that never starts a line (kept with the character before it) and that never
#: ends one (kept with the character after it).
_CLOSING = frozenset(",。?!、;:)」』》】〉…,.?!;:)]%")
_OPENING = frozenset("(「『《【〈([")


def _units(paragraph: str) -> list[str]:
    """Pieces a line may break between: a word with its spaces, or one wide character;
    closing punctuation sticks to what precedes it, opening punctuation to what follows."""
    units: list[str] = []
    current = ""
    for char in paragraph:
        if char.isspace() or (char in _CLOSING and current):
            current += char
            continue
        starts_new = current and (
            current[-1].isspace()
            or (current[-1] not in _OPENING
                and (cell_len(char) > 1 or cell_len(current[-1]) > 1)))
        if starts_new:
            units.append(current)
            current = char
        else:
            current += char
    if current:
        units.append(current)
    return units


def wrap_cells(text: str, width: int) -> str:
    """``text`` with line breaks so no line is wider than ``width`` cells, breaking between
    words or wide characters, never before a closing punctuation mark (no lone "?")."""
    if width <= 0:
        return text
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _units(paragraph):
            if line and cell_len((line + unit).rstrip()) > width:
                lines.append(line.rstrip())
                line = ""
            line += unit
            while cell_len(line.rstrip()) > width:  # one piece wider than a line: cut it
                cut = ""
                for char in line:
                    if cell_len(cut + char) > width:
                        break
                    cut += char
                lines.append(cut)
                line = line[len(cut):]
        lines.append(line.rstrip())
    return "\n".join(lines)


def _break_lines(text: str, width: int) -> str:
    """Chinese (wide characters) is broken into lines here; text without any is left to
    Rich's own word wrap, which already breaks only between words."""
    if any(cell_len(char) > 1 for char in text):
        return wrap_cells(text, width)
    return text


def _pad_cells(value: str, width: int) -> str:
    """``value`` in exactly ``width`` display cells: padded, or cut short with "…"."""
    value = " ".join(value.split())
    if cell_len(value) > width:
        cut = ""
        for char in value:
            if cell_len(cut + char) > width - 1:
                break
            cut += char
        value = cut + "…"
    return set_cell_size(value, width)


def _cell(value: str | None, width: int) -> Text:
    """Typed text in a list cell: one line, cut short (the detail line below has it all)."""
    text = Text(" ".join((value or "").split()), no_wrap=True)
    text.truncate(width, overflow="ellipsis")
    return text


#: The keys of the message list (the hint under it names them as they are bound).
KEY_MESSAGES, KEY_RELAY, KEY_MINE = "m", "r", "f"


class MessageTable(DataTable):
    """The messages not yet relayed; its own keys work while it has the focus."""

    BINDINGS = [
        Binding(KEY_RELAY, "screen.relay", "calls.key.relay", id="calls-relay"),
        Binding(KEY_MINE, "screen.toggle_mine", "calls.key.mine", id="calls-mine"),
    ]


class FieldSelect(Select):
    """A drop-down in a call form: Enter on it (closed) goes to the next field, as the form's
    hint promises; Down, Up or Space open it. (Textual's Select opens on Enter too, so a
    second Enter after picking reopened the menu and the next words typed were eaten.)"""

    BINDINGS = [Binding("enter", "next_field", show=False)]

    class Done(Message):
        def __init__(self, select: "FieldSelect") -> None:
            super().__init__()
            self.select = select

    def action_next_field(self) -> None:
        self.post_message(self.Done(self))


class CallScreen(DraftForm, AreaScreen):
    CSS_PATH = "calls.tcss"
    TITLE_KEY = "screen.calls"
    DRAFT_FORM = "call"
    BINDINGS = [
        Binding("escape", "back", "calls.key.step_back", id="back"),
        Binding("backspace", "back_from_choices", "calls.key.step_back", show=False,
                id="calls-backspace"),
        Binding("ctrl+g", "abandon", "calls.key.abandon", id="calls-abandon"),
        Binding("ctrl+s", "save_form", "calls.key.save", id="calls-save"),
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
        self.call_id: int | None = None
        self.call_ended = False
        self.started_at = clock.now_utc()
        self.clinic = ""
        self.mine_only = False
        self._consultants: list[calls.ConsultantToday] = []
        self._warned = ""
        self._pending_record: tuple[str, int] | None = None
        self._rows: dict[int, calls.MessageRow] = {}
        #: The words to say and what to do at the current node, before breaking into lines.
        self._words = ("", "")
        #: The key pressed once to break off a call with typed words (pressed again: done).
        self._confirm_key = ""

    # --- layout ---------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Vertical(id="call-pane"):
            yield Static(id="crumbs")
            yield Static(id="say")
            yield Static(id="do")
            yield OptionList(id="choices")
            yield Vertical(id="fields")
            with Vertical(id="message-form", classes="call-form"):
                yield from self._row("calls.message.recipient",
                                     FieldSelect([], id="msg-recipient", compact=True))
                yield from self._row("calls.message.name", Input(id="msg-name", compact=True))
                yield from self._row("calls.message.phone", Input(id="msg-phone", compact=True))
                yield from self._row("calls.message.matter",
                                     Input(id="msg-matter", compact=True))
            with Vertical(id="book-form", classes="call-form"):
                yield from self._row("calls.book.phone", Input(id="book-phone", compact=True))
                yield Static(id="book-found", classes="hint")
                yield from self._row("calls.book.name", Input(id="book-name", compact=True))
                yield from self._row("calls.book.day", Input(
                    id="book-day", compact=True, placeholder="YYYY-MM-DD",
                    classes="replace-on-focus"))
                yield from self._row("calls.book.time", Input(id="book-time", compact=True,
                                                              placeholder="HH:MM"))
                yield from self._row("calls.book.consultant",
                                     FieldSelect([], id="book-consultant", compact=True,
                                            prompt=t("calls.book.any_consultant")))
                yield from self._row("calls.book.purpose",
                                     Input(id="book-purpose", compact=True))
            yield Static(Text(t("calls.form.hint")), id="form-hint", classes="hint")
            yield Static(id="form-error", classes="error")
            yield Static(id="ended")
        with Vertical(id="messages-pane"):
            yield Static(id="messages-title")
            yield MessageTable(id="message-list", cursor_type="row")
            yield Static(id="message-detail")

    @staticmethod
    def _row(label_key: str, widget) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(t(label_key))
            yield widget

    def on_mount(self) -> None:
        self.query_one("#message-list", DataTable).add_columns(
            t("calls.col.at"), t("col.recipient"), t("calls.col.caller"), t("col.phone"),
            t("col.matter"))
        self._load_script()
        self._restore_draft()
        self._show_node()
        super().on_mount()
        self.call_after_refresh(self._apply_pending_record)

    def on_screen_resume(self) -> None:
        if self.call_ended or (self.call_id is None and self.walk.at_start):
            self._new_call()
        super().on_screen_resume()

    # --- the script in use ------------------------------------------------------------

    def _load_script(self) -> None:
        with self.db.read() as session:
            self.clinic = settings.get(session, "clinic_name") or ""
            path = settings.get(session, "call_script_path") or ""
        used, error = script.active_script(path)
        if error is not None and str(error) != self._warned:
            self._warned = str(error)
            self.notify(t("calls.script.fallback", message=str(error)), severity="warning",
                        timeout=10)
        if used is not self.walk.script and self.call_id is None and self.walk.at_start:
            self.walk = script.Walk(used)

    def _values(self) -> dict[str, Any]:
        """The typed values as the script's words repeat them (long ones cut short)."""
        shown = {key: (value[:SAY_VALUE_CELLS - 1] + "…"
                       if isinstance(value, str) and len(value) > SAY_VALUE_CELLS else value)
                 for key, value in self.walk.values.items()}
        return {**shown, "clinic": self.clinic}

    # --- starting, stepping, ending ---------------------------------------------------

    def _new_call(self) -> None:
        self._load_script()
        used, _error = script.active_script(self._script_path())
        self.walk = script.Walk(used)
        self.call_id, self.call_ended = None, False
        self.started_at = clock.now_utc()
        for widget in self.query("#call-pane Input"):
            widget.value = ""
        for select in self.query("#call-pane Select"):
            select.clear()
        self.query_one("#book-found", Static).update("")
        self._show_node()

    def _script_path(self) -> str:
        with self.db.read() as session:
            return settings.get(session, "call_script_path") or ""

    def _call_fields(self) -> dict[str, str]:
        values = self.walk.values
        return {
            "caller_name": values.get("msg_name") or values.get("book_name")
            or values.get("surname") or "",
            "caller_phone": values.get("msg_phone") or values.get("book_phone") or "",
            "note": values.get("note") or values.get("matter") or values.get("msg_matter") or "",
        }

    def _detail(self) -> dict[str, Any]:
        keep = ("surname", "matter", "note", "consultant", "consultant_id", "message_id",
                "number")
        return {key: self.walk.values[key] for key in keep if self.walk.values.get(key)}

    def _stepped(self, *, reopen: bool = False) -> None:
        """Log the step just taken; an end node ends the call."""
        node = self.walk.node
        try:
            with self.db.write() as session:
                if self.call_id is None:
                    self.call_id = calls.start_call(session, by=self.staff_id,
                                                    path=self.walk.path,
                                                    started_at=self.started_at).id
                else:
                    calls.record_step(session, self.call_id, path=self.walk.path, reopen=reopen,
                                      by=self.staff_id, **self._call_fields())
                if node.kind == "end":
                    calls.end_call(session, self.call_id, path=self.walk.path,
                                   outcome=self.walk.outcome(), by=self.staff_id,
                                   detail=self._detail(), **self._call_fields())
        except ReceptionError as error:
            # Not stored (e.g. the day is signed off): stay where the call was, say why,
            # and keep what was typed; never show the step as taken or the call as logged.
            self.walk.back()
            self.save_draft_now()
            self._show_node()
            self.query_one("#form-error", Static).update(Text(str(error)))
            self.notify(str(error), severity="error", timeout=8)
            return
        self.call_ended = node.kind == "end"
        if self.call_ended:
            self.discard_draft()
        else:
            self.save_draft_now()
        self._show_node()

    def action_pick(self, key: str) -> None:
        node = self.walk.node
        if self.call_ended:
            return
        if node.kind == "choice":
            if self.walk.choose(key) is None:
                self.app.bell()
                return
            self._stepped()
        elif node.kind == "consultant":
            index = (int(key) - 1) % 10
            if index >= len(self._consultants):
                self.app.bell()
                return
            self._pick_consultant(self._consultants[index])

    def _pick_consultant(self, consultant: calls.ConsultantToday) -> None:
        node = self.walk.node
        self.walk.values.update(consultant=consultant.name, consultant_id=consultant.staff_id)
        if not consultant.on_duty:
            target = node.off_duty
        elif consultant.busy and node.busy:
            target = node.busy
        else:
            target = node.on_duty
        self.walk.go(target)
        self._stepped()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.action_pick(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        widget_id = event.input.id or ""
        node = self.walk.node
        if widget_id.startswith("field-") and node.kind == "input":
            self.walk.values[node.field] = event.value
            self.walk.go(node.next)
            self._stepped()
            return
        self._next_field(widget_id)

    def on_field_select_done(self, event: FieldSelect.Done) -> None:
        event.stop()
        self._next_field(event.select.id or "")

    def _next_field(self, widget_id: str) -> None:
        """Enter in a form: the next field, or save on the last one."""
        form = MESSAGE_FIELDS if widget_id.startswith("msg-") else BOOK_FIELDS
        if widget_id in form:
            position = form.index(widget_id)
            if position == len(form) - 1:
                self.action_save_form()
            else:
                self.query_one(f"#{form[position + 1]}").focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        widget_id = event.input.id or ""
        if not widget_id.startswith(("field-", "msg-", "book-")):
            return
        self.walk.values[_value_key(widget_id)] = event.value
        self._cancel_confirm()
        if widget_id == "book-phone":
            self._look_up_caller(event.value)
        self.schedule_draft_save()

    def on_select_changed(self, event: Select.Changed) -> None:
        widget_id = event.select.id or ""
        if widget_id in ("msg-recipient", "book-consultant"):
            value = None if event.value is Select.NULL else event.value
            self.walk.values[_value_key(widget_id)] = value
            self._cancel_confirm()

    def _look_up_caller(self, raw: str) -> None:
        found_line = self.query_one("#book-found", Static)
        try:
            phone = phones.normalise(raw)
        except ValidationError:
            found_line.update("")
            return
        with self.db.read() as session:
            customer = customers.find_by_phone(session, phone)
        if customer is None:
            found_line.update(Text(t("calls.book.new")))
            return
        found_line.update(Text(t("calls.book.found", name=customer.name)))
        name_input = self.query_one("#book-name", Input)
        if not name_input.value.strip():
            name_input.value = customer.name

    def action_save_form(self) -> None:
        kind = self.walk.node.kind
        if self.call_ended or kind not in FORM_NODES:
            return
        error_line = self.query_one("#form-error", Static)
        try:
            with self.db.write() as session:
                if kind == "message":
                    saved = self._save_message(session)
                else:
                    saved = self._save_booking(session)
        except ValidationError as error:
            field_id = {"recipient": "msg-recipient", "caller_name": "msg-name",
                        "phone": "msg-phone" if kind == "message" else "book-phone",
                        "matter": "msg-matter", "name": "book-name", "day": "book-day",
                        "time": "book-time", "consultant": "book-consultant"}.get(error.field)
            # Name the field: a bare "Required" does not say which one.
            label = FIELD_LABELS.get(field_id or "")
            error_line.update(Text(f"{t(label)}: {error}" if label else str(error)))
            if field_id:
                self.query_one(f"#{field_id}").focus()
            return
        except ReceptionError as error:
            error_line.update(Text(str(error)))
            return
        error_line.update("")
        self.notify(saved, markup=False)
        self.walk.action_saved("message" if kind == "message" else "booked")
        self._stepped()
        self.refresh_data()

    def _save_message(self, session) -> str:
        values = self.walk.values
        recipient_id = self.query_one("#msg-recipient", Select).value
        message = calls.take_message(
            session, recipient_id=None if recipient_id is Select.NULL else recipient_id,
            caller_name=self.query_one("#msg-name", Input).value,
            phone=self.query_one("#msg-phone", Input).value,
            matter=self.query_one("#msg-matter", Input).value,
            by=self.staff_id, call_id=self.call_id)
        values["message_id"] = message.id
        recipient = next((label for label, staff_id in self._recipient_options
                          if staff_id == message.recipient_id), "")
        return t("calls.message.saved", recipient=recipient)

    def _save_booking(self, session) -> str:
        consultant_id = self.query_one("#book-consultant", Select).value
        appointment = calls.book_from_call(
            session, call_id=self.call_id,
            name=self.query_one("#book-name", Input).value,
            phone=self.query_one("#book-phone", Input).value,
            day_text=self.query_one("#book-day", Input).value,
            time_text=self.query_one("#book-time", Input).value,
            consultant_id=None if consultant_id is Select.NULL else consultant_id,
            purpose=self.query_one("#book-purpose", Input).value,
            by=self.staff_id)
        self.walk.values.update(
            number=appointment.number,
            time=clock.local(appointment.scheduled_at).format("YYYY-MM-DD HH:mm"))
        return t("calls.book.saved", number=appointment.number)

    def action_back(self) -> None:
        if self.query_one("#message-list", DataTable).has_focus:
            self._focus_node()
            return
        if self.walk.can_go_back():
            reopen = self.call_ended
            self.walk.back()
            self.call_ended = False
            self._stepped(reopen=reopen)
            return
        if self.call_ended:
            self._new_call()
            super().action_back()
            return
        if not self.walk.at_start:
            self.notify(t("calls.cannot_back"), severity="warning")
            return
        if self.call_id is not None:
            if self._typed():
                # Back at the greeting with words typed on the way: leaving breaks the
                # call off, so ask once, as Ctrl+G does.
                if not self._confirmed("escape", "Esc"):
                    return
                self.action_abandon(confirmed=True)
            else:
                # A wrong key, then Esc back to an untouched greeting: no call to log.
                self._withdraw()
        super().action_back()

    def _withdraw(self) -> None:
        try:
            with self.db.write() as session:
                calls.withdraw_call(session, self.call_id, by=self.staff_id)
        except ReceptionError as error:
            self.notify(str(error), severity="error")
            return
        self.call_id = None
        self.discard_draft()
        self._new_call()

    def _typed(self) -> bool:
        """Whether anything was typed during the call (a default filled in does not count)."""
        today = clock.today().isoformat()
        return any(isinstance(value, str) and value.strip()
                   and not (key == "book_day" and value == today)
                   for key, value in self.walk.values.items())

    def _confirmed(self, key: str, key_label: str) -> bool:
        """Breaking off a call with typed words takes the same key twice; the first press
        only warns (typing on, or any step, cancels it)."""
        if self._confirm_key == key:
            self._confirm_key = ""
            return True
        self._confirm_key = key
        warning = t("calls.confirm_abandon", key=key_label)
        self.query_one("#form-error", Static).update(Text(warning))
        self.notify(warning, severity="warning")
        return False

    def _cancel_confirm(self) -> None:
        if self._confirm_key:
            self._confirm_key = ""
            self.query_one("#form-error", Static).update("")

    def action_back_from_choices(self) -> None:
        # In a form, Backspace edits (Inputs take it) or does nothing (a drop-down): only
        # from the list of choices does it step the call back, like Esc.
        if not isinstance(self.focused, Select):
            self.action_back()

    def action_abandon(self, confirmed: bool = False) -> None:
        if not self.call_ended and not confirmed and self._typed() \
                and not self._confirmed("ctrl+g", "Ctrl+G"):
            return
        if not self.call_ended:
            try:
                with self.db.write() as session:
                    calls.abandon_call(session, self.call_id, path=self.walk.path,
                                       by=self.staff_id, started_at=self.started_at,
                                       detail=self._detail(), **self._call_fields())
            except ReceptionError as error:
                self.notify(str(error), severity="error")
                return
            self.notify(t("calls.abandoned"))
        self.discard_draft()
        self._new_call()

    def action_next_call(self) -> None:
        if self.call_ended:
            self._new_call()

    # --- drawing the current node -----------------------------------------------------

    def _show_node(self) -> None:
        node = self.walk.node
        self._confirm_key = ""
        values = self._values()
        self.query_one("#crumbs", Static).update(Text(self._crumbs(), style="dim"))
        words = node.words(values)
        instruction = node.instruction(values)
        self._words = (t("calls.say") + words if words else "",
                       t("calls.do") + instruction if instruction else "")
        self._draw_words()
        choices = self.query_one("#choices", OptionList)
        choices.display = node.kind in ("choice", "consultant") and not self.call_ended
        if node.kind == "choice":
            choices.set_options([Option(Text(f"{branch.key}  {branch.text()}"), id=branch.key)
                                 for branch in node.branches])
        elif node.kind == "consultant":
            self._show_consultants(choices)
        self.query_one("#fields").display = node.kind == "input"
        if node.kind == "input":
            self._show_field(node.field)
        self.query_one("#message-form").display = node.kind == "message"
        self.query_one("#book-form").display = node.kind == "book"
        self.set_class(node.kind in FORM_NODES, "-form")
        self.query_one("#form-hint").display = node.kind in FORM_NODES and not self.call_ended
        if node.kind == "message":
            self._prepare_message(node)
        elif node.kind == "book":
            self._prepare_booking()
        self.query_one("#form-error", Static).update("")
        ended = self.query_one("#ended", Static)
        ended.display = self.call_ended
        if self.call_ended:
            outcome = self.walk.outcome()
            label = t(f"calls.outcome.{outcome}")
            ended.update(Text(t("calls.ended", outcome=outcome if label.startswith("calls.")
                                else label), style="bold"))
        self.refresh_bindings()
        self.call_after_refresh(self._focus_node)

    def _draw_words(self) -> None:
        """The words to say and to do, broken into lines here (CJK punctuation never starts
        a line); before the first layout, as they are, and again once the width is known."""
        say_text, do_text = self._words
        say, do = self.query_one("#say", Static), self.query_one("#do", Static)
        width = say.size.width
        if not width:
            self.call_after_refresh(self._redraw_words_once)
        say.update(Text(_break_lines(say_text, width), style="bold"))
        do.update(Text(_break_lines(do_text, width)))

    def _redraw_words_once(self) -> None:
        if self.query_one("#say", Static).size.width:
            self._draw_words()

    def on_resize(self) -> None:
        self.call_after_refresh(self._redraw_words_once)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that mean nothing at this point of the call are hidden and do nothing."""
        kind = self.walk.node.kind
        if action == "save_form":
            return kind in FORM_NODES and not self.call_ended
        if action == "next_call":
            return self.call_ended
        if action == "pick":
            return kind in ("choice", "consultant") and not self.call_ended
        if action in ("relay", "toggle_mine"):
            # Listed by F1 everywhere, working only in the list (None: shown, disabled).
            return True if self.query_one("#message-list", DataTable).has_focus else None
        return True

    def _crumbs(self) -> str:
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

    def _show_consultants(self, choices: OptionList) -> None:
        with self.db.read() as session:
            self._consultants = calls.consultants_today(session)[:10]
        options = []
        # Names padded by display cells (a CJK character takes two), so the status column
        # lines up whatever the names' widths; a very long name is cut short.
        width = min(max((cell_len(c.name) for c in self._consultants), default=0),
                    PICK_NAME_CELLS)
        for position, consultant in enumerate(self._consultants):
            key = str((position + 1) % 10)
            line = Text(f"{key}  ")
            line.append(_pad_cells(consultant.name, width))
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

    def _show_field(self, field_name: str) -> None:
        box = self.query_one("#fields")
        for row in box.children:
            row.display = row.id == f"row-{field_name}"
        if not box.query(f"#field-{field_name}"):
            label = t(f"calls.field.{field_name}")
            row = Horizontal(Label(field_name if label.startswith("calls.") else label),
                             Input(value=str(self.walk.values.get(field_name) or ""),
                                   id=f"field-{field_name}", compact=True),
                             id=f"row-{field_name}", classes="form-row")
            box.mount(row)

    @property
    def _recipient_options(self) -> list[tuple[str, int]]:
        with self.db.read() as session:
            return [(f"{member.name} ({t('role.' + member.role)})", member.id)
                    for member in calls.recipients(session)]

    def _prepare_message(self, node: script.Node) -> None:
        values = self.walk.values
        recipient = self.query_one("#msg-recipient", Select)
        recipient.set_options(self._recipient_options)
        chosen = values.get("msg_recipient")
        if not chosen:
            if node.recipient == "boss":
                with self.db.read() as session:
                    boss = calls.boss(session)
                chosen = boss.id if boss else None
            elif node.recipient == "consultant":
                chosen = values.get("consultant_id")
        if chosen:
            recipient.value = chosen
        name = self.query_one("#msg-name", Input)
        if not name.value and values.get("surname"):
            name.value = values["surname"]
        matter = self.query_one("#msg-matter", Input)
        if not matter.value and values.get("matter"):
            matter.value = values["matter"]

    def _prepare_booking(self) -> None:
        with self.db.read() as session:
            consultants = calls.consultants_today(session)
        select = self.query_one("#book-consultant", Select)
        chosen = self.walk.values.get("book_consultant") or self.walk.values.get("consultant_id")
        select.set_options([(c.name, c.staff_id) for c in consultants])
        if chosen and any(c.staff_id == chosen for c in consultants):
            select.value = chosen
        day = self.query_one("#book-day", Input)
        if not day.value:
            day.value = clock.today().isoformat()

    def _focus_node(self) -> None:
        node = self.walk.node
        if self.call_ended:
            self.set_focus(None)
        elif node.kind in ("choice", "consultant"):
            self.query_one("#choices", OptionList).focus()
        elif node.kind == "input":
            found = self.query(f"#field-{node.field}")
            if found:
                found.first().focus()
        elif node.kind in FORM_NODES:
            fields = MESSAGE_FIELDS if node.kind == "message" else BOOK_FIELDS
            for field_id in fields:
                widget = self.query_one(f"#{field_id}")
                if isinstance(widget, Input) and not widget.value.strip():
                    widget.focus()
                    return
            self.query_one(f"#{fields[-1]}").focus()

    # --- drafts: a call in progress survives a quit -------------------------------------

    def draft_values(self) -> dict[str, Any]:
        if self.call_id is None or self.call_ended:
            return {}
        return {"call_id": self.call_id, "started_at": self.started_at.isoformat(),
                "walk": self.walk.state()}

    def apply_draft(self, values: dict[str, Any]) -> None:
        state = values.get("walk") or {}
        self.walk = script.Walk(self.walk.script, **state)
        self.call_id = values.get("call_id")
        self.call_ended = False
        for widget in self.query("#call-pane Input"):
            if widget.id and not widget.id.startswith("field-"):
                widget.value = str(self.walk.values.get(_value_key(widget.id)) or "")

    def _restore_draft(self) -> None:
        found = self.load_draft()
        if not found or not found.get("call_id"):
            return
        with self.db.read() as session:
            call = calls.get_call(session, found["call_id"])
        if call is None or call.ended_at is not None:
            self.discard_draft()
            return
        self.apply_draft(found)
        self.started_at = call.started_at
        self.notify(t("calls.resumed"))

    # --- messages to relay ------------------------------------------------------------

    def refresh_data(self) -> None:
        table = self.query_one("#message-list", MessageTable)
        selected = self._selected_message_id()
        with self.db.read() as session:
            rows = calls.unrelayed(session, recipient_id=self.staff_id if self.mine_only
                                   else None)
        table.clear()
        for row in rows:
            table.add_row(Text(clock.local(row.taken_at).format("MM-DD HH:mm")),
                          _cell(row.recipient, 10), _cell(row.caller_name, 10),
                          Text(phones.mask(row.phone)), _cell(row.matter, 24),
                          key=str(row.message_id))
        self._rows = {row.message_id: row for row in rows}
        title = "calls.list.mine" if self.mine_only else "calls.list.title"
        self.query_one("#messages-title", Static).update(
            Text(t(title, count=len(rows)), style="bold"))
        if selected is not None and selected in self._rows:
            table.move_cursor(row=table.get_row_index(str(selected)))
        self._show_message_detail()

    def _selected_message_id(self) -> int | None:
        table = self.query_one("#message-list", MessageTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value)

    def _show_message_detail(self) -> None:
        detail = self.query_one("#message-detail", Static)
        message_id = self._selected_message_id()
        row = self._rows.get(message_id)
        if row is None:
            detail.update(Text(t("calls.list.hint", list=KEY_MESSAGES, relay=KEY_RELAY,
                                 mine=KEY_MINE), style="dim"))
            return
        line = Text()
        line.append(row.caller_name + " ", style="bold")
        line.append(row.phone + " · ")
        line.append(row.matter)
        detail.update(line)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_message_detail()

    def action_messages(self) -> None:
        self.query_one("#message-list", MessageTable).focus()

    def action_toggle_mine(self) -> None:
        self.mine_only = not self.mine_only
        self.refresh_data()

    def action_relay(self) -> None:
        message_id = self._selected_message_id()
        if message_id is None:
            self.app.bell()
            return
        row = self._rows.get(message_id)
        try:
            with self.db.write() as session:
                calls.mark_relayed(session, message_id, by=self.staff_id)
        except ReceptionError as error:
            self.notify(str(error), severity="error")
        else:
            caller = (row.caller_name or phones.mask(row.phone)) if row else ""
            self.notify(t("calls.message.relayed", caller=_cell(caller, 20).plain or "…",
                          recipient=row.recipient if row else ""), markup=False)
        self.refresh_data()

    # --- jumping here from the night check --------------------------------------------

    def show_record(self, record_type: str, record_id: int) -> None:
        """Show a message (or a call) the night check points at."""
        self._pending_record = (record_type, int(record_id))
        if self.is_mounted:
            self.call_after_refresh(self._apply_pending_record)

    def _apply_pending_record(self) -> None:
        if self._pending_record is None:
            return
        record_type, record_id = self._pending_record
        self._pending_record = None
        detail = self.query_one("#message-detail", Static)
        if record_type == "message":
            with self.db.read() as session:
                row = calls.message_row(session, record_id)
            if row is None:
                self.notify(t("calls.message.not_found"), severity="warning")
                return
            if row.relayed_at is not None:
                self.notify(t("calls.message.already_relayed"))
                return
            if self.mine_only and row.recipient_id != self.staff_id:
                self.mine_only = False
            self.refresh_data()
            table = self.query_one("#message-list", MessageTable)
            if str(record_id) in {key.value for key in table.rows}:
                table.move_cursor(row=table.get_row_index(str(record_id)))
            table.focus()
            # The script pane may have asked for the focus on this same refresh.
            self.call_after_refresh(table.focus)
            self._show_message_detail()
        elif record_type == "call":
            with self.db.read() as session:
                call = calls.get_call(session, record_id)
            if call is None:
                self.notify(t("calls.not_found"), severity="warning")
                return
            outcome = t(f"calls.outcome.{call.outcome}") if call.outcome else "…"
            line = Text(f"{clock.local(call.started_at).format('MM-DD HH:mm')}  {outcome}  ")
            line.append(" › ".join(calls.call_path(call)), style="dim")
            if call.caller_name:
                line.append("  " + call.caller_name)
            detail.update(line)
