"""Child processes forked from one that has already imported the store.

A fresh interpreter spends 0.8 s importing SQLAlchemy and the models before it writes
anything; a test that starts a writer a dozen times to kill it paid that a dozen times.
Here one launcher process imports once and forks each child on demand. A child is still a
real process of its own, with its own connection, killed with SIGKILL like any other.

``launch(...)`` forks from one launcher per test process, and ``cli(...)`` runs the
``reception`` command that way (its own environment, working folder, stdin from /dev/null,
exit status). A test about how a fresh interpreter starts (imports, start-up time) runs a
real one.
"""

import atexit
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVE = """
import gc, json, os, signal, sys
for name in sys.argv[1:]:
    __import__(name)
gc.freeze()  # what is imported is shared with the children: the collector leaves it be
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # a child that ends is reaped at once
for line in sys.stdin:
    order = json.loads(line)
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # its own children are waited for
        out = order["out"]
        os.environ.clear()
        os.environ.update(order["env"])
        if "reception.clock" in sys.modules:  # read at import, in the launcher's
            sys.modules["reception.clock"].clock.read_environment()
        if order.get("cwd"):
            os.chdir(order["cwd"])
        # The output files take the place of fds 0-2 (a program the child starts writes
        # there too), as UTF-8 like a fresh interpreter's.
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
        os.dup2(os.open(out + ".err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
        sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", buffering=1,
                          closefd=False)
        sys.argv = ["-c", *order["argv"]]
        code = 1
        try:
            exec(compile(order["code"], "<child>", "exec"), {"__name__": "__main__"})
            code = 0
        except SystemExit as leaving:
            code = leaving.code if isinstance(leaving.code, int) else int(bool(leaving.code))
        except BaseException:
            import traceback
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            with open(out + ".rc", "w") as status:
                status.write(str(code))
            os._exit(code)
    print(pid, flush=True)
"""


class Child:
    def __init__(self, pid: int, out: Path) -> None:
        self.pid, self.out = pid, out

    def _file(self, suffix: str = "") -> str:
        """What the child wrote to its output (``.err``: its errors; ``.rc``: its status)."""
        path = self.out.with_name(self.out.name + suffix)
        return path.read_text() if path.exists() else ""

    def lines(self) -> list[str]:
        """What it printed so far (whole lines only)."""
        text = self.output()
        return text.splitlines() if text.endswith("\n") else text.splitlines()[:-1]

    def output(self) -> str:
        return self._file()

    def errors(self) -> str:
        return self._file(".err")

    def wait(self, timeout: float = 60.0) -> int | None:
        """Until it ends; its exit status (None: killed)."""
        self._until_gone(timeout)
        status = self._file(".rc")
        return int(status) if status else None

    def remove(self) -> None:
        """Its output files (once it is done with)."""
        for suffix in ("", ".err", ".rc"):
            self.out.with_name(self.out.name + suffix).unlink(missing_ok=True)

    def wait_for_output(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.lines():
            assert time.monotonic() < deadline, (
                f"the child printed nothing ({'running' if self.running() else 'ended'}); "
                f"its errors: {self.errors()[-2000:]!r}")
            time.sleep(0.005)

    def running(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self, timeout: float = 30.0) -> None:
        """SIGKILL, and wait until it is gone."""
        os.kill(self.pid, signal.SIGKILL)
        self._until_gone(timeout)

    def _until_gone(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.running():
            assert time.monotonic() < deadline, "the child is still running"
            time.sleep(0.005)


class Launcher:
    """A process that has imported ``preload`` and forks a child per call, its output files
    in ``folder``."""

    def __init__(self, folder: Path, *preload: str) -> None:
        self.folder = folder
        self.process = subprocess.Popen([sys.executable, "-c", SERVE, *preload],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        self.started = 0

    def __call__(self, code: str, *argv: str, env: dict,
                 cwd: Path | str | None = None) -> Child:
        """Fork a child that runs ``code`` (``sys.argv[1:]`` is ``argv``) in the whole
        environment ``env`` (the clock reads it again)."""
        self.started += 1
        out = self.folder / f"child-{self.started}.out"
        order = {"code": code, "argv": list(argv), "out": str(out), "env": env,
                 "cwd": str(cwd) if cwd else None}
        self.process.stdin.write(json.dumps(order) + "\n")
        self.process.stdin.flush()
        return Child(int(self.process.stdout.readline()), out)

    def close(self) -> None:
        """Ends once its input does; its output files go with it."""
        self.process.stdin.close()
        self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


#: What the shared launcher imports once: the command and the domain its children use.
PRELOAD = ("reception.cli", "reception.db", "reception.demo", "reception.callbacks",
           "reception.keys", "reception.triage", "reception.customers", "pypinyin",
           "reception.migrations", "reception.server_store")


@functools.cache
def shared() -> Launcher:
    """This test process's own launcher: started at first use, ended by ``close_shared``
    (at the latest with the process)."""
    return Launcher(Path(tempfile.mkdtemp(prefix="reception-children-")), *PRELOAD)


@atexit.register
def close_shared() -> None:
    """End this process's launcher, if it has one: 60 MB idle through the tests that need
    none (it is started again if one does)."""
    if shared.cache_info().currsize:
        shared().close()
        shared.cache_clear()


def launch(code: str, *argv: str, env: dict | None = None,
           cwd: Path | str | None = None) -> Child:
    """A child forked from ``shared()``, in this process's environment as it is now (or
    ``env``)."""
    return shared()(code, *argv, env=dict(os.environ if env is None else env), cwd=cwd)


#: A child's first lines for a race: say it is ready (past start-up, its store open), then
#: wait for the go file named by its first argument.
AT_THE_LINE = """
import sys, time
from pathlib import Path
print("ready", flush=True)
_go, _deadline = Path(sys.argv[1]), time.monotonic() + 60
while not _go.exists() and time.monotonic() < _deadline:
    time.sleep(0.002)
"""


def race(code: str, argvs: list[list[str]], go: Path, env: dict | None = None) -> list[Child]:
    """Children that each run ``AT_THE_LINE`` then ``code`` (``sys.argv[1]`` is ``go``),
    started together once all are ready."""
    children = [launch(code, str(go), *argv, env=env) for argv in argvs]
    for child in children:
        child.wait_for_output()
    go.touch()
    return children


CLI = """
import sys
from reception import cli
sys.argv = ["reception", *sys.argv[1:]]
sys.exit(cli.main())
"""


def cli(*args: str, env: dict | None = None, cwd: Path | str | None = None,
        timeout: float = 120.0) -> subprocess.CompletedProcess:
    """``reception *args`` as a process of its own, forked (``launch``), like
    ``subprocess.run(..., capture_output=True, text=True)``: exit status, stdout, stderr."""
    child = launch(CLI, *args, env=env, cwd=cwd)
    code = child.wait(timeout)
    result = subprocess.CompletedProcess(["reception", *args], code, child.output(),
                                         child.errors())
    child.remove()
    return result
