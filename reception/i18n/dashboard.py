"""Messages of the home screen (dashboard) beyond the shared ``dash.*`` ones in core."""

MESSAGES = {
    "dashboard.col.key_state": ("状态", "State"),
    "dashboard.col.waited": ("时长", "For"),
    # A visit's status in the dashboard's narrow box (F2's board has room for the long one).
    "dashboard.status.waiting": ("等候", "Waiting"),
    "dashboard.status.with_consultant": ("咨询中", "Consulting"),
    "dashboard.status.with_doctor": ("看医生", "At doctor"),
    "dashboard.status.in_treatment": ("治疗区", "Treatment"),
    "dashboard.status.left": ("已离店", "Left"),
    "dashboard.count": ("{title}（{n}）", "{title} ({n})"),
    "dashboard.line": ("{title}：{value}", "{title}: {value}"),
    "dashboard.person": ("{name}（{role}）", "{name} ({role})"),
    "dashboard.list_separator": ("、", ", "),
    "dashboard.drafts": ("有未填完的表：{areas}", "Forms left half-filled: {areas}"),
}
