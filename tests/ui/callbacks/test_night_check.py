"""From the night check (F6) to F5: Enter on "callback not attempted" lands on that callback."""

from datetime import timedelta

from models import Callback, CallbackRule
from reception.clock import clock
from screens.callbacks import CallbacksScreen
from screens.reconcile import ReconcileScreen
from tests.conftest import today
from tests.helpers.pilot import settle
from tests.ui.callbacks.common import press, static_text
from tests.unit.test_reconcile import add_customer

HOSTILE = "[red]x[/red] 🙂 {key} {0} \x1b[2J"


async def test_jump_from_the_night_check_lands_on_the_callback(make_app, team, db):
    """Enter on 'callback not attempted: C' opened F5 with the cursor on the first row,
    not on the record the finding was about."""
    by = team.receptionist.id
    with db.write() as session:
        rule = CallbackRule(name="次日回访", event="first_visit", created_at=clock.now_utc())
        session.add(rule)
        for name in ("甲", "乙", "丙" + HOSTILE):
            customer = add_customer(session, by, name=name)
            session.add(Callback(customer_id=customer.id, rule_id=rule.id,
                                 event_day=today() - timedelta(days=1), due_day=today(),
                                 created_at=clock.now_utc()))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "f6")
        check = app.screen
        assert isinstance(check, ReconcileScreen)
        kinds = [finding.kind for finding in check.report.findings]
        assert kinds.count("callback_not_attempted") == 3
        check.query_one("#findings").move_cursor(row=len(kinds) - 1)  # the last: 丙…
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CallbacksScreen)
        assert app.screen.selected().customer_name == "丙" + HOSTILE
        # Control characters are shown as their symbols (ESC as ␛), never sent raw.
        assert ("丙" + HOSTILE).replace("\x1b", "\u241b") in static_text(app.screen, "#detail")
        await press(pilot, "escape")
        assert app.screen is check
