"""The lists ``reception export --list`` writes (``reception.list_export``).

Apart, so that the command line can offer them without importing the store and the
models (0.8 s): ``reception --help`` or a mistyped option answers at once.
"""

LISTS = ("day", "deals", "no-deals", "month", "callbacks")
