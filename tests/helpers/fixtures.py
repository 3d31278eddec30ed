"""The fixtures every test process has: a real, migrated store (a SQLite file in a temp dir,
or a database on a real PostgreSQL server), a set clock, staff, and the app on them.

A plugin of its own, which ``tests/conftest.py`` loads in each process that runs tests:
pytest's main process of a parallel run only hands tests out, and need not import the app,
the store and Textual (50 MB, for the whole run).
"""

import gc
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, inspect
from sqlmodel import select

from models import Role, Staff
from reception import auth, i18n, server_store
from reception import staff as staff_service
from reception.clock import clock
from reception.db import Database, make_engine, open_database
from tests.conftest import MANAGER_PIN, PIN
from tests.helpers import pressing, templates
from tests.helpers.moment import TEST_NOW, TEST_TZ, today
from tests.helpers.postgres import Server, start_server

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
def template_folder(tmp_path_factory):
    """Where the run's templates are (``templates``: shared by its workers)."""
    return templates.run_folder(tmp_path_factory)


@pytest.fixture(scope="session")
def migrated_store(template_folder):
    """An empty store at the newest schema, migrated once per run (``templates``)."""
    return templates.shared_file(template_folder, "migrated.db",
                                 lambda path: open_database(path).close())


@pytest.fixture(scope="session")
def postgres_server(request):
    """A real PostgreSQL server for the session (tests.helpers.postgres), or None: in a
    parallel run the one the main process started (``tests/conftest.py``)."""
    workerinput = getattr(request.config, "workerinput", {})
    if "postgres" in workerinput:
        shared = workerinput["postgres"]
        yield Server.running(shared) if shared is not None else None
        return
    server = start_server()
    yield server
    if server is not None:
        server.stop()


@pytest.fixture(scope="session")
def postgres_template(template_folder, postgres_server) -> str:
    """A database at the newest schema, migrated once; each test's database copies it."""
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine (the SQLite half still runs)")
    return templates.shared_database(
        template_folder, postgres_server, "migrated",
        lambda name: open_database(postgres_server.url(name)).close())


@pytest.fixture
def store_kind(request) -> str:
    return getattr(request, "param", "sqlite")


def _filled_template(request, store_kind: str, key: tuple, build):
    """A copy of the migrated store that ``build(database)`` filled, made once per run for
    ``key`` (in the first test that asks, at its clock; ``templates``): a file beside the
    migrated one, or a database on the server."""
    built = request.getfixturevalue("_built_templates")
    if key in built:
        return built[key]

    def fill(address: str) -> None:
        filled = open_database(address)
        try:
            build(filled)
        finally:
            filled.close()

    folder = request.getfixturevalue("template_folder")
    name = templates.file_name(*key)
    if store_kind == "sqlite":
        base = request.getfixturevalue("migrated_store")

        def copy_and_fill(path):
            shutil.copy(base, path)
            fill(str(path))

        built[key] = templates.shared_file(folder, name + ".db", copy_and_fill)
    else:
        server = request.getfixturevalue("postgres_server")
        built[key] = templates.shared_database(
            folder, server, name, lambda database: fill(server.url(database)),
            template=request.getfixturevalue("postgres_template"))
    return built[key]


def _template(request, store_kind: str):
    """The store a test's own is copied from: the migrated one, or — for a test that asks
    for ``team`` — one with the team built, once per run, store and day (it was built
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
    # One name for this process's test databases: the engine ``db`` shares has its address.
    name = server.create_database(template=template, name=f"clinic_{os.getpid()}")
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture(scope="session")
def _built_templates() -> dict:
    return {}


@pytest.fixture
def built_store(request, store_kind, db_path):
    """``built_store(build)`` → a store of the test's own, copied from a template that
    ``build(database)`` filled once per run and store kind (e.g. the demo's month: built
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


#: The engine of each kind of store that this process's tests share (``db``).
SHARED_ENGINES: dict[str, Engine] = {}


@pytest.fixture(scope="session")
def _engine_link(tmp_path_factory) -> Path:
    """The address of the SQLite engine the tests share: a link to each test's own file."""
    return tmp_path_factory.mktemp("engine") / "store.db"


@pytest.fixture
def db(db_address, store_kind, _engine_link) -> Database:
    """A real store of its own for each test: a copy of the migrated template, on SQLite or
    on the PostgreSQL server.

    The tests of a process share one engine per kind of store, as an app's screens share
    its one: SQLAlchemy keys the statements it compiled by the engine, and compiling them
    anew for each test's engine was a tenth of the suite's CPU. Each test's store is still
    its own — a file of its own (the engine's address is a link, pointed at it before the
    test), or a database the server copies for it under the process's one name — and the
    engine's connections are closed at the end of each test."""
    if store_kind == "sqlite":
        pointer = _engine_link.with_name("store.db.next")
        pointer.unlink(missing_ok=True)
        pointer.symlink_to(db_address)
        os.replace(pointer, _engine_link)  # SQLite follows the link: its log is beside the file
        if "sqlite" not in SHARED_ENGINES:
            SHARED_ENGINES["sqlite"] = make_engine(_engine_link)
        database = Database(Path(db_address), SHARED_ENGINES["sqlite"])
    else:
        url = server_store.parse(db_address)
        if "postgresql" not in SHARED_ENGINES:
            SHARED_ENGINES["postgresql"] = server_store.make_engine(url)
        database = server_store.ServerDatabase(url, SHARED_ENGINES["postgresql"])
        server_store.choose_branch(database, os.environ.get("RECEPTION_BRANCH"))
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


def pytest_runtest_teardown(item, nextitem):
    forget_flush_statements()


def forget_flush_statements() -> None:
    """SQLAlchemy's ORM keeps the INSERT and UPDATE statements it compiled for a flush on
    each table's mapper, keyed by the store's dialect, up to 100 a table: a test that opens
    a store of its own would keep that store's dialect alive through them (80 MB per worker
    by the end of a run when each test did; "not leaking, each mapper's cache prunes itself
    at its size", sqlalchemy#4560). The shared engines' own are kept: they serve the next
    test. The app opens one store per process, so only the tests need this. SQLAlchemy has
    no public call for it: the cache is the mapper's ``_compiled_cache``, keyed by the
    dialect first."""
    shared = {engine.dialect for engine in SHARED_ENGINES.values()}
    for mapper in inspect(Staff).registry.mappers:
        cache = mapper._compiled_cache
        for key in [key for key in cache.keys() if key[0] not in shared]:
            cache.pop(key, None)
