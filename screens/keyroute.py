"""Type-ahead: every key goes to the widget that has focus when it is handled, in order.

Textual hands each key to the focused widget's queue the moment it arrives. A key that
moves the focus (Tab, Enter in a form, a screen's binding) is acted on only after it has
bubbled back up to the app, so the keys typed after it — already queued on the old widget —
land in the wrong field (`name⇥phone⏎` in one write leaves the phone in the name field).

The routed widgets (``screens/widgets/fields.py``) and screens fix this in two ways:
- a binding reached from a routed widget (its own, or the screen's or the app's) runs at
  once, before the widget looks at its next key, so the focus has already moved when that
  key is handled, and a widget's own key acts on that widget;
- a routed widget that gets a key after the focus left it hands the key on to the widget
  that has focus now, through the app's ``KeyRouter``, which keeps the keys in order.
"""

from collections import deque

from textual import events
from textual.screen import Screen
from textual.widget import Widget

#: How many frames a handed-on key may wait for a newly opened screen to take the focus.
SETTLE_FRAMES = 5


class KeyRouter:
    """The app's queue of keys handed on: delivered in order once the target has settled."""

    def __init__(self, app) -> None:
        self.app = app
        self.waiting: deque[events.Key] = deque()
        self._frames = 0
        self._scheduled = False

    @property
    def holding(self) -> bool:
        return bool(self.waiting)

    def hand_on(self, event: events.Key) -> None:
        self.waiting.append(events.Key(event.key, event.character))
        self._schedule()

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            self.app.call_after_refresh(self._deliver)

    def _deliver(self) -> None:
        self._scheduled = False
        screen = self.app.screen
        target = screen.focused
        if target is None and screen.AUTO_FOCUS and (
                not screen.is_mounted or self._frames < SETTLE_FRAMES):
            # A screen just opened: wait until it is built (however long that takes on a
            # busy machine), then a frame or two for it to put the cursor somewhere.
            self._frames += 1
            self._schedule()
            return
        self._frames = 0
        target = target or screen
        while self.waiting:
            key = self.waiting.popleft()
            key.routed_to = target
            target.post_message(key)


async def route_key(node: Widget | Screen, event: events.Key) -> bool:
    """Route a key that reached ``node``; True when it was handled here (run or handed on)."""
    app = node.app
    router: KeyRouter | None = getattr(app, "key_router", None)
    if router is None or getattr(event, "routed_to", None) is not node:
        return False  # bubbling up from a child: that child has routed it
    screen = app.screen
    if isinstance(node, Screen):
        moved_on = screen is not node or node.focused is not None
    else:
        moved_on = screen.focused is not node
    if moved_on:
        router.hand_on(event)
        return True
    handle_now = getattr(screen, "key_now", None)
    if handle_now is not None and await handle_now(node, event.key):
        return True
    active = screen.active_bindings.get(event.key)
    if active is not None and active.enabled:
        # A binding — the widget's own (Backspace, ←), a container's, the screen's or the
        # app's (also when nothing has the focus): act now, while this node still has
        # the keys, not after bubbling up behind the keys typed after it.
        return await app.run_action(active.binding.action, active.node)
    return False


class Routed:
    """Mixin for widgets and screens whose keys are routed (see the module docstring)."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and await route_key(self, event):
            event.prevent_default()
            event.stop()
            return
        await super().on_event(event)
