"""F5, the daily callback list: the list (``board``), the call's forms (``forms``), the
summary and export (``summary``), the manager's rules and low scores (``manager``)."""

from screens.callbacks.board import CallbacksScreen

__all__ = ["CallbacksScreen"]
