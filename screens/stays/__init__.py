"""F7, the stays of a postpartum centre (``board``: arrivals, stays, rooms and the keys
that open each form; ``contract``: the handover and the archive; ``desk``: check-in, the
departments' confirmations, the day's visit; ``care``: requests and complaints, check-out).
"""

from screens.stays.board import StaysScreen

__all__ = ["StaysScreen"]
