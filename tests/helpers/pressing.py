"""Pilot without the idle guess: a key is handed to the app and the test goes on as soon as
everything it started is done.

Textual's ``Pilot.press`` waits for the whole process to look idle after each key (two
sleeps of at least 20 ms, longer on a busy machine), and ``Pilot.pause()`` once more: in
some 350 screen tests that was most of their time. Here a key is posted as the terminal
would deliver it, then the test waits for exactly what is pending — the app's and the
screen's queues, the store's calls and their answers, workers, keys handed on, a screen
just opened — and goes on at once when nothing is. Timers (a search's debounce, a draft's
delay) are not waited for: a test that needs one waits for it by name.

Between the keys of one ``press`` no frame is drawn (``quiet``): each key comes as the next
write of a quick typist, before the screen has caught up, which the app must take in order
(``screens/keyroute.py``); the screen is brought up to date after the last. Drawing after
every key (Textual's ``Pilot.pause`` visits every widget and draws) was a tenth of the
screen tests' time.
"""

import asyncio
import unicodedata

from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS, key_to_character
from textual.pilot import Pilot

#: Textual's own, with a delay of 0: the app's and the screen's queues are handled, and the
#: screen is brought up to date.
textual_pause = Pilot.pause


def key_event(key: str) -> events.Key:
    """The event a terminal's key gives (a character, or a key's name as Pilot takes it)."""
    if len(key) == 1:
        name = key
        if not key.isalnum():
            try:
                name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
            except ValueError:
                name = {"\t": "tab"}.get(key, key)
            name = KEY_NAME_REPLACEMENTS.get(name, name)
        return events.Key(name, key)
    return events.Key(key, key_to_character(key))


def queued(app) -> int:
    """Messages waiting on the app and on every widget of the screens in the stack."""
    nodes = [app]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=True))
    return sum(node.message_queue_size for node in nodes)


async def handled(pilot, timeout: float = 10.0, *, store: bool = True) -> bool:
    """Wait until what was started is done: no key held for a screen to settle, and
    (``store``) no store call or worker running; then one round through every widget of the
    screen (Textual's own pause), after which nothing may be queued anywhere, on the same
    screen. True when there was anything to wait for beyond that one round."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    waited = False
    while True:
        if app.return_code is not None:
            return waited  # the app is ending (Ctrl+Q): nothing more to wait for
        if started(app, store):  # cheap to ask: asked again at every turn of the loop
            if loop.time() > deadline:
                raise AssertionError("the app did not settle in time")
            waited = True
            await asyncio.sleep(0.002 if store and working(app) else 0)
            continue
        screen = app.screen
        await textual_pause(pilot, 0)
        if app.screen is screen and not started(app, store) and not queued(app):
            return waited
        waited = True


def working(app) -> bool:
    store = getattr(app, "store", None)
    return ((store is not None and not store.idle)
            or any(worker.is_running for worker in app.workers))


def started(app, store: bool = True) -> bool:
    """The app's own queue, keys held for a screen, and (``store``) the store and workers."""
    router = getattr(app, "key_router", None)
    return (bool(app.message_queue_size) or (router is not None and router.holding)
            or (store and working(app)))


async def press(self: Pilot, *keys: str) -> None:
    """Each key handled, and what it started in the store done, before the next; the
    screen brought up to date after the last."""
    for index, key in enumerate(keys):
        if key.startswith("wait:"):
            await asyncio.sleep(float(key.partition(":")[2]) / 1000)
            continue
        self.app.post_message(key_event(key))
        if index == len(keys) - 1:
            await handled(self)
        else:
            await quiet(self.app)


async def quiet(app, timeout: float = 10.0) -> None:
    """Until nothing is queued or started anywhere (``handled`` without its round through
    every widget and the screen's update)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while app.return_code is None and (started(app) or queued(app)):
        if loop.time() > deadline:
            raise AssertionError("the app did not settle in time")
        await asyncio.sleep(0.002 if working(app) else 0)


async def typed(pilot: Pilot, *keys: str) -> None:
    """Each key handled before the next, while the store may be held up on purpose."""
    for key in keys:
        pilot.app.post_message(key_event(key))
        await handled(pilot, store=False)


async def pause(self: Pilot, delay: float | None = None) -> None:
    """Everything started so far done (``handled``)."""
    if delay is None:
        await handled(self)
    else:
        await textual_pause(self, delay)


def install() -> None:
    Pilot.press = press
    Pilot.pause = pause
