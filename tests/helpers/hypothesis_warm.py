"""Run once by the main process of a parallel run, before the workers: Hypothesis reads
the constants of every module of ours that is loaded (``ast.parse`` of each, to try them as
inputs) and keeps them in ``.hypothesis/constants``. Without that file (a fresh clone, as
CI's) the first hypothesis test of each worker parsed them all: 200 MB for 3 s, on top of
the run's peak. Here a process of its own imports the modules and draws a few hundred
texts, and the workers find the file."""

import importlib
import pkgutil

from hypothesis import given, settings
from hypothesis import strategies as st


def import_everything() -> None:
    for package in ("models", "reception", "screens", "tests"):
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, package + "."):
            try:
                importlib.import_module(module.name)
            except Exception:  # noqa: BLE001 - a module that cannot load alone is read later
                pass


@settings(max_examples=300, derandomize=True, database=None)
@given(st.text(), st.integers())
def draw(_text, _number):
    pass


if __name__ == "__main__":
    import_everything()
    draw()
