"""Ranked search: 20 customers share the last four digits; the right one comes first."""

import pytest

from reception.customer_search import EDGE, EXACT, PART

SHARED = "5678"


@pytest.fixture
def sharing(clinic):
    """20 customers whose phones end in 5678, each last seen on a different day, and a
    stranger whose phone has 5678 in the middle who was here this morning."""
    people = [clinic.customer(f"顾客{i:02d}", f"139{i:04d}{SHARED}",
                              case_number="2026112299" if i == 18 else None)
              for i in range(20)]
    for i, person in enumerate(people):
        if i not in (3, 7, 12, 15):
            clinic.visit(person, f"2026-10-{1 + i:02d}T11:00")
    clinic.visit(people[7], "2026-03-01T11:00")
    clinic.visit(people[7], "2026-11-22T09:30", here=True)  # in the building now
    clinic.visit(people[12], "2025-06-01T11:00")
    clinic.appointment(people[12], "2026-11-22T14:00", "261122-01")  # booked for today
    clinic.visit(people[3], "2026-11-21T15:00")  # yesterday
    # people[15] has never visited.
    middle = clinic.customer("中间", f"138{SHARED}1234")
    clinic.visit(middle, "2026-11-22T08:00")  # today, and gone
    return people, middle


def test_last_four_digits_here_booked_yesterday_then_latest_visit(clinic, sharing):
    people, middle = sharing
    found = clinic.search(SHARED)
    others = [people[i] for i in range(19, -1, -1) if i not in (3, 7, 12, 15)]
    expected = [people[7], people[12], people[3], *others, people[15]]
    assert [f.id for f in found] == [p.id for p in expected]
    assert len(found) == 20 and middle.id not in [f.id for f in found]
    assert (found[0].here, found[0].booked_today) == (True, False)
    assert (found[1].here, found[1].booked_today) == (False, True)
    assert not found[2].here and not found[2].booked_today
    assert {f.rank for f in found} == {EDGE} and {f.why for f in found} == {"phone_end"}
    assert found[0].phone_shown == "139****5678" and found[0].phone_span == (7, 11)
    assert found[0].phone_shown[7:11] == SHARED
    assert str(found[2].last_visit_day) == "2026-11-21"
    assert found[-1].last_visit_day is None


def test_a_match_anywhere_else_comes_after_every_phone_ending(clinic, sharing):
    people, middle = sharing
    found = clinic.search(SHARED, limit=25)
    assert [f.id for f in found][-1] == middle.id
    last = found[-1]
    assert (last.rank, last.why, last.phone_span) == (PART, "phone_part", (3, 7))
    # The matched digits show inside the mask.
    assert last.phone_shown == "13856781234" and last.phone_shown[3:7] == SHARED


def test_full_width_digits_search_as_ascii(clinic, sharing):
    assert [f.id for f in clinic.search("５６７８")] == [f.id for f in clinic.search(SHARED)]


def test_exact_phone_case_number_and_appointment_number_come_first(clinic, sharing):
    people, _middle = sharing
    full = clinic.search("139 0005 5678")
    assert full[0].id == people[5].id
    assert (full[0].rank, full[0].why, full[0].phone_span) == (EXACT, "phone", (0, 11))
    assert [f.id for f in clinic.search("１３９０００５５６７８")][:1] == [people[5].id]
    case = clinic.search("2026112299")
    assert [(f.id, f.why) for f in case] == [(people[18].id, "case_number")]
    booked = clinic.search("261122-01")
    assert [(f.id, f.why, f.appointment_number) for f in booked][:1] == [
        (people[12].id, "appointment", "261122-01")]


def test_one_and_two_digits_match_the_end_of_the_phone_most_recent_first(clinic, sharing):
    people, middle = sharing
    for typed in ("8", "78"):
        found = clinic.search(typed)
        assert [f.id for f in found][:3] == [people[7].id, people[12].id, people[3].id]
        assert middle.id not in [f.id for f in found]  # ends in 4
        assert all(f.why == "phone_end" for f in found)
