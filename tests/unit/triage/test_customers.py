"""Registration (one customer per phone) and search as you type."""

import pytest

from models import Customer
from reception import appointments, customers, phones, triage
from reception.errors import ValidationError
from tests.conftest import at, today


def register(db, team, name, phone):
    with db.write() as session:
        return customers.register(session, name=name, phone=phone, by=team.receptionist.id)


def test_register_normalises_phone_and_keeps_pinyin_initials(db, team):
    customer, created = register(db, team, "张小明", "138 1234 5678")
    assert created
    assert customer.phone == "13812345678"
    assert customer.name_initials == "zxm"
    assert customer.created_by_id == team.receptionist.id


def test_duplicate_phone_finds_existing_customer(db, team):
    first, _ = register(db, team, "张小明", "13812345678")
    again, created = register(db, team, "张晓明", "+86 138-1234-5678")
    assert not created and again.id == first.id
    with db.read() as session:
        assert len(session.exec(customers.select(Customer)).all()) == 1


@pytest.mark.parametrize("name", ["", "   ", "名" * 201])
def test_a_missing_or_overlong_name_is_refused_by_every_way_in(db, team, name):
    """The rule lives in the domain: registering, booking and a visitor all keep it."""
    with pytest.raises(ValidationError) as refused:
        register(db, team, name, "13812345678")
    assert refused.value.field == "name"
    with db.write() as session, pytest.raises(ValidationError) as refused:
        appointments.book(session, scheduled_at=at("2026-11-23T10:00").datetime, name=name,
                          phone="13812345678", by=team.receptionist.id)
    assert refused.value.field == "name"
    with db.write() as session, pytest.raises(ValidationError) as refused:
        triage.log_visitor(session, kind="courier", name=name, phone="",
                           by=team.receptionist.id)
    assert refused.value.field == "visitor_name"
    with db.read() as session:
        assert session.exec(customers.select(Customer)).first() is None


def test_a_name_of_200_characters_is_kept_whole(db, team):
    customer, _ = register(db, team, "名" * 200, "13812345678")
    assert customer.name == "名" * 200


@pytest.mark.parametrize(("typed", "stored"), [
    ("138 1234 5678", "13812345678"), ("+86 138-1234-5678", "13812345678"),
    ("0755-12345678", "0755-12345678"), ("021 6123 4567", "021-61234567"),
    ("075512345678", "0755-12345678"), ("+44 20 7946 0958", "+442079460958")])
def test_phones_are_stored_in_one_form(typed, stored):
    assert phones.normalise(typed) == stored


@pytest.mark.parametrize("typed", ["0755-1234", "010-123", "0755-123456789", "95555"])
def test_a_landline_too_short_or_long_is_refused(typed):
    # libphonenumber alone reads "0755-1234" as 075-51234.
    with pytest.raises(ValidationError):
        phones.normalise(typed)


@pytest.mark.parametrize("phone", ["", "12345", "2381234567", "1381234567a"])
def test_bad_phone_is_refused_and_nothing_saved(db, team, phone):
    with pytest.raises(ValidationError) as refused:
        register(db, team, "王芳", phone)
    assert refused.value.field == "phone"
    with db.read() as session:
        assert session.exec(customers.select(Customer)).first() is None


@pytest.mark.parametrize("query", ["5678", "1381", "78", "张小", "zxm", "zx", "小明"])
def test_search_finds_by_any_part(db, team, query):
    register(db, team, "张小明", "13812345678")
    register(db, team, "李娜", "13987654321")
    with db.read() as session:
        names = [c.name for c in customers.search(session, query)]
    if query in ("78", "小明"):  # under three characters: prefixes only
        assert "李娜" not in names
    else:
        assert names == ["张小明"]


def test_markup_in_query_is_plain_text(db, team):
    register(db, team, "[red]x[/red]", "13812345678")
    with db.read() as session:
        assert [c.name for c in customers.search(session, '[red]"x')] == []
        assert [c.name for c in customers.search(session, "[red]")] == ["[red]x[/red]"]


def test_booked_appointment_found_by_sequence_phone_or_name(db, team):
    with db.write() as session:
        first = appointments.book(session, scheduled_at=at("2026-11-22T14:00").datetime,
                                  name="周杰", phone="13711112222", by=team.receptionist.id)
        second = appointments.book(session, scheduled_at=at("2026-11-22T15:00").datetime,
                                   name="吴敏", phone="13733334444", by=team.receptionist.id)
    assert (first.number, second.number) == ("261122-01", "261122-02")
    with db.read() as session:
        assert [a.id for a in appointments.find_for_day(session, today(), "2")] == [second.id]
        assert [a.id for a in appointments.find_for_day(session, today(), "1111")] == [first.id]
        assert [a.id for a in appointments.find_for_day(session, today(), "吴")] == [second.id]
