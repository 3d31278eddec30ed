"""The widgets screens type into, with their keys routed in order (``screens/keyroute.py``).

Use these instead of Textual's own in every screen: a burst of keys (a paste, an SSH link
with latency, a fast typist) then lands each key in the field that has focus when it is
handled.
"""

from textual.widgets import DataTable, Input, OptionList, Select, TextArea

from screens.keyroute import Routed


class RoutedInput(Routed, Input):
    pass


class RoutedSelect(Routed, Select):
    pass


class RoutedOptionList(Routed, OptionList):
    pass


class RoutedDataTable(Routed, DataTable):
    pass


class RoutedTextArea(Routed, TextArea):
    pass
