"""Child processes forked from one that has already imported the store.

A fresh interpreter spends 0.8 s importing SQLAlchemy and the models before it writes
anything; a test that starts a writer a dozen times to kill it paid that a dozen times.
Here one launcher process imports once and forks each child on demand. A child is still a
real process of its own, with its own connection, killed with SIGKILL like any other.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SERVE = """
import json, os, signal, sys
for name in sys.argv[1:]:
    __import__(name)
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # a child that ends is reaped at once
for line in sys.stdin:
    order = json.loads(line)
    pid = os.fork()
    if pid == 0:
        out = order["out"]
        sys.stdout = open(out, "w", buffering=1)
        sys.stderr = open(out + ".err", "w", buffering=1)
        sys.argv = ["-c", *order["argv"]]
        code = 1
        try:
            exec(compile(order["code"], "<child>", "exec"), {"__name__": "__main__"})
            code = 0
        except SystemExit as leaving:
            code = leaving.code if isinstance(leaving.code, int) else 1
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

    def wait_for_output(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.lines():
            assert time.monotonic() < deadline, "the child printed nothing"
            time.sleep(0.005)

    def kill(self, timeout: float = 30.0) -> None:
        """SIGKILL, and wait until it is gone."""
        os.kill(self.pid, signal.SIGKILL)
        self._until_gone(timeout)

    def _until_gone(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return
            assert time.monotonic() < deadline, "the child is still running"
            time.sleep(0.005)


class Launcher:
    """``with Launcher(folder, "reception.db", …) as launch: launch(code, *argv)``; the
    children's environment is the launcher's (``env``: read when the store is imported)."""

    def __init__(self, folder: Path, *preload: str, env: dict | None = None) -> None:
        self.folder = folder
        self.process = subprocess.Popen([sys.executable, "-c", SERVE, *preload],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, env=env)
        self.started = 0

    def __call__(self, code: str, *argv: str) -> Child:
        self.started += 1
        out = self.folder / f"child-{self.started}.out"
        order = {"code": code, "argv": list(argv), "out": str(out)}
        self.process.stdin.write(json.dumps(order) + "\n")
        self.process.stdin.flush()
        return Child(int(self.process.stdout.readline()), out)

    def __enter__(self) -> "Launcher":
        return self

    def __exit__(self, *_exc) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
