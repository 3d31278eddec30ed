"""What the demo of a branch finds already in the store: on a chain (PostgreSQL), the other
branches' demo or real work, which the new branch shares and must not collide with.

- Customers are the chain's: the branch's returning visitors may be customers who dealt at
  another branch; its new customers take the next ids and phones nobody has.
- A day's case numbers are the chain's: the branch's first deals go on after the numbers the
  day has handed out already (still unique and gapless per day).
- The settings and the built-in callback rule are the chain's: kept, not written again.
- Every other row belongs to the branch; its ids come after every branch's (a server's
  sequences count every branch's rows, which row-level security hides from this one).

On a new store all of it is empty, and the demo starts from nothing.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, text, update

from models import CallbackRule, CaseNumberDay, Customer, Setting
from reception.callbacks import BUILTIN_RULE_NAME


@dataclass
class Chain:
    last_customer: int = 0
    phones: set[str] = field(default_factory=set)
    #: Customers who dealt (have a case number): who may come back and deal again.
    dealt: list[int] = field(default_factory=list)
    case_seq: dict[date, int] = field(default_factory=dict)
    settings: set[str] = field(default_factory=set)
    builtin_rule: int | None = None


def read_chain(session) -> Chain:
    """The chain's shared rows as this branch sees them (every customer, the day counters)."""
    chain = Chain()
    chain.last_customer = session.execute(select(func.max(Customer.id))).scalar() or 0
    if not chain.last_customer:
        return chain
    chain.phones = set(session.execute(select(Customer.phone)).scalars())
    chain.dealt = list(session.execute(select(Customer.id).where(
        Customer.case_number.is_not(None)).order_by(Customer.id)).scalars())
    chain.case_seq = dict(session.execute(select(CaseNumberDay.day, CaseNumberDay.last_seq)
                                          ).all())
    chain.settings = set(session.execute(select(Setting.key)).scalars())
    chain.builtin_rule = session.execute(select(CallbackRule.id).where(
        CallbackRule.builtin, CallbackRule.name == BUILTIN_RULE_NAME).limit(1)).scalar()
    return chain


def last_ids(session, tables) -> dict[str, int]:
    """Each table's largest id in use by any branch: a server's sequence knows it (rows of
    other branches are hidden from this one); a file's rows are all in sight."""
    found: dict[str, int] = {}
    postgres = session.get_bind().dialect.name == "postgresql"
    for table in tables:
        if "id" not in table.columns:
            continue
        largest = session.execute(select(func.max(table.c.id))).scalar() or 0
        if postgres:
            sequence = session.execute(text("SELECT pg_get_serial_sequence(:table, 'id')"),
                                       {"table": table.name}).scalar()
            if sequence is not None:
                used = session.execute(text(
                    f"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
                    f"FROM {sequence}")).scalar()
                largest = max(largest, used)
        found[table.name] = largest
    return found


def move_case_numbers_on(session, handed_out: dict[date, int]) -> None:
    """The days that had case numbers before the demo: their counters go on to the last
    number the demo gave (the new days' counters are written with the demo's rows)."""
    for day, last_seq in sorted(handed_out.items()):
        session.execute(update(CaseNumberDay).where(CaseNumberDay.day == day)
                        .values(last_seq=last_seq))
