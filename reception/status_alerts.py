"""What the status line warns of, across areas: a room to prepare now, keys not back,
checklist items overdue, complaints waiting past ten minutes (one line, the most urgent
first)."""

from sqlmodel import Session

from reception import checklists, keys, rooms
from reception.i18n import t


def status_alert(session: Session) -> str:
    alerts = [alert for alert in (rooms.status_alert(session), keys.status_alert(session),
                                  checklists.status_alert(session), _stays(session)) if alert]
    return t("status.alert_separator").join(alerts)


def _stays(session: Session) -> str:
    """Complaints past their ten minutes (F7), unless this site switched stays off."""
    from reception import settings, stay_care

    if "stays" in settings.load(session).areas_off:
        return ""
    return stay_care.status_alert(session)


def due_now(session: Session) -> str:
    """The dashboard's line for F8: checklist items overdue, rooms to prepare now."""
    parts = []
    late = checklists.overdue(session)
    if late:
        parts.append(t("dash.checklist_overdue", n=len(late), slot=late[0].label()))
    parts += [t("dash.room_prepare", room=found.room, times=found.times())
              for found in rooms.reminders(session)]
    return t("status.alert_separator").join(parts) or t("dash.logbook_nothing_due")
