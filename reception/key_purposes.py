"""What a key is lent for: the built-in purposes, stored as codes.

A loan for one of the purposes the desk uses every day (fetching a customer's case file,
filing, receiving a VIP guest) stores the purpose's code, not its words: the log reads
"王芳 的病例" to a Chinese reader and "Case file of 王芳" to an English one, whichever
language the key was lent in. Anything else typed stays text, as typed. Loans written
before codes existed keep their text.
"""

from enum import StrEnum

from models import KeyEvent
from reception.i18n import every_language, t


class Purpose(StrEnum):
    CASE_FILE = "case_file"
    FILING = "filing"
    VIP_GUEST = "vip_guest"


def label(code: str, customer_name: str = "") -> str:
    """A built-in purpose in the UI language (the case file names its customer)."""
    if code == Purpose.CASE_FILE and customer_name:
        return t("keys.case_file_of", name=customer_name)
    return t(f"keys.purpose.{code}")


def _said(text: str) -> str:
    return " ".join(text.split())


def code_of(text: str, customer_name: str = "") -> str:
    """The code of the built-in purpose ``text`` is, word for word in any language (as the
    lend form fills it in, e.g. "王芳 的病例"); "" for anything else, which stays text."""
    said = _said(text)
    if not said:
        return ""
    for purpose in Purpose:
        names = every_language(f"keys.purpose.{purpose}")
        if purpose == Purpose.CASE_FILE and customer_name:
            names += every_language("keys.case_file_of", name=customer_name)
        if said in {_said(name) for name in names}:
            return purpose.value
    return ""


def shown(event: KeyEvent, customer_name: str = "") -> str:
    """A loan's purpose as the log shows it: a code in the UI language, text as typed."""
    if event.purpose_code in Purpose.__members__.values():
        return label(event.purpose_code, customer_name)
    return event.purpose
