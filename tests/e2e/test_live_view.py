"""Two processes on one store (a file, or a server): the dashboard shows another process's
write within 2 seconds."""

import time

from textual.widgets import DataTable

from tests.helpers.launcher import launch

WRITER = """
import sys
from models import Message
from reception.clock import clock
from reception.db import open_database
database = open_database(sys.argv[1])
with database.write() as session:
    session.add(Message(day=clock.today(), recipient_id=int(sys.argv[2]), caller_name="王先生",
                        matter="[bold]请回电[/bold]", created_at=clock.now_utc()))
"""


async def test_dashboard_shows_a_message_written_by_another_process(make_app, db_address,
                                                                   team):
    app = make_app(team.receptionist, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        messages = app.screen.query_one("#messages", DataTable)
        assert messages.row_count == 0
        writer = launch(WRITER, db_address, str(team.manager.id))
        assert writer.wait() == 0, writer.errors()
        written = time.monotonic()
        while messages.row_count == 0 and time.monotonic() - written < 2.0:
            await pilot.pause(0.1)
        assert messages.row_count == 1
        assert [str(cell) for cell in messages.get_row_at(0)] == [
            "王经理", "王先生", "[bold]请回电[/bold]"]
