"""Why a customer search result matched (``customers.search``: ``Found.why``)."""

MESSAGES = {
    "search.why.phone": ("手机号", "phone"),
    "search.why.phone_end": ("手机尾号", "phone ending"),
    "search.why.phone_part": ("手机号中间", "part of the phone"),
    "search.why.case_number": ("病历号", "case number"),
    "search.why.case_number_part": ("病历号部分", "part of the case number"),
    "search.why.appointment": ("预约号", "appointment number"),
    "search.why.name": ("姓名", "name"),
    "search.why.name_start": ("姓名开头", "start of the name"),
    "search.why.name_part": ("姓名中", "part of the name"),
    "search.why.initials": ("拼音首字母", "initials"),
    "search.why.initials_start": ("拼音首字母开头", "start of the initials"),
    "search.why.initials_part": ("拼音首字母中", "part of the initials"),
}
