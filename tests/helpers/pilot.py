"""What a test reads from a running app, through Textual's public API only."""

import asyncio

from textual.errors import NoWidget
from textual.geometry import Region


async def settle(pilot, timeout: float = 10.0) -> None:
    """Wait until the store's calls have come back and the screen has caught up."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    for _round in range(3):
        while not app.store.idle or app.key_router.holding:
            if loop.time() > deadline:
                raise AssertionError("the store did not answer in time")
            await asyncio.sleep(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()


def notifications(app) -> list[str]:
    """The messages notified so far (oldest first), as the app's ``notices`` keeps them."""
    return [message for message, _severity in app.notices]


def screen_lines(app) -> list[str]:
    """The lines of the screen as the terminal shows them (the active screen's widgets, each
    drawn where it sits, the topmost one at each cell)."""
    screen = app.screen
    width, height = screen.size
    lines = []
    for y in range(height):
        parts: list[str] = []
        x = 0
        while x < width:
            try:
                widget, region = screen.get_widget_at(x, y)
            except NoWidget:
                parts.append(" ")
                x += 1
                continue
            end = x + 1
            while end < width and _widget_at(screen, end, y) is widget:
                end += 1
            strip = widget.render_lines(Region(x - region.x, y - region.y, end - x, 1))[0]
            parts.append(strip.text)
            x = end
        lines.append("".join(parts))
    return lines


def _widget_at(screen, x: int, y: int):
    try:
        return screen.get_widget_at(x, y)[0]
    except NoWidget:
        return None


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))
