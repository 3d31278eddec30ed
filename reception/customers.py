"""Customers: registration (one customer per phone) and search as you type.

Search by any part of the phone, the name, the pinyin initials or the case number uses the
``customer_search`` FTS5 trigram index for three characters or more, and index range scans
(prefixes) for shorter input, so it stays instant at hundreds of thousands of customers.
"""

from datetime import date

from sqlalchemy import text
from sqlmodel import Session, or_, select

from models import Customer
from reception import audit, phones
from reception.clock import clock
from reception.errors import ValidationError
from reception.i18n import t
from reception.text import narrow

SEARCH_LIMIT = 20


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


def _fts_phrase(query: str) -> str:
    return '"' + query.replace('"', '""') + '"'


def search(session: Session, query: str, *, limit: int = SEARCH_LIMIT) -> list[Customer]:
    """Customers matching any part of phone, name, initials or case number."""
    # NUL ends an FTS5 string early; nobody searches for one.
    # A Chinese input method types digits and letters in full width: ``５６７８``.
    query = narrow(query).replace("\x00", "").strip()
    if not query:
        return []
    if len(query) >= 3:
        ids = session.execute(
            text("SELECT rowid FROM customer_search WHERE customer_search MATCH :phrase "
                 "LIMIT :limit"),
            {"phrase": _fts_phrase(query), "limit": limit},
        ).scalars().all()
        if not ids:
            return []
        found = {c.id: c for c in session.exec(select(Customer).where(Customer.id.in_(ids)))}
        return [found[i] for i in ids if i in found]
    upper = query + "\uffff"
    lowered = query.lower()
    return list(session.exec(
        select(Customer)
        .where(or_(
            (Customer.name >= query) & (Customer.name < upper),
            (Customer.name_initials >= lowered) & (Customer.name_initials < lowered + "\uffff"),
            (Customer.phone >= query) & (Customer.phone < upper),
        ))
        .limit(limit)
    ).all())
