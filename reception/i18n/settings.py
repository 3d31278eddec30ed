"""Messages of the manager's settings screen and the settings rules."""

MESSAGES = {
    "screen.settings": ("设置", "Settings"),
    # Labels (the label column is 18 cells wide) and what each field takes.
    "settings.label.clinic_name": ("机构名称", "Clinic name"),
    "settings.label.opening_hours": ("营业时间", "Opening hours"),
    "settings.label.closing_time": ("下班时间", "Closing time"),
    "settings.label.callback_max_attempts": ("回访最多拨打", "Callback attempts"),
    "settings.label.callback_retry_hours": ("回访重拨间隔", "Retry callback in"),
    "settings.label.alert_minutes": ("提醒时限（分钟）", "Alert after (min)"),
    "settings.label.call_script_path": ("电话脚本文件", "Call script file"),
    "settings.label.sign_in_lock": ("密码输错锁定", "Lock sign-in"),
    "settings.label.stay_fees": ("押金 / 房卡丢失扣款", "Deposit / lost card"),
    "settings.label.areas_off": ("不用的功能区", "Areas switched off"),
    "settings.unit.clinic_name": ("最多 100 字", "up to 100 characters"),
    "settings.unit.opening_hours": ("09:00-21:00", "09:00-21:00"),
    "settings.unit.closing_time": ("HH:MM（钥匙须归还）", "HH:MM (keys back by)"),
    "settings.unit.callback_max_attempts": ("次（1–20）", "times (1–20)"),
    "settings.unit.callback_retry_hours": ("小时后（0.5–48）", "hours (0.5–48)"),
    "settings.unit.alert_minutes": ("等候 咨询 医生 治疗", "wait consult doctor treat"),
    "settings.unit.call_script_path": ("空白 = 内置脚本", "empty = built-in"),
    "settings.unit.sign_in_lock": ("连错次数 锁定分钟", "wrong PINs, minutes"),
    "settings.unit.stay_fees": ("元，如 2000 200", "yuan, e.g. 2000 200"),
    "settings.unit.areas_off": ("如 stays triage", "e.g. stays triage"),
    "settings.alert.waiting": ("等候", "Waiting"),
    "settings.alert.with_consultant": ("咨询中", "With consultant"),
    "settings.alert.with_doctor": ("看医生", "With doctor"),
    "settings.alert.in_treatment": ("治疗中", "In treatment"),
    "settings.hint": ("Enter 下一项，最后一项按 Enter 或 Ctrl+S 保存全部修改；"
                      "Esc 返回（已输入的内容保留）",
                      "Enter: next field; Enter on the last or Ctrl+S saves every change; "
                      "Esc: back (what you typed is kept)"),
    # Keys
    "settings.key.save": ("保存修改", "Save changes"),
    "settings.key.revert": ("放弃修改", "Drop changes"),
    # Outcomes
    "settings.saved": ("已保存：{names}", "Saved: {names}"),
    "settings.nothing_changed": ("没有修改", "Nothing changed"),
    "settings.not_saved": ("{count} 项未保存，请按提示修改", "{count} not saved: see the field"),
    "settings.draft_restored": ("已恢复上次未保存的修改（Ctrl+S 保存，Ctrl+D 放弃）",
                                "Unsaved changes restored (Ctrl+S saves, Ctrl+D drops them)"),
    "settings.reverted": ("已放弃修改，显示当前设置", "Changes dropped; the current settings "
                          "are shown"),
    "settings.name_separator": ("、", ", "),
    # Rules
    "settings.unknown": ("没有这个设置：{key}", "No such setting: {key}"),
    "settings.bad_time": ("时间格式应为 HH:MM（00:00–23:59）：{value}",
                          "A time is HH:MM (00:00–23:59): {value}"),
    "settings.clinic_name.required": ("请填写机构名称", "The clinic name is required"),
    "settings.clinic_name.too_long": ("机构名称最多 {limit} 字（现有 {length} 字）",
                                      "The clinic name is at most {limit} characters "
                                      "(this is {length})"),
    "settings.clinic_name.control": ("机构名称不能含控制字符", "The clinic name cannot hold "
                                     "control characters"),
    "settings.opening_hours.format": ("请输入开门和关门两个时间，如 09:00-21:00：{value}",
                                      "Type two times, opening and closing, e.g. "
                                      "09:00-21:00: {value}"),
    "settings.opening_hours.order": ("开门时间 {opening} 须早于关门时间 {closing}",
                                     "Opening {opening} must be before closing {closing}"),
    "settings.whole_number": ("请输入 {low} 到 {high} 的整数：{value}",
                              "A whole number from {low} to {high}: {value}"),
    "settings.retry_hours": ("请输入 {low} 到 {high} 小时：{value}",
                             "Hours from {low} to {high} (e.g. 1.5): {value}"),
    "settings.alert_minutes.count": ("请输入四个分钟数（等候、咨询中、看医生、治疗中），"
                                     "如 15 60 30 120；现有 {count} 个",
                                     "Four minutes (waiting, with consultant, with doctor, in "
                                     "treatment), e.g. 15 60 30 120; got {count}"),
    "settings.alert_minutes.range": ("{status}：分钟数须为 {low} 到 {high} 的整数：{value}",
                                     "{status}: minutes are a whole number from {low} to "
                                     "{high}: {value}"),
    "settings.script_unusable": ("脚本文件不能用：{reason}", "The script file cannot be used: "
                                 "{reason}"),
    "settings.sign_in_lock.format": ("请输入两个数：连续输错几次（3–20）、锁定几分钟（1–1440），"
                                     "如 5 15：{value}",
                                     "Two numbers: wrong PINs in a row (3–20) and minutes "
                                     "locked (1–1440), e.g. 5 15: {value}"),
    "settings.stay_fees.format": ("请输入两个金额（元）：押金、每张房卡丢失扣款，"
                                  "如 2000 200：{value}",
                                  "Type two amounts in yuan: the deposit and what a lost room "
                                  "card takes off it, e.g. 2000 200: {value}"),
    "settings.stay_fees.range": ("押金最多 100000 元，房卡扣款不能超过押金：{value}",
                                 "The deposit is at most 100000 yuan and a lost card cannot "
                                 "take more than the deposit: {value}"),
    "settings.areas_off.unknown": ("没有这个功能区：{value}（可选：{names}）",
                                   "No such area: {value} (one of: {names})"),
    "settings.closing_before_opening": ("下班时间要晚于开门时间（{opening}）",
                                        "Closing time must be after opening ({opening})"),
}
