"""Checklists with due times: opening (seed 002 §14; seed 001 3.2.3–3.2.4), the advertising
lights at dusk (§9, a time per season the manager sets), a patrol every N minutes during
opening hours (seed 001 3.3.1.5), and closing (§8, §10; seed 001 3.4.1).

A day's checklist is its items, each due at a time (a patrol's items once per round). An
item not ticked by its time is overdue: the status line says so, and the night check lists
it. Who ticked, and when, is kept; a signed-off day takes no ticks.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import arrow
from sqlmodel import Session, col, func, select

from models import ChecklistItem, ChecklistTick, Staff
from reception import audit, days, settings
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from reception.permissions import require_manager

CHECKLISTS = ("opening", "dusk", "patrol", "closing")
ITEM_MAX = 100
#: The duties from the seeds, by checklist (shown in the reader's language until reworded).
DEFAULT_ITEMS: dict[str, tuple[str, ...]] = {
    "opening": ("lights", "music", "aroma", "water", "desk"),
    "dusk": ("ad_lights",),
    "patrol": ("patrol",),
    "closing": ("cups", "power_off", "devices", "records"),
}


class ChecklistError(ReceptionError):
    """A checklist rule said no."""


def item_text(item: ChecklistItem) -> str:
    return item.text if item.text or not item.code else t(f"checklist.item.{item.code}")


# --- the items, as the manager keeps them ----------------------------------------------------
def ensure_default_items(session: Session) -> None:
    """The seeds' duties, the first time checklists are used (never again once any exist)."""
    if session.exec(select(func.count()).select_from(ChecklistItem)).one():
        return
    now = clock.now_utc()
    for checklist, codes in DEFAULT_ITEMS.items():
        for position, code in enumerate(codes):
            session.add(ChecklistItem(checklist=checklist, code=code, position=position,
                                      created_at=now))
    session.flush()


def items(session: Session, checklist: str | None = None, *,
          active_only: bool = True) -> list[ChecklistItem]:
    query = select(ChecklistItem)
    if checklist is not None:
        query = query.where(ChecklistItem.checklist == checklist)
    if active_only:
        query = query.where(col(ChecklistItem.active).is_(True))
    rows = session.exec(query).all()
    return sorted(rows, key=lambda item: (CHECKLISTS.index(item.checklist), item.position,
                                          item.id))


