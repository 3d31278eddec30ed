"""The two forms of a call: "call back later at …" and the four-question survey.

Each opens over the list for one callback, keeps its draft under that callback
(``callbacks.attempt.<id>``, ``callbacks.survey.<id>``) and returns what was recorded
(``shared.Attempted``) for the list's notice; None when left with Escape.
"""

from typing import Any

from reception import callbacks
from reception.callbacks import QUESTIONS, Answer, CallOutcome, Entry
from reception.i18n import t
from screens.callbacks.shared import Attempted, attempted
from screens.form import Field, FormScreen

SCORE_IDS = tuple(f"{prefix}-score" for prefix, _key in QUESTIONS)


def _title(entry: Entry, *, consultant: bool) -> str:
    title = f"{entry.customer_name}  {entry.phone}"
    if consultant and entry.consultant_name:
        title += "  · " + t("callbacks.labelled", label=t("callbacks.col.consultant"),
                            value=entry.consultant_name)
    return title


class LaterForm(FormScreen[Attempted]):
    """The customer asked to be called back at a time (within opening hours)."""

    FORM = "callbacks.attempt"
    TITLE_KEY = "callbacks.outcome.later"
    HINT_KEY = "callbacks.later.prompt"
    FIELDS = (Field("later-time", "callbacks.later.time", max_length=20,
                    placeholder="callbacks.later.placeholder"),)
    ERROR_FIELDS = {"call_back_at": "later-time"}

    def __init__(self, entry: Entry) -> None:
        super().__init__(record_id=entry.callback_id)
        self.entry = entry

    def title_text(self) -> str:
        return t("callbacks.labelled", label=t(self.TITLE_KEY),
                 value=_title(self.entry, consultant=False))

    def submit(self, session, values: dict[str, Any]) -> Attempted:
        when = callbacks.parse_later(values["later-time"])
        callbacks.record_attempt(session, self.record_id, CallOutcome.LATER,
                                 by=self.staff_id, call_back_at=when)
        return attempted(callbacks.get_entry(session, self.record_id), CallOutcome.LATER)


def _survey_fields() -> tuple[Field, ...]:
    fields = []
    for prefix, key in QUESTIONS:
        fields.append(Field(f"{prefix}-score", key, max_length=1, restrict=r"[1-5]?",
                            placeholder="callbacks.survey.score"))
        fields.append(Field(f"{prefix}-text", "callbacks.survey.text"))
    return tuple(fields)


class SurveyForm(FormScreen[Attempted]):
    """Seed 002 §20: the four questions, each a score 1–5 and remarks.

    Enter on a question left unscored goes on to its remarks and says so (a score typed
    there would be a remark); remarks without any score are asked about once.
    """

    FORM = "callbacks.survey"
    TITLE_KEY = "callbacks.survey.title"
    HINT_KEY = "callbacks.survey.hint"
    FIELDS = _survey_fields()
    ERROR_FIELDS = {prefix: f"{prefix}-score" for prefix, _key in QUESTIONS}

    def __init__(self, entry: Entry) -> None:
        super().__init__(record_id=entry.callback_id)
        self.entry = entry
        self.unscored_asked = False

    def after_mount(self) -> None:
        for field_id in SCORE_IDS:
            self.field(field_id).add_class("score")

    def title_text(self) -> str:
        return _title(self.entry, consultant=True)

    def next_or_save(self, node) -> None:
        if node.id in SCORE_IDS and not node.value.strip():
            self.show_error(node.id, t("callbacks.survey.score_or_tab"))
        super().next_or_save(node)

    def answers(self, values: dict[str, Any]) -> dict[str, Answer]:
        answers = {}
        for prefix, _key in QUESTIONS:
            score = values[f"{prefix}-score"].strip()
            answers[prefix] = Answer(int(score) if score.isdigit() else None,
                                     values[f"{prefix}-text"])
        return answers

    def action_save(self) -> None:
        if self.is_saving or self.is_closing:
            return
        answers = self.answers(self.values()).values()
        if (not self.unscored_asked and all(answer.score is None for answer in answers)
                and any(answer.text.strip() for answer in answers)):
            # Remarks without a single score: a score typed into a remarks box, most likely.
            self.unscored_asked = True
            self.show_problem(t("callbacks.survey.no_scores"))
            self.set_focus(self.field(SCORE_IDS[0]))
            return
        super().action_save()

    def submit(self, session, values: dict[str, Any]) -> Attempted:
        callbacks.record_survey(session, self.record_id, self.answers(values),
                                by=self.staff_id)
        return attempted(callbacks.get_entry(session, self.record_id), CallOutcome.REACHED)
