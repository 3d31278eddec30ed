"""Every screen's style sheet is read once, when the app starts."""

from pathlib import Path

import screens
from screens.app import ReceptionApp

SCREENS = Path(screens.__file__).parent


def test_every_style_sheet_is_read_at_start_and_no_screen_reads_its_own():
    listed = {(SCREENS / path).resolve() for path in ReceptionApp.CSS_PATH}
    assert listed == {path.resolve() for path in SCREENS.rglob("*.tcss")}
    assert all(path.exists() for path in listed)
    # A screen's own CSS_PATH would re-read every sheet the first time it is shown.
    for module_path in SCREENS.rglob("*.py"):
        assert "CSS_PATH" not in module_path.read_text() or module_path.name == "app.py", (
            module_path)
