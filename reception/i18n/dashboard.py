"""Messages of the home screen (dashboard) beyond the shared ``dash.*`` ones in core."""

MESSAGES = {
    "dashboard.col.key_state": ("状态", "State"),
    "dashboard.col.waited": ("时长", "For"),
    "dashboard.count": ("{title}（{n}）", "{title} ({n})"),
    "dashboard.line": ("{title}：{value}", "{title}: {value}"),
    "dashboard.person": ("{name}（{role}）", "{name} ({role})"),
    "dashboard.list_separator": ("、", ", "),
    "dashboard.drafts": ("有未填完的表：{areas}", "Forms left half-filled: {areas}"),
}
