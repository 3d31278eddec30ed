"""A screen is styled once as it opens, not twice.

Textual styles every widget of a screen as it is built, then restyles the whole screen
again at the resume that shows it (``ScreenResume.refresh_styles``), though nothing has
changed in between: every widget's rules matched twice. The first resume skips that second
pass; a later one (back from a form, after a theme change) restyles as before.
"""

from textual import events


class StyledOnce:
    """Mixin for the app's screens, before Textual's ``Screen`` in the bases (Textual calls
    each class's handler, the subclass's first: this one runs before the Screen's own)."""

    shown_before = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self.shown_before:
            self.shown_before = True
            event.refresh_styles = False
