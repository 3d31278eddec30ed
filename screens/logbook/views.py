"""What each view of F8 shows: its title, columns and rows, read through the domain.

A view is a logbook kind (``("kind", id)``) or one of ``checklist``, ``rooms``,
``visitors``, ``handover``. Rows carry the id of their record for the board's keys.
"""

from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from reception import checklists, handover, logbook, rooms, visitor_register
from reception.clock import clock
from reception.i18n import t
from screens.widgets.text import literal

VIEWS = ("checklist", "rooms", "visitors", "handover")


@dataclass
class View:
    title: str
    columns: list[str]
    rows: list[list[Text]] = field(default_factory=list)
    #: The record behind each row (an entry's Line, a Slot, a Booking, a Visitor, a Note).
    records: list[Any] = field(default_factory=list)
    empty: str = ""


def _hhmm(when) -> str:
    return clock.local(when).format("HH:mm") if when else ""


def kind_view(session, kind: logbook.Kind) -> View:
    found = logbook.lines(session, clock.today(), kind.id)
    view = View(t("logbook.view_title", kind=kind.name, n=sum(not line.struck
                                                               for line in found)),
                [t("logbook.col.at"), *[label for _id, label in kind.fields]],
                empty=t("logbook.empty"))
    for line in found:
        mark = "✗ " if line.struck else "✎ " if line.corrected else ""
        style = "strike dim" if line.struck else ""
        view.rows.append([Text(mark + _hhmm(line.at), style=style),
                          *[literal(line.value(field_id), style=style)
                            for field_id, _label in kind.fields]])
        view.records.append(line)
    return view


def checklist_view(session) -> View:
    now = clock.now_utc()
    slots = checklists.slots(session, clock.today())
    # Patrols: the rounds due so far and the next one (not the whole day's).
    upcoming = [slot for slot in slots if slot.checklist == "patrol" and slot.due_at > now]
    shown = [slot for slot in slots if slot.checklist != "patrol" or slot.due_at <= now
             or (upcoming and slot.due_at == upcoming[0].due_at)]
    late = sum(slot.overdue(now) for slot in slots)
    view = View(t("checklist.view_title", n=late), [
        t("checklist.col.due"), t("checklist.col.list"), t("checklist.col.item"),
        t("checklist.col.done")], empty=t("checklist.empty"))
    for slot in shown:
        if slot.ticked_at is not None:
            done = Text(t("checklist.done_by", name=slot.ticked_by, at=_hhmm(slot.ticked_at)),
                        style="yellow" if slot.late else "green")
        elif slot.overdue(now):
            done = Text(t("checklist.overdue"), style="bold red")
        else:
            done = Text("")
        view.rows.append([Text(_hhmm(slot.due_at)),
                          Text(t(f"checklist.name.{slot.checklist}")), literal(slot.text),
                          done])
        view.records.append(slot)
    return view


def rooms_view(session) -> View:
    view = View(t("rooms.view_title"), [
        t("rooms.col.day"), t("rooms.col.time"), t("rooms.col.room"), t("rooms.col.host"),
        t("rooms.col.people"), t("rooms.col.needs"), t("rooms.col.state")],
        empty=t("rooms.empty"))
    due = {found.booking.id for found in rooms.reminders(session)}
    for found in rooms.upcoming(session):
        booking = found.booking
        state = (Text(t("rooms.prepared"), style="green") if booking.prepared_at
                 else Text(t("rooms.prepare_now"), style="bold red") if booking.id in due
                 else Text(""))
        view.rows.append([Text(booking.day.strftime("%m-%d")), Text(found.times()),
                          literal(found.room), literal(booking.host), Text(str(booking.people)),
                          Text(rooms.needs_text(found)), state])
        view.records.append(found)
    return view


def visitors_view(session) -> View:
    view = View(t("visitors.view_title"), [
        t("visitors.col.in"), t("visitors.col.name"), t("visitors.col.company"),
        t("visitors.col.people"), t("visitors.col.whom"), t("visitors.col.badge"),
        t("visitors.col.out")], empty=t("visitors.empty"))
    for visitor in visitor_register.of_day(session, clock.today()):
        badge = visitor.badge + (" ✓" if visitor.badge and visitor.badge_returned_at else "")
        whom = " · ".join(part for part in (visitor.host, visitor.room) if part)
        out = _hhmm(visitor.left_at)
        if visitor.handed_to_hr_at:
            out = (out + " " if out else "") + t("visitors.to_hr")
        view.rows.append([Text(_hhmm(visitor.arrived_at)), literal(visitor.name),
                          literal(visitor.company), Text(str(visitor.people)), literal(whom),
                          literal(badge), Text(out)])
        view.records.append(visitor)
    return view


def handover_view(session) -> View:
    view = View(t("handover.view_title"), [
        t("handover.col.at"), t("handover.col.from"), t("handover.col.note"),
        t("handover.col.ack")], empty=t("handover.empty"))
    for note in handover.of_day(session, clock.today()):
        ack = (t("checklist.done_by", name=note.acknowledged_by,
                 at=_hhmm(note.handover.acknowledged_at))
               if note.handover.acknowledged_at else t("handover.waiting"))
        view.rows.append([Text(_hhmm(note.handover.created_at)), literal(note.from_name),
                          literal(" ".join(note.handover.note.split())),
                          Text(ack, style="" if note.handover.acknowledged_at else "bold")])
        view.records.append(note)
    return view


BUILDERS = {"checklist": checklist_view, "rooms": rooms_view, "visitors": visitors_view,
            "handover": handover_view}
