"""Customers: registration (one customer per phone) and search as you type.

``search(session, query)`` is the one search entry point: ranked results (``Found``) by
phone, name, pinyin initials, case number or appointment number; see
``reception.customer_search``.
"""

import os
from datetime import date

from sqlmodel import Session, select

from models import Customer
from reception import audit, phones
from reception.clock import clock
from reception.customer_search import SEARCH_LIMIT, Found, search  # noqa: F401
from reception.db import chain_lock
from reception.errors import ValidationError
from reception.i18n import t

# Names are read a character at a time: pypinyin's phrase dictionary (44 MB in every
# process that loads it) is for running text. Read when pypinyin is first imported.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")


def initials(name: str) -> str:
    """Pinyin initials of a Chinese name (``张小明`` → ``zxm``); other letters kept."""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letter[:1] for letter in letters).lower()[:100]


def find_by_phone(session: Session, phone: str) -> Customer | None:
    return session.exec(select(Customer).where(Customer.phone == phone)).first()


NAME_MAX = 200
#: Stored gender codes; "" when not given.
GENDERS = ("f", "m", "x")


def gender_label(code: str) -> str:
    """女 / 男 / 其他 for a stored code; anything else (an older import) as it is."""
    return t(f"triage.gender.{code}") if code in GENDERS else code


def check_name(name: str, field: str = "name") -> str:
    """A person's name as stored (trimmed), or the reason it cannot be."""
    if not name.strip():
        raise ValidationError(field, "field.required")
    if len(name.strip()) > NAME_MAX:
        raise ValidationError(field, "triage.name_too_long", limit=NAME_MAX)
    return name.strip()


def register(
    session: Session,
    *,
    name: str,
    phone: str,
    by: int | None,
    gender: str = "",
    interest: str = "",
    source: str = "",
    first_visit_day: date | None = None,
) -> tuple[Customer, bool]:
    """The customer with this phone, created if new. Returns ``(customer, created)``.

    A phone already on file finds the existing customer instead of making a second one.
    """
    name = check_name(name)
    if gender not in ("", *GENDERS):
        raise ValidationError("gender", "triage.gender_invalid")
    normalised = phones.normalise(phone)
    # One customer per phone in the whole chain: another branch registering the same phone
    # now waits, then finds this one.
    chain_lock(session, "phone", normalised)
    existing = find_by_phone(session, normalised)
    if existing is not None:
        return existing, False
    customer = Customer(
        name=name,
        phone=normalised,
        gender=gender,
        interest=interest,
        source=source,
        name_initials=initials(name),
        first_visit_day=first_visit_day,
        created_at=clock.now_utc(),
        created_by_id=by,
    )
    session.add(customer)
    session.flush()
    audit.record(session, by=by, action="customer_register", record_type="customer",
                 record_id=customer.id)
    return customer, True
