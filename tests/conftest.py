"""Shared fixtures: a real, migrated store (a SQLite file in a temp dir, or a database on a
real PostgreSQL server), a set clock, and staff."""

import gc
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from sqlmodel import select

from models import Role, Staff
from reception import auth, i18n
from reception import staff as staff_service
from reception.clock import clock
from reception.db import Database, open_database
from tests.helpers import launcher, pressing

# Tests run at a known time (tests import it from here; a race's child process from there).
from tests.helpers.moment import TEST_NOW, TEST_TZ, at, today  # noqa: F401
from tests.helpers.postgres import start_server

PIN = "1234"  # every staff member's but the manager's
MANAGER_PIN = "135790"  # a manager's PIN is 6 to 12 digits

# PINs are hashed at a cheap scrypt cost here: a team is nine hashes, built for most tests.
# Checking a PIN reads the cost from the stored hash, so nothing else changes; the clinic's
# own cost is checked once, in tests/unit/staff/test_auth_staff.py.
auth.hash_cost = auth.ScryptCost(n=2, r=1, p=1)

# Pilot presses a key and goes on when what it started is done, not after a guessed idle.
pressing.install()


# The garbage collector's first generation holds 10,000 new objects here, not 700: what a
# screen draws after a key (strips, segments, styles) then dies young instead of reaching the
# oldest generation, whose full rounds were a fifth of a screen test's CPU. Measured on the
# calls and keys screen tests: 9% less CPU, and a smaller process (236 MB, not 256 MB),
# with no freezing (below).
gc.set_threshold(10_000, 10, 10)


@pytest.fixture(autouse=True)
def _no_freezing(monkeypatch):
    """The app freezes what it built (at sign-in, after a full collection, and when an area
    first opens), so that a keystroke never waits for a walk over it. In a test process the
    heap is pytest's and every earlier test's: the collection took 0.3–1.7 s per test, and
    each freeze kept every earlier test's garbage for good (each worker 100 MB larger, more
    with a larger first generation). Here the app freezes nothing."""
    from screens.app import ReceptionApp

    monkeypatch.setattr(ReceptionApp, "settle_memory", staticmethod(lambda *, collect=False: None))


@pytest.fixture(autouse=True)
def _user_folders_of_its_own(tmp_path, monkeypatch):
    """Each test's user data and config folders are its own (drafts kept in files, a keymap,
    exports): never the tester's, and never another test's running beside it (xdist)."""
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "user" / name.lower()))


@pytest.fixture(autouse=True)
def _set_clock_and_language():
    clock.tz = TEST_TZ
    clock.set(TEST_NOW, frozen=True)
    i18n.set_language("en")
    yield
    clock.reset()
    i18n.set_language("en")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "reception.db"


@pytest.fixture(scope="session")
def migrated_store(tmp_path_factory):
    """An empty store at the newest schema, migrated once per test session."""
    path = tmp_path_factory.mktemp("template") / "reception.db"
    open_database(path).close()
    # The last connection to close folds the write-ahead log into the file: one file to copy.
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the session (tests.helpers.postgres), or None."""
    server = start_server()
    yield server
    if server is not None:
        server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_server) -> str:
    """A database at the newest schema, migrated once; each test's database copies it."""
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine (the SQLite half still runs)")
    name = postgres_server.create_database()
    open_database(postgres_server.url(name)).close()
    return name


def pytest_sessionfinish(session):
    """At the end pytest collects garbage five times over the whole heap (to report a late
    unraisable exception); every test's own are reported with it. Frozen, the heap built by
    the session is left out of those rounds: seconds per worker, at the end of the run."""
    gc.freeze()


def pytest_generate_tests(metafunc):
    """The domain and end-to-end tests that use a store run on both stores; a module that
    tests what only SQLite has says ``pytestmark = pytest.mark.sqlite_only``."""
    if "store_kind" not in metafunc.fixturenames:
        return
    both = (any(part in str(metafunc.definition.path) for part in ("/unit/", "/e2e/"))
            or metafunc.definition.get_closest_marker("both_stores") is not None)
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    kinds = ["sqlite", "postgresql"] if both and not sqlite_only else ["sqlite"]
    # RECEPTION_TEST_STORE=postgresql: every test that can, on the server only (screens too).
    if os.environ.get("RECEPTION_TEST_STORE") == "postgresql" and not sqlite_only:
        kinds = ["postgresql"]
    if kinds != ["sqlite"]:  # SQLite alone keeps the test's own id (snapshots are named by it)
        metafunc.parametrize("store_kind", kinds, indirect=True)


@pytest.fixture
def store_kind(request) -> str:
    return getattr(request, "param", "sqlite")


def _filled_template(request, store_kind: str, key: tuple, build):
    """A copy of the migrated store that ``build(database)`` filled, made once per session
    for ``key`` (in the first test that asks, at its clock): a file beside the migrated
    one, or a database on the server."""
    templates = request.getfixturevalue("_built_templates")
    if key not in templates:
        if store_kind == "sqlite":
            base = request.getfixturevalue("migrated_store")
            template = base.with_name("-".join(map(str, key)) + ".db")
            shutil.copy(base, template)
            address = str(template)
        else:
            server = request.getfixturevalue("postgres_server")
            template = server.create_database(
                template=request.getfixturevalue("postgres_template"))
            address = server.url(template)
        filled = open_database(address)
        try:
            build(filled)
        finally:
            filled.close()
        templates[key] = template
    return templates[key]


