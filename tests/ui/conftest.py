"""UI fixtures: the real app on a real temp database, signed in as a given staff member."""

import pytest

from reception.app import ReceptionApp


@pytest.fixture
def make_app(db):
    """``make_app(staff)`` → the app on the test database, opening signed in as ``staff``."""

    def build(staff=None, *, watch: bool = False) -> ReceptionApp:
        return ReceptionApp(db, watch=watch, sign_in_as=staff)

    return build
