"""Drive ``reception`` in a real terminal: tmux at 80×24, send-keys, capture-pane."""

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
#: The least time between two sends, as a person types.
PACE_SECONDS = 0.05


def reception_command() -> list[str]:
    script = Path(sys.executable).parent / "reception"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reception.cli"]


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str], width: int = 80, height: int = 24,
                 term: str = "xterm-256color"):
        self.name = f"reception-test-{uuid.uuid4().hex[:8]}"
        # A tmux server of its own: a server already running (someone's session) would
        # hand the app *its* environment, not ours. The app sees the TERM given here
        # (16 colours with "screen"), not tmux's own.
        self.tmux = ["tmux", "-L", self.name]
        self.sent_at: float | None = None
        settings = [f"{name}={value}" for name, value in {**env, "TERM": term}.items()]
        command = " ".join(shlex.quote(part) for part in
                           ["env", *settings, "COLORTERM=", *reception_command(), *args])
        subprocess.run(
            [*self.tmux, "-f", "/dev/null", "new-session", "-d", "-s", self.name,
             "-x", str(width), "-y", str(height), f"{command}; echo EXITED=$?; sleep 30"],
            check=True, env={**os.environ, **env},
        )

    def keys(self, *keys: str, literal: bool = False) -> None:
        # A burst of text and Enter in one read is taken as pasted text: pace like a person,
        # two sends at least PACE_SECONDS apart (a wait for the screen in between counts).
        if self.sent_at is not None:
            time.sleep(max(0.0, self.sent_at + PACE_SECONDS - time.monotonic()))
        flags = ["-l"] if literal else []
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *flags, *keys], check=True)
        self.sent_at = time.monotonic()

    def type(self, text: str) -> None:
        self.keys(text, literal=True)

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=True).stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        return self.wait_until(lambda shown: text in shown, f"{text!r} on screen", timeout)

    def wait_until(self, shows, what: str, timeout: float = 15.0) -> str:
        """The screen once ``shows(screen)`` holds (``what`` names it if it never does)."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if shows(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} after {timeout}s; the screen was:\n{shown}")
            time.sleep(0.05)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)
