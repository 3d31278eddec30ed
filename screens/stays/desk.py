"""At the desk: check-in with the balance and the deposit (§4.6.2), a department's
confirmation of the check-in notice (§4.5.1), the day's visit of the first week (§4.6.3).
"""

from rich.text import Text
from textual.widgets import Static

from reception import stays
from reception.i18n import t
from reception.stay_values import yuan
from reception.stay_views import check_in_values
from screens.form import Field, FormScreen
from screens.widgets.text import literal


def method_options(methods) -> list[tuple[str, str]]:
    return [(t(f"stays.method.{method}"), method) for method in methods]


class CheckInForm(FormScreen[stays.CheckedIn]):
    FORM = "stays.check_in"
    TITLE_KEY = "stays.check_in_title"
    HINT_KEY = "stays.check_in_hint"
    FIELDS = (
        Field("room", "stays.field.room", max_length=40),
        Field("balance", "stays.field.balance", max_length=14),
        Field("balance_method", "stays.field.balance_method", kind="select",
              options=lambda: method_options(stays.METHODS)),
        Field("deposit", "stays.field.deposit", max_length=14),
        Field("deposit_method", "stays.field.deposit_method", kind="select",
              options=lambda: method_options(stays.DEPOSIT_METHODS)),
    )

    def __init__(self, summary) -> None:
        values = check_in_values(summary)
        values["deposit_method"] = "cash"
        super().__init__(record_id=summary.contract_id, values=values)
        self.summary = summary

    def compose_intro(self):
        found = self.summary
        yield Static(literal(t("stays.summary", number=found.number, name=found.name,
                                room=found.room or "—", balance=yuan(found.balance_due))))
        if found.special:
            yield Static(literal(t("stays.special", text=found.special)))

    def submit(self, session, values: dict) -> stays.CheckedIn:
        clean = {key: value or "" for key, value in values.items()}
        return stays.check_in(session, self.record_id, clean, by=self.staff_id)

    def saved(self, result: stays.CheckedIn) -> None:
        self.notify(t("stays.checked_in", name=self.summary.name, room=result.room,
                      receipts=" ".join(result.receipts)))
        self.dismiss(result)


class ConfirmForm(FormScreen[int]):
    FORM = "stays.confirm"
    TITLE_KEY = "stays.confirm_title"
    FIELDS = (
        Field("department", "stays.field.department", kind="select",
              options=lambda: [(t(f"stays.dept.{dept}"), dept) for dept in stays.DEPARTMENTS]),
        Field("signed_by", "stays.field.signed_by", max_length=100),
    )

    def __init__(self, summary, notice: stays.Notice) -> None:
        missing = notice.missing
        super().__init__(record_id=summary.contract_id,
                         values={"department": missing[0] if missing else None})
        self.notice = notice

    def compose_intro(self):
        shown = self.notice
        yield Static(literal(t("stays.notice", name=shown.name, phone=shown.phone,
                                number=shown.number, hospital=shown.hospital or "—",
                                room=shown.room or "—",
                                day=shown.arrival_day.isoformat() if shown.arrival_day
                                else "—")))
        if shown.vouchers or shown.extras:
            yield Static(literal(t("stays.notice_extras", vouchers=shown.vouchers or "—",
                                    extras=shown.extras or "—")))
        done = Text()
        for dept in stays.DEPARTMENTS:
            signed = shown.confirmed.get(dept)
            done.append(("✓ " if signed else "· ") + t(f"stays.dept.{dept}"),
                        style="green" if signed else "bold")
            done.append("  ")
        yield Static(done)

    def focus_first(self) -> None:
        self.field("signed_by").focus()

    def submit(self, session, values: dict) -> int:
        return stays.confirm(session, self.record_id, values.get("department") or "",
                             values.get("signed_by") or "", by=self.staff_id).id

    def saved(self, result) -> None:
        self.notify(t("stays.confirmed"))
        self.dismiss(result)


class ExplainForm(FormScreen[int]):
    FORM = "stays.explain"
    TITLE_KEY = "stays.explain_title"
    FIELDS = (Field("note", "stays.field.reason", max_length=500),)

    def __init__(self, summary) -> None:
        super().__init__(record_id=summary.contract_id)
        self.summary = summary

    def compose_intro(self):
        yield Static(literal(f"{self.summary.number} {self.summary.name}"))

    def submit(self, session, values: dict) -> int:
        stays.explain_absence(session, self.record_id, values.get("note") or "",
                              by=self.staff_id)
        return self.record_id

    def saved(self, result) -> None:
        self.notify(t("stays.explained"))
        self.dismiss(result)


class VisitForm(FormScreen[int]):
    FORM = "stays.visit"
    TITLE_KEY = "stays.visit_title"
    FIELDS = (
        Field("day_no", "stays.field.day_no", max_length=1),
        Field("note", "stays.field.note", max_length=1000),
    )

    def __init__(self, summary, checklist: list[stays.VisitDay]) -> None:
        first_open = next((day.day_no for day in checklist if day.done_at is None), None)
        today_no = summary.visit_day or first_open or 1
        super().__init__(record_id=summary.contract_id, values={"day_no": str(today_no)})
        self.summary, self.checklist = summary, checklist

    def compose_intro(self):
        yield Static(literal(f"{self.summary.room} {self.summary.name}"))
        lines = Text()
        for day in self.checklist:
            mark = "✓" if day.done_at else "·"
            lines.append(f"{mark} ", style="green" if day.done_at else "")
            lines.append(t(f"stays.visit.{day.day_no}")[:70] + "\n",
                         style="bold" if day.day_no == self.summary.visit_day else "")
        yield Static(lines)

    def focus_first(self) -> None:
        self.field("note").focus()

    def submit(self, session, values: dict) -> int:
        from reception.stay_values import whole

        day_no = whole(values.get("day_no") or "", "day_no", 1, stays.VISIT_DAYS)
        return stays.mark_visit(session, self.record_id, day_no, values.get("note") or "",
                                by=self.staff_id).id

    def saved(self, result) -> None:
        self.notify(t("stays.visited"))
        self.dismiss(result)