def _template(request, store_kind: str):
    """The store a test's own is copied from: the migrated one, or — for a test that asks
    for ``team`` — one with the team built, once per session, store and day (it was built
    in some 900 tests, one at a time)."""
    if "team" in request.fixturenames:
        return _filled_template(request, store_kind, ("team", store_kind, today()),
                                _build_team)
    return request.getfixturevalue(
        "migrated_store" if store_kind == "sqlite" else "postgres_template")


@pytest.fixture
def db_address(request, store_kind, db_path) -> str:
    """Where the test's store is: a file path, or a server database's address."""
    template = _template(request, store_kind)
    if store_kind == "sqlite":
        shutil.copy(template, db_path)  # owner-only mode too
        yield str(db_path)
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database(template=template)
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture(scope="session")
def _built_templates() -> dict:
    return {}


@pytest.fixture
def built_store(request, store_kind, db_path):
    """``built_store(build)`` → a store of the test's own, copied from a template that
    ``build(database)`` filled once per session and store kind (e.g. the demo's month: built
    once, not once per test). The template is built in the first test that asks, at its
    clock."""
    server = request.getfixturevalue("postgres_server") if store_kind != "sqlite" else None
    databases, names = [], []

    def copy(build) -> Database:
        template = _filled_template(request, store_kind, (build.__name__, store_kind), build)
        if server is None:
            shutil.copy(template, db_path)
            address = str(db_path)
        else:
            name = server.create_database(template=template)
            names.append(name)
            address = server.url(name)
        database = open_database(address)
        databases.append(database)
        return database

    yield copy
    for database in databases:
        database.close()
    for name in names:
        server.drop_database(name)


@pytest.fixture
def db(db_address) -> Database:
    """A real store of its own for each test: a copy of the migrated template, on SQLite or
    on the PostgreSQL server."""
    database = open_database(db_address)
    yield database
    database.close()


@dataclass
class Team:
    manager: Staff
    receptionist: Staff
    consultants: list[Staff]
    doctor: Staff
    beautician: Staff
    cashier: Staff

    @property
    def all(self) -> list[Staff]:
        return [self.manager, self.receptionist, *self.consultants, self.doctor,
                self.beautician, self.cashier]


def _build_team(database: Database) -> None:
    with database.write() as session:
        manager = auth.first_run_setup(session, clinic_name="科医美", manager_name="王经理",
                                       pin=MANAGER_PIN)
        staff = [manager] + [
            staff_service.add_staff(session, name=name, role=role, pin=PIN, by=manager.id)
            for name, role in TEAM[1:]]
        staff_service.set_rota(session, today(), [member.id for member in staff],
                               by=manager.id)


#: The team's names and roles, in the order they are added.
TEAM = [("王经理", Role.MANAGER), ("李前台", Role.RECEPTIONIST), ("张咨询", Role.CONSULTANT),
        ("陈咨询", Role.CONSULTANT), ("刘咨询", Role.CONSULTANT), ("赵医生", Role.DOCTOR),
        ("孙美容", Role.BEAUTICIAN), ("周收银", Role.CASHIER)]


@pytest.fixture
def team(db) -> Team:
    """A clinic set up with a manager and one of every role; all on today's rota (the test's
    store was copied from one so built, ``_template``)."""
    with db.read() as session:
        staff = {member.name: member for member in session.exec(select(Staff))}
    assert staff, "ask for team as a parameter: the store is copied with the team in it"
    manager, receptionist, *consultants, doctor, beautician, cashier = (
        staff[name] for name, _role in TEAM)
    return Team(manager=manager, receptionist=receptionist, consultants=consultants,
                doctor=doctor, beautician=beautician, cashier=cashier)


@pytest.fixture
def make_app(db):
    """``make_app(staff)`` → the app on the test database, opening signed in as ``staff``."""
    from screens.app import ReceptionApp

    def build(staff=None, *, watch: bool = False) -> ReceptionApp:
        return ReceptionApp(db, watch=watch, sign_in_as=staff)

    return build


# Hostile-input properties: the same examples every CI run (a failure is reproducible).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_collection_modifyitems(items):
    """The order the two workers start in (pytest-xdist's worksteal gives each half of the
    list, then they take from each other): one starts with the end-to-end tests and the
    domain tests that race processes of their own, which mostly wait for apps in tmux and
    other processes, while the other starts with the screen tests, which only compute; the
    rest of the domain tests fill both halves. The races run early, while the workers are
    small: at the end of a run, their processes beside the grown workers made the peak."""
    parts: dict[str, list] = {"e2e": [], "ui": [], "rest": []}
    racing: dict[object, bool] = {}
    for item in items:
        part = item.path.relative_to(Path(__file__).parent).parts[0]
        if part not in parts:
            module = item.module
            if module not in racing:
                racing[module] = any(getattr(value, "__module__", None) == launcher.__name__
                                     for value in vars(module).values())
            part = "e2e" if racing[module] else "rest"
        parts[part].append(item)
    end_to_end, screens, rest = parts["e2e"], parts["ui"], parts["rest"]
    first_half = max(len(items) // 2 - len(end_to_end), 0)
    items[:] = end_to_end + rest[:first_half] + screens + rest[first_half:]
