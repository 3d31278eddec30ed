"""What the status line warns of, across areas: a room to prepare now, keys not back,
checklist items overdue (one line, the most urgent first)."""

from sqlmodel import Session

from reception import checklists, keys, rooms
from reception.i18n import t


def status_alert(session: Session) -> str:
    alerts = [alert for alert in (rooms.status_alert(session), keys.status_alert(session),
                                  checklists.status_alert(session)) if alert]
    return t("status.alert_separator").join(alerts)
