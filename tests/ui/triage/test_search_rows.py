"""F2 search rows at 80 columns: enough to tell namesakes apart, and why each matched."""

from reception import triage
from screens.widgets.results import ResultList
from tests.helpers.pilot import settle
from tests.ui.triage.helpers import open_triage, plain, returning_customer


def result_rows(app) -> list[str]:
    results = app.screen.query_one("#results", ResultList)
    return [plain(results.row(index)) for index in range(results.row_count)]


async def test_namesakes_are_told_apart_by_phone_visit_consultant_and_case(make_app, db, team):
    returning_customer(db, team, name="王芳", phone="13812345678",
                       consultant=team.consultants[0])
    returning_customer(db, team, name="王芳", phone="13987655678",
                       consultant=team.consultants[1])
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("c", *"5678")
        await pilot.pause(0.3)
        await settle(pilot)
        rows = result_rows(app)
        assert len(rows) == 2
        for row in rows:
            assert row[2:].startswith("王芳")
            assert "26-11-21" in row  # the last visit
            assert "phone ending" in row  # why it matched
        assert any("138****5678" in row and "张咨询" in row for row in rows)
        assert any("139****5678" in row and "陈咨询" in row for row in rows)
        assert all("20261121" in row for row in rows)  # each her own case number
        assert all(len(row) <= 78 for row in rows)


async def test_middle_digits_that_matched_show_inside_the_mask(make_app, db, team):
    returning_customer(db, team, name="李雷", phone="13812345678")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("c", *"2345")
        await pilot.pause(0.3)
        await settle(pilot)
        (row,) = result_rows(app)
        assert "138*2345678" in row


async def test_someone_in_the_building_is_marked(make_app, db, team):
    customer = returning_customer(db, team, name="韩梅梅", phone="13812349999")
    with db.write() as session:
        triage.start_visit(session, customer_id=customer.id, path="C1",
                           by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("c", *"韩梅梅")
        await pilot.pause(0.3)
        await settle(pilot)
        assert result_rows(app)[0].startswith("● 韩梅梅")
