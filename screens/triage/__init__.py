"""F2 walk-in triage: the screens the receptionist lives in (seed 002, D1–D3).

- ``board``: everyone in the building; single keys start each path and move visits on.
- ``search``: find the appointment (B) or the returning customer (C), as you type.
- ``walkin``: the register form of a first visit (A, and B filled in from the appointment).
- ``consultant``: who sees them; confirming triages them.
- ``visitor``: someone who is not a customer.
- ``visit_forms``: a visit's outcome, and its fix (the night check's corrections).
- ``register``: the register book and its exports.

Each step is a screen pushed over the one before and returns its result to it; the board
shows the visit that results, selected.

Keystrokes, from the dashboard (``2`` or F2 counted), checked by tests:
- returning customer by the last four phone digits, sent to their consultant:
  ``2 c 5 6 7 8 Enter Enter`` (8);
- booked appointment marked arrived and triaged: ``2 b 1 Enter Enter Enter`` (6) — the
  register form of a booked customer opens at its last field, so Enter goes on.
"""

from screens.triage.board import TriageScreen

__all__ = ["TriageScreen"]
