"""The widgets screens type into, with their keys routed in order (``screens/keyroute.py``).

Use these instead of Textual's own in every screen: a burst of keys (a paste, an SSH link
with latency, a fast typist) then lands each key in the field that has focus when it is
handled.
"""

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import DataTable, Input, OptionList, Select, TextArea

from screens.keyroute import Routed


class RoutedInput(Routed, Input):
    # Textual's Input sets its virtual size at every change of its text, and that asks for
    # the whole screen to be laid out again: at every key typed. A field's size is the
    # screen's to set (its text scrolls inside it), so a key repaints the field only.
    virtual_size = Reactive(Size(0, 0), layout=False)


class RoutedSelect(Routed, Select):
    pass


class RoutedOptionList(Routed, OptionList):
    pass


class RoutedDataTable(Routed, DataTable):
    pass


class RoutedTextArea(Routed, TextArea):
    pass
