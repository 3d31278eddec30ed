"""The built-in call script: the seed's telephone procedure (seed 002 §11), in Chinese
and English, as the data ``script.build`` reads.
"""

from typing import Any


# --- the built-in script (seed 002 §11) ------------------------------------------------
def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _b(key: str, zh: str, en: str, to: str) -> dict[str, Any]:
    return {"key": key, "label": _t(zh, en), "to": to}


_GOODBYE = _t("好的,祝您愉快,再见。", "Thank you, have a nice day. Goodbye.")


BUILTIN: dict[str, Any] = {
    "start": "greeting",
    "nodes": {
        "greeting": {
            "say": _t("您好,欢迎致电{clinic},请问有什么可以帮到您?",
                      "Hello, thank you for calling {clinic}. How can I help you?"),
            "prompt": _t("电话响第 2 至 3 声时接起,音量适中。", "Answer at the 2nd or 3rd ring, "
                         "in a moderate voice."),
            "branches": [
                _b("1", "找老总", "For the boss", "boss_surname"),
                _b("2", "找咨询师", "For a consultant", "consultant_which"),
                _b("3", "咨询 / 预约", "Enquiry or booking", "enquiry"),
                _b("4", "其他", "Something else", "other_note"),
            ],
        },
        # For the boss: surname first, then whether they have an appointment.
        "boss_surname": {
            "kind": "input", "field": "surname", "next": "boss_appointment",
            "say": _t("请问您贵姓?", "May I have your surname, please?"),
            "prompt": _t("记下对方的姓,回车继续。", "Type the caller's surname, Enter to go on."),
        },
        "boss_appointment": {
            "say": _t("{surname}先生/{surname}女士,请问您和我们老总有预约吗?",
                      "Do you have an appointment with our director, {surname}?"),
            "prompt": _t("称呼二选一,按对方说:{surname}先生 或 {surname}女士。",
                         "Address the caller as Mr or Ms {surname}, as fits."),
            "branches": [
                _b("1", "没有预约", "No appointment", "boss_matter"),
                _b("2", "有预约", "Has an appointment", "boss_check"),
            ],
        },
        "boss_matter": {
            "kind": "input", "field": "matter", "next": "boss_not_in",
            "say": _t("请问您找我们老总有什么事情?", "May I ask what it is about?"),
            "prompt": _t("记下事情,回车继续。", "Type what it is about, Enter to go on."),
        },
        "boss_not_in": {
            "say": _t("您好,我们老总现在不在,如果您不介意的话,请您留下您的姓名、手机号码和"
                      "事情,我们帮您转达。",
                      "I'm sorry, our director is not in at the moment. If you don't mind, "
                      "please leave your name, mobile number and what it is about, and we "
                      "will pass it on."),
            "branches": [
                _b("1", "留言", "Leaves a message", "boss_message"),
                _b("2", "对方说:不用了", "Caller says: no, thanks", "goodbye"),
            ],
        },
        "boss_check": {
            "say": _t("请您稍等,我帮您确认一下我们老总是否在办公室。",
                      "One moment please, let me check whether our director is in the office."),
            "prompt": _t("去办公室告诉老总:{surname}先生/女士来电,问老总是否接听。",
                         "Go to the director's office: {surname} is on the phone, will the "
                         "director take the call?"),
            "branches": [
                _b("1", "老总接听:转接", "Director takes it: transfer", "boss_transfer"),
                _b("2", "老总不接", "Director declines", "boss_declined"),
            ],
        },
        "boss_transfer": {
            "kind": "end", "outcome": "transferred",
            "say": _t("好的,现在为您转接,请稍等。", "Thank you, I'm putting you through now."),
            "prompt": _t("把电话转给老总。", "Transfer the call to the director."),
        },
        "boss_declined": {
            "say": _t("不好意思,我们老总现在不在办公室,如果您不介意,您可以和我们说是什么事情,"
                      "我们稍后为您转告我们老总。",
                      "I'm sorry, our director is not in the office right now. If you don't "
                      "mind, tell us what it is about and we will pass it on to our director."),
            "branches": [
                _b("1", "留言", "Leaves a message", "boss_message"),
                _b("2", "对方说:不用了", "Caller says: no, thanks", "goodbye"),
            ],
        },
        "boss_message": {
            "kind": "message", "recipient": "boss", "next": "goodbye_message",
            "say": _t("好的,请讲,我记一下。", "Certainly, go ahead, I'll write it down."),
            "prompt": _t("记下姓名、手机号码和事情,转达给老总。",
                         "Take the name, mobile number and matter for the director."),
        },
        # For a consultant: which one, then today's rota decides.
        "consultant_which": {
            "kind": "consultant", "on_duty": "consultant_fetch", "off_duty": "consultant_off",
            "busy": "consultant_busy",
            "say": _t("请问您找哪位咨询师?", "Which consultant would you like to speak to?"),
            "prompt": _t("按数字选咨询师(显示今天是否上班、是否正在接待客人)。",
                         "Pick the consultant by digit (shows who is in today and who is "
                         "with a customer)."),
        },
        "consultant_fetch": {
            "kind": "end", "outcome": "fetched",
            "say": _t("请您稍等,我马上请{consultant}来接电话。",
                      "Please hold on, I'll get {consultant} for you."),
            "prompt": _t("去找{consultant}来接电话。", "Go and fetch {consultant} to the phone."),
        },
        "consultant_busy": {
            "say": _t("不好意思,{consultant}正在接待客人。您是稍等一下,还是留言让{consultant}"
                      "稍后给您回电?",
                      "I'm sorry, {consultant} is with a customer right now. Would you like "
                      "to hold, or leave a message so {consultant} can call you back?"),
            "branches": [
                _b("1", "稍等", "Holds", "consultant_hold"),
                _b("2", "留言", "Leaves a message", "consultant_message"),
                _b("3", "对方说:不用了", "Caller says: no, thanks", "goodbye"),
            ],
        },
        "consultant_hold": {
            "kind": "end", "outcome": "held",
            "say": _t("好的,请您稍等,{consultant}接待完马上来接电话。",
                      "Thank you, please hold; {consultant} will be with you as soon as "
                      "they are free."),
            "prompt": _t("告诉{consultant}有电话在等,接待完来接。",
                         "Tell {consultant} a caller is holding, to pick up when free."),
        },
        "consultant_off": {
            "say": _t("不好意思,{consultant}今天不上班。"
                      "如果有什么事情需要转告的,我们可以帮您转达。",
                      "I'm sorry, {consultant} is not working today. If there is anything "
                      "you'd like us to pass on, we can relay a message."),
            "branches": [
                _b("1", "留言", "Leaves a message", "consultant_message"),
                _b("2", "对方说:不用了", "Caller says: no, thanks", "goodbye"),
            ],
        },
        "consultant_message": {
            "kind": "message", "recipient": "consultant", "next": "goodbye_message",
            "say": _t("好的,请讲,我记一下。", "Certainly, go ahead, I'll write it down."),
            "prompt": _t("记下姓名、手机号码和事情,转达给{consultant}。",
                         "Take the name, mobile number and matter for {consultant}."),
        },
        # Enquiry or booking.
        "enquiry": {
            "say": _t("好的,请问您想了解哪方面的项目,还是需要帮您预约?",
                      "Of course. What would you like to know about, or shall I book you "
                      "an appointment?"),
            "branches": [
                _b("1", "解答咨询", "Answer the enquiry", "enquiry_answer"),
                _b("2", "预约", "Book an appointment", "book"),
            ],
        },
        "enquiry_answer": {
            "kind": "input", "field": "note", "next": "enquiry_more",
            "say": _t("(回答对方的问题)", "(Answer the caller's question.)"),
            "prompt": _t("简要记下问了什么,回车继续。", "Note briefly what was asked, Enter to "
                         "go on."),
        },
        "enquiry_more": {
            "say": _t("请问还需要帮您预约吗?", "Would you like me to book you an appointment?"),
            "branches": [
                _b("1", "预约", "Book an appointment", "book"),
                _b("2", "不用了", "No, thanks", "goodbye_answered"),
            ],
        },
        "book": {
            "kind": "book", "next": "booked",
            "say": _t("好的,请问您怎么称呼?手机号码是多少?\n"
                      "想约什么时间、找哪位咨询师、了解哪方面的项目?",
                      "Certainly. May I have your name and mobile number? When would you "
                      "like to come, with which consultant, and what for?"),
            "prompt": _t("先输手机号码(老顾客会自动找到),再填时间、咨询师和来意。",
                         "Type the mobile first (a customer on file is found), then the time, "
                         "consultant and what for."),
        },
        "booked": {
            "kind": "end", "outcome": "booked",
            "say": _t("好的,已为您预约 {time},预约号是 {number},到院时报预约号就可以。"
                      "祝您愉快,再见。",
                      "You are booked for {time}; your appointment number is {number}. "
                      "Please give it when you arrive. Goodbye."),
        },
        # Anything else: a free note.
        "other_note": {
            "kind": "input", "field": "note", "next": "goodbye_note",
            "say": _t("好的,请讲。", "Certainly, go ahead."),
            "prompt": _t("记下来电的事情,回车继续。",
                         "Note what the call is about, Enter to go on."),
        },
        "goodbye": {"kind": "end", "outcome": "no_message", "say": _GOODBYE},
        "goodbye_message": {"kind": "end", "outcome": "message", "say": _GOODBYE},
        "goodbye_answered": {"kind": "end", "outcome": "answered", "say": _GOODBYE},
        "goodbye_note": {"kind": "end", "outcome": "note", "say": _GOODBYE},
    },
}
