"""F8: the counter's logbooks, checklists, room bookings, visitors and shift handover."""

from screens.logbook.board import LogbookScreen

__all__ = ["LogbookScreen"]
