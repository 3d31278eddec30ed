"""A server's write locks: transaction-level advisory locks, always taken in this order, so
two units of work never wait for each other in a circle.

1. Every write of a branch holds ``WRITE_LOCK`` shared, which a unit on the chain's own
   tables (``reception.branches.chain_write``) or a move takes exclusively: those wait for
   every write of the chain and hold every one back (``reception.server_store``, as the
   unit begins).
2. Then its branch's lock, ``(WRITE_LOCK, branch id)``, taken just before the unit's first
   statement. By default exclusively, as SQLite's ``BEGIN IMMEDIATE`` takes the file's: the
   unit sees every earlier write of the branch and no other write of the branch runs
   alongside (the day's sign-off needs exactly that: ``whole_branch``). A unit whose rules
   each take a keyed lock of their own says so before anything else (``keyed_unit``, through
   ``reception.db.keyed_unit``: a walk-in, a deal, a key lent or returned): it holds the
   branch's lock shared, so such units of one branch run side by side and only two after
   the same key queue, while an exclusive unit still waits for all of them and they for it.
   A unit never moves from shared to exclusive. Two branches' writes never wait here.
3. Keyed locks, inside the domain function whose rule needs one (``reception.db.chain_lock``
   and ``branch_lock``), keyed by the rule and its value: the chain's (one customer per
   phone, the day's case numbers, the settings, a visit's or a key's state) and a branch's
   (the day's rotation). A unit takes them in the order of ``RULE_ORDER``, so two units
   after the same two keys take them in the same order.
"""

from sqlalchemy import Engine, event, text
from sqlmodel import Session

#: The advisory locks' first key (any fixed numbers will do): ``(WRITE_LOCK, branch id)`` is
#: a branch's write lock; ``WRITE_LOCK`` alone (a bigint key of its own) the whole chain's.
WRITE_LOCK = 0x5EC0
#: ``(RULE_LOCK, hash of the rule)`` and ``(RULE_LOCK, hash of rule:value)``: a rule's locks
#: (``take_chain_lock``).
RULE_LOCK = 0x5EC1
#: The order a unit of work takes its keyed locks in, when it takes several.
RULE_ORDER = ("visit", "appointment", "phone", "customer", "case_number", "rotation", "key")
#: ``Connection.info``'s entry for the unit's branch lock: ``(state, branch id)``, the state
#: "pending" until the unit's first statement, then "exclusive" or "shared" ("to share"
#: after ``keyed_unit``, until the next statement takes it); None for a unit that takes no
#: branch lock (a read, or the chain's own tables).
BRANCH_LOCK = "reception_branch_lock"
#: How the branch-lock statement starts (it is not the unit's first statement itself).
_BRANCH_LOCK_SQL = "SELECT /* branch lock */ "
_SHARED = "pg_advisory_xact_lock_shared"
TO_SHARE = "to share"


def install(engine: Engine) -> None:
    """Before a write unit's first statement, its branch's lock, exclusively unless the
    unit said ``keyed_unit`` (``reception.server_store`` marks the unit "pending")."""

    @event.listens_for(engine, "before_cursor_execute")
    def branch_lock_first(connection, cursor, statement, _parameters, _context, _many):
        held = connection.info.get(BRANCH_LOCK)
        if held is None or held[0] not in ("pending", TO_SHARE) or statement.startswith(
                _BRANCH_LOCK_SQL):
            return
        if held[0] == TO_SHARE:
            connection.info[BRANCH_LOCK] = ("shared", held[1])
            cursor.execute(f"{_BRANCH_LOCK_SQL}{_SHARED}({WRITE_LOCK}, {held[1]})")
        else:
            connection.info[BRANCH_LOCK] = ("exclusive", held[1])
            cursor.execute(f"{_BRANCH_LOCK_SQL}pg_advisory_xact_lock({WRITE_LOCK}, {held[1]})")


def keyed_unit(session: Session) -> None:
    """The unit of work's rules each take a keyed lock of their own: its branch's lock is
    held shared, beside the branch's other such units (taken with the unit's next
    statement, so a keyed lock right after costs no round trip of its own). Does nothing
    once the unit has run a statement (it then holds the lock exclusively, which is more
    than enough)."""
    connection = session.connection()
    held = connection.info.get(BRANCH_LOCK)
    if held is not None and held[0] == "pending":
        connection.info[BRANCH_LOCK] = (TO_SHARE, held[1])


def whole_branch(session: Session) -> None:
    """The unit of work holds its branch's lock exclusively: no other write of the branch
    runs alongside. A programming error after ``keyed_unit``: a unit never moves from
    shared to exclusive (two such units would wait for each other)."""
    connection = session.connection()
    held = connection.info.get(BRANCH_LOCK)
    if held is None or held[0] == "exclusive":
        return
    if held[0] != "pending":
        raise RuntimeError("this unit of work holds its branch's lock shared (keyed_unit): "
                           "what needs the whole branch runs in a unit of its own")
    connection.info[BRANCH_LOCK] = ("exclusive", held[1])
    connection.exec_driver_sql(
        f"{_BRANCH_LOCK_SQL}pg_advisory_xact_lock({WRITE_LOCK}, {held[1]})")


def take_chain_lock(session: Session, rule: str, value: object = None, *,
                    branch: bool = False) -> None:
    """Serialise a rule until the unit of work ends: the whole chain's, or (``branch``) the
    unit's branch's only.

    With ``value`` (a phone, a day) only units after the same value queue, and each holds
    the rule shared; without one the unit holds the whole rule (e.g. an import of many
    customers against every phone registered meanwhile). Taken after the branch's lock, in
    a domain function; once per unit of work for each rule and value."""
    connection = session.connection()
    held_branch = connection.info.get(BRANCH_LOCK)
    if held_branch is not None and held_branch[0] == TO_SHARE and (
            session.new or session.dirty or session.deleted):
        session.flush()  # written before the first statement: the flush takes the lock
        held_branch = connection.info.get(BRANCH_LOCK)
    if branch:
        rule = f"{rule}@{held_branch[1] if held_branch is not None else 'chain'}"
    held = session.info.setdefault("reception_chain_locks", set())
    key = (rule, None if value is None else str(value), id(session.get_transaction()))
    if key in held:
        return
    first = "SELECT "
    if held_branch is not None and held_branch[0] == TO_SHARE:
        # The unit's first statement: the branch's shared lock in the same round trip,
        # before the rule's (a select list is evaluated in order).
        connection.info[BRANCH_LOCK] = ("shared", held_branch[1])
        first = f"{_BRANCH_LOCK_SQL}{_SHARED}({WRITE_LOCK}, {held_branch[1]}), "
    if value is None:
        statement = "pg_advisory_xact_lock(:class, hashtext(CAST(:rule AS text)))"
    else:
        statement = ("pg_advisory_xact_lock_shared(:class, hashtext(CAST(:rule AS text))), "
                     "pg_advisory_xact_lock(:class, hashtext(CAST(:key AS text)))")
    session.execute(text(f"{first}{statement}"),
                    {"class": RULE_LOCK, "rule": rule, "key": f"{rule}:{value}"})
    held.add(key)
