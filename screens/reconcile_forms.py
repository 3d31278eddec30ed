"""The night check's forms: the paper register's counts, another day, the reason to reopen.

Each is pushed over the night check (``screens/reconcile.py``) and returns to it; the
counts and the reopening are written by the store's writer in one transaction.
"""

from datetime import date
from typing import Any

from textual.widgets import Static

from reception import days, reconcile
from reception.errors import ValidationError
from reception.i18n import t
from screens.form import Field, FormScreen
from screens.widgets.text import literal


def offer_whole(form: FormScreen, field_id: str) -> None:
    """The cursor in ``field_id`` with its value selected: typing replaces it. (The screen
    may have put the focus there before the value was filled: select it once it is, unless
    a key typed meanwhile has already replaced it.)"""
    widget = form.field(field_id)
    widget.focus()
    widget.select_all()
    offered = widget.value

    def again_unless_typed() -> None:
        if widget.value == offered:
            widget.select_all()

    form.call_after_refresh(again_unless_typed)


class PaperCountsForm(FormScreen[dict]):
    """The six counts copied from the paper register, each beside what the records say.
    A count is offered whole (typing replaces it); an empty one clears it."""

    FORM = "reconcile.paper"
    TITLE_KEY = "reconcile.paper_title"
    HINT_KEY = "reconcile.paper_hint"
    FIELDS = tuple(Field(name, f"reconcile.count.{name}", max_length=7, replace_on_focus=True)
                   for name in reconcile.PAPER_COUNT_NAMES)

    def __init__(self, report: reconcile.DayReport, start: str) -> None:
        values = {name: "" if report.paper.get(name) is None else str(report.paper[name])
                  for name in reconcile.PAPER_COUNT_NAMES}
        super().__init__(record_id=report.day.isoformat(), values=values)
        self.report = report
        self.start = start

    def title_text(self) -> str:
        return t(self.TITLE_KEY, day=self.report.day.isoformat())

    def after_mount(self) -> None:
        for name in reconcile.PAPER_COUNT_NAMES:
            records = t("reconcile.records_n", n=self.report.counts.total(name))
            self.query_one(f"#row-{name}").mount(Static(literal(records), classes="unit"))

    def focus_first(self) -> None:
        offer_whole(self, self.start)

    def submit(self, session, values: dict[str, Any]) -> dict:
        changed = {name: value for name, value in values.items()
                   if value.strip() != (self.initial.get(name) or "").strip()}
        for name, value in changed.items():
            try:
                reconcile.set_paper_count(session, self.report.day, name, value,
                                          by=self.staff_id)
            except ValidationError as error:
                error.field = name  # under the count it is about
                raise
        return changed


class DayForm(FormScreen[date]):
    """Which day the night check shows (nothing is written)."""

    FORM = "reconcile.day"
    TITLE_KEY = "reconcile.date_title"
    HINT_KEY = "reconcile.date_hint"
    FIELDS = (Field("day", "reconcile.field.day", max_length=10, replace_on_focus=True),)

    def __init__(self, day: date) -> None:
        super().__init__(values={"day": day.isoformat()}, restore=False)

    def on_mount(self) -> None:
        self.field("day").restrict = r"[0-9-]*"

    def focus_first(self) -> None:
        offer_whole(self, "day")

    def submit(self, session, values: dict[str, Any]) -> date:
        return reconcile.parse_day(values["day"])

    def save_draft_now(self) -> bool:
        """A day being looked for is not a draft."""
        return False


class ReopenForm(FormScreen[date]):
    """A manager reopens a signed-off day, giving the reason (kept with the day)."""

    FORM = "reconcile.reopen"
    TITLE_KEY = "reconcile.reopen_title"
    FIELDS = (Field("reason", "reconcile.field.reason", max_length=500),)

    def __init__(self, day: date) -> None:
        super().__init__(record_id=day.isoformat())
        self.day = day

    def title_text(self) -> str:
        return t(self.TITLE_KEY, day=self.day.isoformat())

    def submit(self, session, values: dict[str, Any]) -> date:
        days.reopen(session, self.day, by=self.staff_id, reason=values["reason"])
        return self.day

    def saved(self, result: date) -> None:
        self.notify(t("reconcile.reopened_done", day=result.isoformat()))
        self.dismiss(result)
