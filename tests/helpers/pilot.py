"""Driving the app through Textual's Pilot: waiting for it to settle, reading what it shows."""

import asyncio


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
    """Every notice the user was shown, oldest first."""
    return [message for message, _severity in app.notices]


def screen_text(app) -> str:
    """The text of every visible Static, Label and Input value on the current screen."""
    from textual.widgets import Input, Label, Static

    parts = []
    for widget in app.screen.query("*"):
        if not widget.display:
            continue
        if isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, (Static, Label)):
            parts.append(str(widget.render()))
    return "\n".join(parts)
