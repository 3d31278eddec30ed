"""Every F7 form opens at 80×24 in both languages with its title, its first fields and
the summary it works on; Escape goes back to the board."""

import pytest

from reception import i18n
from screens.stays import StaysScreen
from tests.helpers.pilot import screen_text, settle
from tests.ui.stays.helpers import arrive_today, check_in, open_stays, rooms, sign

#: key on the board → (title key, label keys that must show)
FORMS_SIGNED = {
    "n": ("stays.contract_title", ("stays.field.number", "stays.field.id_number")),
    "a": ("stays.archive_title", ("stays.field.due_day", "stays.field.delivery_mode")),
    "i": ("stays.check_in_title", ("stays.field.balance", "stays.field.deposit_method")),
    "c": ("stays.confirm_title", ("stays.field.department", "stays.field.signed_by",
                                  "stays.dept.kitchen")),
}
FORMS_STAYING = {
    "v": ("stays.visit_title", ("stays.field.day_no", "stays.visit.3")),
    "r": ("stays.request_title", ("stays.field.kind", "stays.field.department")),
    "o": ("stays.check_out_title", ("stays.field.lost_cards", "stays.field.survey_score")),
}


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_each_form_in_each_language(make_app, db, team, language):
    rooms(db, team)
    signed = sign(db, team)
    arrive_today(db, team, signed)
    staying = sign(db, team, number="YZ-2026-002", phone="13800003333", name="赵敏",
                   room="602")
    arrive_today(db, team, staying)
    check_in(db, team, staying, room="602")
    i18n.set_language(language)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stays(app, pilot)
        for row, forms in ((0, FORMS_SIGNED), (1, FORMS_STAYING)):
            for key, (title, labels) in forms.items():
                screen.query_one("#contracts").move_cursor(row=row)
                await pilot.press(key)
                await settle(pilot)
                text = screen_text(app)
                assert i18n.t(title) in text.splitlines()[0], key
                for label in labels:
                    assert i18n.t(label)[:12] in text, (key, label)
                if key != "n":
                    assert ("王小红" if row == 0 else "赵敏") in text, key
                await pilot.press("escape")
                await settle(pilot)
                assert isinstance(app.screen, StaysScreen)
