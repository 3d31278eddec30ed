"""The forms a call opens over itself (``screens.calls.forms``): what each one starts
with, taken from what the call already knows, and what the call does with the answer —
on to the next step, one step back (Escape), or the call broken off (Ctrl+G)."""

from typing import Any

from reception import calls, script
from reception.clock import clock
from reception.i18n import t
from screens.calls.forms import ABANDON, BookingForm, CallForm, MessageForm, input_form

#: Where a form's fields are kept in the walk (so stepping back and on keeps them).
WALK_PREFIX = {"message": "msg_", "book": "book_"}


class FormsOverCall:
    """Mixin of the call screen."""

    #: The form open over the call, if any.
    form: CallForm | None = None

    def open_form_if_closed(self) -> None:
        if self.form is None and self in self.app.screen_stack:
            self.open_form()

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
