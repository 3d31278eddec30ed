"""What a Pilot test reads off the screen, and the few moves most screen tests make."""

from textual.widgets import Static


def shown(screen, selector: str) -> str:
    """The text of one Static on the screen, as drawn."""
    return str(screen.query_one(selector, Static).render())


def toasts(app) -> list[str]:
    """The notices as their toasts draw them (a markup error here ends the real app)."""
    from textual.widgets._toast import Toast

    return [Toast(notice).render().plain for notice in app._notifications]


async def open_area(app, pilot, key: str, screen_class):
    """Press an area's key from where the app stands; the area's screen is then on top."""
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, screen_class)
    return app.screen
