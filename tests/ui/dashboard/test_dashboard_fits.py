"""The dashboard at 80×24 shows names, statuses and headers whole (issue 12 paper cuts)."""

import pytest

from models import Customer, Message, Visit
from reception import i18n
from reception import staff as staff_service
from reception.clock import clock
from tests.helpers.pilot import screen_lines, settle

CUSTOMERS = [("卢桂倩", "waiting"), ("欧阳娜娜娜", "with_consultant"),
             ("Alexandra Smith", "with_doctor"), ("张三", "in_treatment")]


@pytest.fixture
def busy_day(db, team):
    with db.write() as session:
        consultant = staff_service.add_staff(session, name="卢桂倩", role="consultant",
                                             pin="1234", by=team.manager.id)
        now = clock.now_utc()
        for number, (name, status) in enumerate(CUSTOMERS):
            customer = Customer(name=name, phone=f"1390000000{number}", created_at=now)
            session.add(customer)
            session.flush()
            session.add(Visit(day=clock.today(), customer_id=customer.id, path="A",
                              status=status, status_since=now, arrived_at=now,
                              created_at=now, consultant_id=consultant.id))
        session.add(Message(day=clock.today(), recipient_id=consultant.id,
                            caller_name="陈先生", matter="改约时间到下周三下午",
                            created_at=now))
    return db


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_names_statuses_and_headers_are_whole(make_app, team, busy_day, language):
    i18n.set_language(language)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        lines = screen_lines(app)
        customers = [line for line in lines if "卢桂倩" in line]
        # The customer's name and the consultant's, whole, in the customers' box; the
        # recipient, whole, in the messages' box.
        assert customers[0].count("卢桂倩") == 3
        assert all(line.count("卢桂倩") >= 1 for line in customers[1:])
        text = "\n".join(lines)
        assert "欧阳娜娜娜" in text and "Alexandra Smith" in text
        for status in ("waiting", "with_consultant", "with_doctor", "in_treatment"):
            assert i18n.t(f"dashboard.status.{status}") in text
        if language == "en":
            assert "Consulting" in text and "With consul" not in text
            header = next(line for line in lines if "Status" in line)
            assert header.count("For") == 2  # waited, and the messages' recipient
