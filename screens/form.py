"""One form mechanism: a form is a screen declared by its fields.

Every form gets the same keys — Enter (next field; saves from the last), Ctrl+S (save),
Escape (keep a draft and close), Ctrl+R / Ctrl+D (put the draft back / drop it), ↑/↓ —,
field errors (under the field, the cursor put there) and drafts (``area.form[.record]``,
through the store's writer, in a file when the store cannot take them). A form saves in
one transaction on the writer thread (``submit``): typing never freezes, nothing is
half-saved.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from reception import drafts
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from screens.form_drafts import FormDrafts
from screens.keyroute import Routed
from screens.lifecycle import StyledOnce
from screens.widgets.fields import RoutedInput, RoutedSelect, RoutedTextArea
from screens.widgets.footer import KeyFooter
from screens.widgets.status import StatusLine
from screens.widgets.text import literal, update_if_changed

ResultType = TypeVar("ResultType")


@dataclass(frozen=True)
class Field:
    """One field of a form: its id (the key in ``values()``), its label, its widget."""

    id: str
    label: str
    kind: str = "text"  # text | pin | select | area
    options: Callable[[], list[tuple[str, Any]]] | None = None
    suggest: Callable[[], list[str]] | None = None
    max_length: int = 0
    replace_on_focus: bool = False
    placeholder: str = ""  # a catalogue key (or text), translated when shown
    #: A regular expression the whole value must match while typing (Input's ``restrict``).
    restrict: str = ""


def say_on(line: Static, message: str) -> bool:
    """Show ``message`` on a line under a field (empty: hide it); True when shown. Each key
    typed clears its field's line: set only when it changes, it is not laid out again."""
    update_if_changed(line, literal(message))
    line.set_class(bool(message), "-shown")
    return bool(message)