def _text(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValidationError("text", "field.required")
    if len(cleaned) > ITEM_MAX:
        raise ValidationError("text", "checklist.item_too_long", limit=ITEM_MAX)
    return cleaned


def add_item(session: Session, checklist: str, text: str, *, by: int | None) -> ChecklistItem:
    require_manager(session, by, error=ChecklistError)
    if checklist not in CHECKLISTS:
        raise ValidationError("checklist", "checklist.unknown")
    position = session.exec(select(func.max(ChecklistItem.position))
                            .where(ChecklistItem.checklist == checklist)).one()
    item = ChecklistItem(checklist=checklist, text=_text(text),
                         position=(position if position is not None else -1) + 1,
                         created_at=clock.now_utc(), created_by_id=by)
    session.add(item)
    session.flush()
    audit.record(session, by=by, action="checklist_item_add", record_type="checklist_item",
                 record_id=item.id, checklist=checklist, text=item.text)
    return item


def reword_item(session: Session, item_id: int, text: str, *, by: int | None) -> ChecklistItem:
    require_manager(session, by, error=ChecklistError)
    item = session.get(ChecklistItem, item_id)
    if item is None:
        raise ChecklistError("checklist.unknown_item")
    old = item_text(item)
    item.text, item.code = _text(text), ""
    session.add(item)
    audit.record(session, by=by, action="checklist_item_reword", record_type="checklist_item",
                 record_id=item.id, old=old, text=item.text)
    return item


def remove_item(session: Session, item_id: int, *, by: int | None) -> ChecklistItem:
    """Off the checklist from now on (the ticks of days past keep it)."""
    require_manager(session, by, error=ChecklistError)
    item = session.get(ChecklistItem, item_id)
    if item is None:
        raise ChecklistError("checklist.unknown_item")
    item.active = False
    session.add(item)
    audit.record(session, by=by, action="checklist_item_remove", record_type="checklist_item",
                 record_id=item.id, text=item_text(item))
    return item


# --- a day's checklist ---------------------------------------------------------------------
def _at(day: date, when: time) -> datetime:
    return arrow.get(datetime.combine(day, when), tzinfo=clock.tz).to("utc").datetime


def due_times(values: settings.Settings, checklist: str, day: date) -> list[datetime]:
    """When the checklist's items are due on ``day``; a patrol: one time per round."""
    if checklist == "opening":
        return [_at(day, values.opens)]
    if checklist == "dusk":
        return [_at(day, values.dusk_on(day))]
    if checklist == "closing":
        return [_at(day, values.closing)]
    opens, closes = _at(day, values.opens), _at(day, values.closes)
    step = timedelta(minutes=values.patrol_minutes)
    rounds, due = [], opens + step
    while due <= closes:
        rounds.append(due)
        due += step
    return rounds


@dataclass(frozen=True)
class Slot:
    """One item due at one time (a patrol: one round)."""

    item_id: int
    checklist: str
    text: str
    round: int
    due_at: datetime
    ticked_at: datetime | None
    ticked_by: str

    def overdue(self, now: datetime) -> bool:
        return self.ticked_at is None and now > self.due_at

    @property
    def late(self) -> bool:
        return self.ticked_at is not None and self.ticked_at > self.due_at

    def label(self) -> str:
        due = clock.local(self.due_at).format("HH:mm")
        return t("checklist.slot", checklist=t(f"checklist.name.{self.checklist}"),
                 item=self.text, due=due)


def slots(session: Session, day: date, checklist: str | None = None) -> list[Slot]:
    """The day's checklist items in due order, each with its tick (if any)."""
    values = settings.load(session)
    ticks = {(tick.item_id, tick.round): (tick, name) for tick, name in session.exec(
        select(ChecklistTick, Staff.name).outerjoin(Staff, Staff.id == ChecklistTick.staff_id)
        .where(ChecklistTick.day == day)).all()}
    found = []
    for item in items(session, checklist):
        if clock.day_of(item.created_at) > day:
            continue  # not on the checklist yet that day
        times_due = due_times(values, item.checklist, day)
        for number, due in enumerate(times_due, 1):
            round_number = number if item.checklist == "patrol" else 0
            tick, name = ticks.get((item.id, round_number), (None, ""))
            found.append(Slot(item.id, item.checklist, item_text(item), round_number, due,
                              tick.ticked_at if tick else None, name or ""))
    return sorted(found, key=lambda slot: (slot.due_at, CHECKLISTS.index(slot.checklist)))


def overdue(session: Session, day: date | None = None,
            now: datetime | None = None) -> list[Slot]:
    """Items not ticked by their time (on a day past: every item not ticked)."""
    day = day or clock.today()
    now = now or clock.now_utc()
    return [slot for slot in slots(session, day) if slot.overdue(now)]


def next_patrol_round(session: Session, item_id: int,
                      now: datetime | None = None) -> int:
    """The patrol round a tick now counts for: the next one due (a round missed stays
    missed). Refused after the day's last round."""
    now = now or clock.now_utc()
    due = due_times(settings.load(session), "patrol", clock.today())
    for number, when in enumerate(due, 1):
        if when >= now:
            return number
    raise ChecklistError("checklist.no_round_left")


def tick(session: Session, item_id: int, *, by: int | None, round_number: int | None = None,
         note: str = "") -> ChecklistTick:
    """Today's item done, by the signed-in staff member, now. A patrol item without a round
    counts for the next round due. Refused on a signed-off day and for an item ticked."""
    day = clock.today()
    days.ensure_open(session, day)
    item = session.get(ChecklistItem, item_id)
    if item is None or not item.active:
        raise ChecklistError("checklist.unknown_item")
    if by is None:
        raise ChecklistError("checklist.who_required")
    values = settings.load(session)
    due = due_times(values, item.checklist, day)
    if item.checklist == "patrol":
        if round_number is None:
            round_number = next_patrol_round(session, item_id)
        if not 1 <= round_number <= len(due):
            raise ChecklistError("checklist.no_such_round", round=round_number)
        due_at = due[round_number - 1]
        # A round is walked in the minutes before it is due, not hours ahead.
        if clock.now_utc() < due_at - timedelta(minutes=values.patrol_minutes):
            raise ChecklistError("checklist.round_not_yet",
                                 due=clock.local(due_at).format("HH:mm"))
    else:
        round_number, due_at = 0, due[0]
    done = session.exec(select(ChecklistTick, Staff.name)
                        .outerjoin(Staff, Staff.id == ChecklistTick.staff_id)
                        .where(ChecklistTick.day == day, ChecklistTick.item_id == item_id,
                               ChecklistTick.round == round_number)).first()
    if done is not None:
        earlier, name = done
        raise ChecklistError("checklist.already_ticked", item=item_text(item), name=name or "?",
                             at=clock.local(earlier.ticked_at).format("HH:mm"))
    now = clock.now_utc()
    row = ChecklistTick(day=day, item_id=item_id, round=round_number, due_at=due_at,
                        ticked_at=now, staff_id=by, note=note.strip(), created_at=now,
                        created_by_id=by)
    session.add(row)
    session.flush()
    audit.record(session, by=by, action="checklist_tick", record_type="checklist_tick",
                 record_id=row.id, item=item_text(item), round=round_number)
    return row


def status_alert(session: Session, now: datetime | None = None) -> str:
    """The status line's words for today's overdue items ("" when none)."""
    late = overdue(session, clock.today(), now)
    if not late:
        return ""
    if len(late) == 1:
        return t("checklist.status_one", slot=late[0].label())
    return t("checklist.status_many", n=len(late), slot=late[0].label())
