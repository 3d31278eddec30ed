"""The test session: which tests run where and on which stores, and the fixtures plugin
(``tests.helpers.fixtures``) in each process that runs tests."""

import gc
import os
import subprocess
import sys
import tempfile

import pytest

from tests.helpers import lanes, launcher

# Tests run at a known time (tests import it from here; a race's child process from there).
from tests.helpers.moment import TEST_NOW, TEST_TZ, at, today  # noqa: F401

PIN = "1234"  # every staff member's but the manager's
MANAGER_PIN = "135790"  # a manager's PIN is 6 to 12 digits

#: The PostgreSQL server the main process of a parallel run started for its workers.
SHARED_SERVER = pytest.StashKey()


def pytest_configure(config):
    """Test files in memory, where the machine has a tmpfs (``TMPDIR`` unless it is set;
    the workers inherit it). SQLite syncs each commit to disk (``synchronous = FULL``), and
    the suite's thousands of little stores never have to outlive it (on this machine's
    disk, the domain and calls tests took 3% longer, run side by side with the same on
    tmpfs). What a passed test wrote goes at its end (``tmp_path_retention_policy``), so
    little is held in memory at once.

    The fixtures, in every process but the main one of a parallel run, which runs no
    test (pytest-xdist's workers have ``workerinput``). That one starts the PostgreSQL
    server the workers share (each its own databases and roles, named by its process): one
    server, not one per worker, 45 MB each."""
    from tests.helpers.postgres import memory_folder

    if "TMPDIR" not in os.environ and (folder := memory_folder()):
        os.environ["TMPDIR"] = folder
        tempfile.tempdir = None  # read again from TMPDIR
    parallel = config.getoption("dist", "no") != "no" and config.getoption("tx", None)
    if hasattr(config, "workerinput") or not parallel:
        config.pluginmanager.import_plugin("tests.helpers.fixtures")
    else:
        from tests.helpers.postgres import start_server

        # Hypothesis's constants of our modules, read once for every worker (the module
        # says why), while the server starts.
        path = os.pathsep.join(filter(None, [str(config.rootpath), os.environ.get("PYTHONPATH")]))
        warming = subprocess.Popen([sys.executable, "-m", "tests.helpers.hypothesis_warm"],
                                   env={**os.environ, "PYTHONPATH": path})
        config.stash[SHARED_SERVER] = start_server()
        warming.wait()


def pytest_configure_node(node):
    """What a worker is given: the shared server (None: this machine has none)."""
    server = node.config.stash[SHARED_SERVER]
    node.workerinput["postgres"] = server.details() if server is not None else None


def pytest_unconfigure(config):
    server = config.stash.get(SHARED_SERVER, None)
    if server is not None:
        server.stop()


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


def pytest_xdist_make_scheduler(config, log):
    """The first of three workers runs the tests that mostly wait (``tests.helpers.lanes``)."""
    return lanes.LaneScheduling(config, log)


def pytest_testnodedown(node, error):
    """A worker that is done goes at once, not when the last one is (pytest-xdist keeps its
    process until then): the waiting lane's worker ends long before the others."""
    if error is None:
        node.ensure_teardown()


def _starts_processes(item) -> bool:
    """A test in a module that starts processes of its own (``tests.helpers.launcher``)."""
    module = item.module
    if module not in _STARTS_PROCESSES:
        _STARTS_PROCESSES[module] = any(  # ``from tests.helpers import launcher`` too
            value is launcher or getattr(value, "__module__", None) == launcher.__name__
            for value in vars(module).values())
    return _STARTS_PROCESSES[module]


_STARTS_PROCESSES: dict[object, bool] = {}


def pytest_collection_modifyitems(items):
    """The order the tests are handed out in: the waiting lane's first (the end-to-end
    tests and the domain tests that race processes, ``tests.helpers.lanes``); then, for the
    other workers, which pytest-xdist's worksteal gives half each, the tests that build a
    store of a clinic's size or start a server of their own (``big_store``, ``own_server``:
    they run while the workers are small, and the server's processes and data do not add to
    the run's peak), the other domain tests, those that start processes of their own (a
    command run as a process: their launcher, 60 MB, comes after the lane's races), and
    the screen tests."""
    parts: dict[str, list] = {"e2e": [], "big": [], "rest": [], "processes": [], "ui": []}
    for item in items:
        part = "e2e" if lanes.waits(item.nodeid) else item.nodeid.split("/")[1]
        if part != "e2e" and any(item.get_closest_marker(name) is not None
                                 for name in ("big_store", "own_server")):
            part = "big"
        elif part not in parts:
            part = "processes" if _starts_processes(item) else "rest"
        parts[part].append(item)
    # The lane's order, for memory: first the tests that race processes (a launcher and
    # four children, 200 MB at once) and two counters in a terminal (an app is 80-95 MB),
    # while the other workers are small (they grow through the run); those in one process
    # while the others build their clinic-size stores (the server's data in memory); the
    # other terminals last.
    parts["e2e"].sort(key=lane_order)
    items[:] = [item for part in parts.values() for item in part]


def lane_order(item) -> int:
    if _starts_processes(item):
        return 0
    if "two_counters" in item.nodeid:
        return 1
    return 3 if item.nodeid.split("::")[0].endswith("_tmux.py") else 2


def pytest_runtest_teardown(item, nextitem):
    """The launcher goes at the end of each module that uses it (60-90 MB: kept on from one
    such module to the next, three workers had one each at once)."""
    if nextitem is None or nextitem.module is not item.module:
        launcher.close_shared()