class FormScreen(FormDrafts, StyledOnce, Routed, ModalScreen[ResultType], Generic[ResultType]):
    FORM: ClassVar[str] = ""
    TITLE_KEY: ClassVar[str] = ""
    HINT_KEY: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[Field, ...]] = ()
    #: A domain ValidationError's field → this form's field id, where the names differ.
    ERROR_FIELDS: ClassVar[dict[str, str]] = {}
    # Opaque: a form fills the screen and hides what it opened over anyway; a modal's
    # default see-through background makes Textual draw and dim that screen at every redraw.
    DEFAULT_CSS = """
    FormScreen { align: center top; background: $background; }
    FormScreen .form-row { height: auto; }
    FormScreen > #form-body { height: 1fr; padding: 0 1; }
    FormScreen .form-row > Label { width: 16; padding: 0 1 0 0; }
    FormScreen .form-row > Input, FormScreen .form-row > Select { width: 1fr; }
    FormScreen .form-row > TextArea { width: 1fr; height: 4; }
    FormScreen .field-error { color: $error; display: none; padding: 0 0 0 16; }
    FormScreen .field-error.-shown { display: block; } FormScreen #form-problem { padding: 0; }
    FormScreen .form-title { text-style: bold; padding: 0 1; }
    FormScreen .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "form.key.save", id="form.save"),
        Binding("escape", "close", "form.key.close", id="form.close"),
        Binding("ctrl+r", "restore_draft", "draft.restore", id="form.restore", show=False),
        Binding("ctrl+d", "discard_draft", "draft.discard", id="form.discard", show=False),
        Binding("f1", "app.help", "key.help", id="form.help", show=False),
    ]

    def __init__(self, *, record_id: int | None = None, values: dict[str, Any] | None = None,
                 restore: bool = True) -> None:
        super().__init__()
        self.record_id = record_id
        self.draft_key = f"{self.FORM}.{record_id}" if record_id is not None else self.FORM
        self.initial = {field.id: "" for field in self.FIELDS if field.kind != "select"}
        self.initial.update(values or {})
        self.restore = restore
        self.restored_context: dict[str, Any] | None = None
        self.kept_values: dict[str, Any] | None = None  # the draft (for Ctrl+R after Ctrl+D)
        self.baseline: dict[str, Any] = {}
        self.draft_timer = None
        self.is_saving = False
        self.is_closing = False
        self.submitted: dict[str, Any] = {}  # the values of the last save

    # --- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self.TITLE_KEY:
            yield Static(literal(self.title_text()), classes="form-title")
        with VerticalScroll(id="form-body", can_focus=False):  # Tab goes field to field
            yield from self.compose_intro()
            for field in self.FIELDS:
                with Horizontal(classes="form-row", id=f"row-{field.id}"):
                    yield Label(literal(t(field.label)))
                    yield self.make_widget(field)
                yield Static(id=f"{field.id}-error", classes="field-error")
            yield Static(id="form-problem", classes="field-error")
            if self.HINT_KEY:
                yield Static(literal(t(self.HINT_KEY)), classes="hint")
            yield from self.compose_outro()
        yield StatusLine()
        yield KeyFooter()

    def title_text(self) -> str:
        return t(self.TITLE_KEY)

    def compose_intro(self) -> ComposeResult:
        yield from ()

    def compose_outro(self) -> ComposeResult:
        yield from ()

    def make_widget(self, field: Field) -> Widget:
        if field.kind == "select":
            options = field.options() if field.options else []
            return RoutedSelect(options, id=field.id, compact=True,
                                prompt=t(field.placeholder or "form.choose"))
        if field.kind == "area":
            return RoutedTextArea(id=field.id, soft_wrap=True)
        suggester = None
        if field.suggest is not None:
            suggester = SuggestFromList(field.suggest(), case_sensitive=False)
        widget = RoutedInput(id=field.id, compact=True, password=field.kind == "pin",
                             max_length=field.max_length, suggester=suggester,
                             placeholder=t(field.placeholder) if field.placeholder else "",
                             restrict=field.restrict or None)
        widget.select_on_focus = field.replace_on_focus
        return widget

    def on_mount(self) -> None:
        self.fill(self.initial)
        values = self.kept_draft(self.app, self.draft_key) if self.restore else None
        if values:
            self.restored_context = values.pop("_context", None) or {}
            self.kept_values = values
            self.fill(values)
            self.notify(t("form.draft_restored"), timeout=6)
        self.baseline = self.values()
        self.focus_first()
        self.app.update_status_line()
        self.after_mount()

    def after_mount(self) -> None:
        """A form's own start, once its fields are filled and the cursor placed.

        Textual calls the ``on_mount`` of every class of a screen, the subclass's first: a
        form's own ``on_mount`` is for what comes before this base's, and never calls
        ``super().on_mount()`` (that ran the base twice)."""

    def focus_first(self) -> None:
        """The cursor starts at the first field still empty (or the first field)."""
        values = self.values()
        empty = [field.id for field in self.FIELDS if values.get(field.id) in ("", None)]
        if empty or self.FIELDS:
            self.put_cursor(self.field(empty[0] if empty else self.FIELDS[0].id))

    def put_cursor(self, widget: Widget) -> None:
        """Focus a field at once; a field offering a value to replace has it selected
        (even when it already had the focus before its value was filled in)."""
        self.set_focus(widget)
        if isinstance(widget, Input) and widget.select_on_focus:
            widget.select_all()

    # --- fields ----------------------------------------------------------------------

    def field(self, field_id: str) -> Widget:
        return self.query_one(f"#{field_id}")

    def field_ids(self) -> list[str]:
        return [field.id for field in self.FIELDS]

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in self.FIELDS:
            widget = self.field(field.id)
            if isinstance(widget, Select):
                values[field.id] = None if widget.is_blank() else widget.value
            elif isinstance(widget, TextArea):
                values[field.id] = widget.text
            else:
                values[field.id] = widget.value
        return values

    def fill(self, values: dict[str, Any]) -> None:
        """Put values in the fields (not typing: no draft, no error cleared)."""
        with self.prevent(Input.Changed, Select.Changed, TextArea.Changed):
            for field_id, value in values.items():
                if field_id not in self.field_ids():
                    continue
                widget = self.field(field_id)
                if isinstance(widget, Select):
                    if value is None:
                        widget.clear()
                    else:
                        widget.value = value
                elif isinstance(widget, TextArea):
                    widget.text = value or ""
                else:
                    widget.value = "" if value is None else str(value)

    def show_error(self, field_id: str, error: ReceptionError | str | None) -> None:
        line = self.query_one(f"#{field_id}-error", Static)
        message = "" if error is None else str(error)
        if say_on(line, message):  # a long form: the message is scrolled into view too
            self.call_after_refresh(line.scroll_visible, animate=False)

    def show_problem(self, message: str | ReceptionError | None) -> None:
        say_on(self.query_one("#form-problem", Static), "" if message is None else str(message))

    def clear_errors(self) -> None:
        for field_id in self.field_ids():
            self.show_error(field_id, None)
        self.show_problem(None)

    def on_field_changed(self, field_id: str, value: Any) -> None:
        """A field was typed into (UI thread): live checks go here."""

    def _changed(self, widget: Widget) -> None:
        if widget.id not in self.field_ids():
            return
        value = self.values()[widget.id]
        if self.submitted.get(widget.id, self) != value:  # not a burst's late echo
            self.show_error(widget.id, None)
        self.on_field_changed(widget.id, value)
        self._schedule_draft()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._changed(event.input)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._changed(event.text_area)

    def on_select_changed(self, event: Select.Changed) -> None:
        self._changed(event.select)
        if event.select.has_focus:
            self.focus_next()  # a choice made: on to the next field

    # --- keys ------------------------------------------------------------------------

    async def key_now(self, node, key: str) -> bool:
        """The form's own keys, before the field's (Ctrl+D is not delete-right here)."""
        if key == "ctrl+s":
            self.action_save()
        elif key == "ctrl+d":
            self.action_discard_draft()
        elif key == "ctrl+r":
            self.action_restore_draft()
        elif key == "escape":
            self.action_close()
        elif isinstance(node, Input) and key in ("enter", "tab"):
            if node.suggester is not None and node.cursor_position == len(node.value):
                node.action_cursor_right()  # take what the field suggests
            if key == "tab":
                self.focus_next()
            else:
                self.next_or_save(node)
        elif isinstance(node, Select) and key == "enter":
            self.next_or_save(node)  # closed: on to the next field (↓ or Space opens it)
        elif isinstance(node, Input) and key in ("down", "up"):
            self.focus_next() if key == "down" else self.focus_previous()
        else:
            return False
        return True

    def next_or_save(self, node: Widget) -> None:
        ids = self.field_ids()
        if node.id not in ids or node.id == ids[-1]:
            self.action_save()
        else:
            # At once (``Widget.focus`` waits for the next turn): the keys typed after
            # this Enter go to the next field, not this one.
            self.set_focus(self.field(ids[ids.index(node.id) + 1]))

    # --- saving ------------------------------------------------------------------------

    def submit(self, session, values: dict[str, Any]) -> Any:
        """Write what the form says (writer thread, one transaction); raise to refuse."""
        raise NotImplementedError

    def saved(self, result: Any) -> None:
        """Saved (UI thread): by default the form closes with the result."""
        self.dismiss(result)

    def action_save(self) -> None:
        if self.is_saving or self.is_closing:
            return
        self._stop_draft_timer()
        self.is_saving = True
        self.clear_errors()
        values = self.submitted = self.values()
        draft_key, owner_id = self.draft_key, self.staff_id

        def work(session):
            result = self.submit(session, values)
            drafts.discard(session, draft_key, owner_id=owner_id)
            return result

        self.app.store.write(work, done=self._saved, failed=self._refused)

    def _saved(self, result: Any) -> None:
        self.is_saving = False
        self.is_closing = True
        self.app.store.forget_draft(self.draft_key, owner_id=self.staff_id)
        self.saved(result)

    def _refused(self, error: ReceptionError) -> None:
        self.is_saving = False
        if not self.is_attached:
            return
        if isinstance(error, ValidationError):
            field_id = self.ERROR_FIELDS.get(error.field, error.field)
            if field_id in self.field_ids():
                self.show_error(field_id, error)
                self.field(field_id).focus()
                return
        self.show_problem(error)
        if self.app.store.problem is not None or self.app.store.busy_since is not None:
            self.save_draft_now()  # the store did not take it: the typing is kept aside

    # --- what every screen has ---------------------------------------------------------

    @property
    def db(self):
        return self.app.db

    @property
    def staff_id(self) -> int | None:
        return self.app.staff.id if self.app.staff else None
