"""The drafts of a form (``FormScreen``): kept as it is typed, on Escape, a quit or a hang-up.

A draft is saved 0.4 s after typing stops, through the store's writer (in a file when the
store cannot take it), under the form's key ``area.form[.record]``. A form left untouched
keeps none; a PIN is never in one. Ctrl+D goes back to how the form opened (the typing is
kept in memory for Ctrl+R); Ctrl+R puts a kept draft back.
"""

from typing import Any

from reception import draft_files, drafts
from reception.errors import ReceptionError
from reception.i18n import t

DRAFT_DELAY = 0.4


class FormDrafts:
    """Mixin of ``FormScreen``: everything about its draft."""

    def draft_context(self) -> dict[str, Any]:
        """What a restored draft needs besides its fields (kept as ``_context``)."""
        return {}

    def draft_values(self) -> dict[str, Any]:
        secret = {field.id for field in self.FIELDS if field.kind == "pin"}
        return {key: value for key, value in self.values().items() if key not in secret}

    def _schedule_draft(self) -> None:
        self._stop_draft_timer()
        self.draft_timer = self.set_timer(DRAFT_DELAY, self.save_draft_now)

    def _stop_draft_timer(self) -> None:
        if self.draft_timer is not None:
            self.draft_timer.stop()
            self.draft_timer = None

    def save_draft_now(self) -> bool:
        """Keep what was typed (Escape, quit, hang-up); True when a draft is kept."""
        self._stop_draft_timer()
        if self.is_closing or not self.is_attached:
            return False
        values = self.draft_values()
        baseline = {key: self.baseline.get(key) for key in values}
        if values == baseline:
            return self.kept_values is not None  # nothing typed since it opened
        if not any(value not in ("", None) for value in values.values()):
            self.app.store.forget_draft(self.draft_key, owner_id=self.staff_id)
            return False
        context = self.draft_context()
        if context:
            values["_context"] = context
        self.app.store.save_draft(self.draft_key, values, owner_id=self.staff_id)
        return True

    def action_close(self) -> None:
        if self.save_draft_now():
            self.notify(t("draft.kept"))
        self.is_closing = True
        self.dismiss(None)

    def action_discard_draft(self) -> None:
        self._stop_draft_timer()
        if self.kept_values is None:
            typed = self.draft_values()
            if any(value not in ("", None) for value in typed.values()):
                self.kept_values = typed
        self.app.store.forget_draft(self.draft_key, owner_id=self.staff_id)
        self.fill(self.initial)
        self.baseline = {**self.initial}
        self.clear_errors()
        self.focus_first()  # cleared for the next one: the cursor where typing starts
        self.notify(t("form.cleared"))

    def action_restore_draft(self) -> None:
        kept = self.kept_values or self.kept_draft(self.app, self.draft_key)
        if not kept:
            self.notify(t("form.no_draft"))
            return
        kept = dict(kept)
        self.restored_context = kept.pop("_context", None) or self.restored_context
        self.fill(kept)
        self._schedule_draft()
        self.notify(t("form.draft_restored"))

    @staticmethod
    def kept_draft(app, draft_key: str) -> dict[str, Any] | None:
        """A kept draft of ``draft_key`` for the signed-in staff member (file first)."""
        owner_id = app.staff.id if app.staff else None
        values = draft_files.load(str(app.db.path), draft_key, owner_id=owner_id)
        if values:
            return values
        try:
            with app.db.read() as session:
                return drafts.load(session, draft_key, owner_id=owner_id)
        except ReceptionError:
            return None

