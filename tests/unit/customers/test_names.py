"""Names and initials ranked the same way; namesakes told apart by what their rows show;
one- and two-character queries match any part of a name."""

import pytest

from reception.customer_search import EDGE, EXACT, PART


@pytest.fixture
def namesakes(clinic, team):
    zhang, chen = team.consultants[0], team.consultants[1]
    older = clinic.customer("王芳", "13811110001", case_number="2024010101", consultant=zhang)
    clinic.visit(older, "2026-11-01T10:00")
    newer = clinic.customer("王芳", "13822220002", consultant=chen)
    clinic.visit(newer, "2026-11-20T10:00")
    longer = clinic.customer("王芳芳", "13833330003")
    clinic.visit(longer, "2026-11-22T09:00", here=True)
    inside = clinic.customer("李王芳", "13844440004")
    clinic.visit(inside, "2026-11-21T10:00")
    return older, newer, longer, inside


def row(found):
    """What one result row shows to tell people apart."""
    return (found.name, found.phone_shown, found.consultant, found.case_number,
            str(found.last_visit_day), found.why)


def test_namesakes_come_first_most_recent_first_and_their_rows_differ(clinic, namesakes):
    older, newer, longer, inside = namesakes
    found = clinic.search("王芳")
    assert [f.id for f in found] == [newer.id, older.id, longer.id, inside.id]
    assert [f.rank for f in found] == [EXACT, EXACT, EDGE, PART]
    assert [row(f) for f in found] == [
        ("王芳", "138****0002", "陈咨询", None, "2026-11-20", "name"),
        ("王芳", "138****0001", "张咨询", "2024010101", "2026-11-01", "name"),
        ("王芳芳", "138****0003", "", None, "2026-11-22", "name_start"),
        ("李王芳", "138****0004", "", None, "2026-11-21", "name_part"),
    ]
    assert [f.name_span for f in found] == [(0, 2), (0, 2), (0, 2), (1, 3)]
    assert found[0].why_label == "name" and found[3].why_label == "part of the name"


def test_a_namesake_in_the_building_comes_before_a_more_recent_one(clinic, namesakes):
    older, newer, _longer, _inside = namesakes
    clinic.visit(older, "2026-11-22T09:45", here=True)
    found = clinic.search("王芳")
    assert [f.id for f in found][:2] == [older.id, newer.id]
    assert found[0].here and not found[1].here


def test_initials_ranked_like_names(clinic, namesakes):
    older, newer, longer, inside = namesakes
    found = clinic.search("wf")
    assert [(f.id, f.why) for f in found] == [
        (newer.id, "initials"), (older.id, "initials"), (longer.id, "initials_start"),
        (inside.id, "initials_part")]
    # One initial for each character: the matched characters of the name are marked.
    assert found[3].name_span == (1, 3)
    assert [f.id for f in clinic.search("ＷＦ")] == [f.id for f in found]


@pytest.mark.parametrize(("typed", "rank", "span"), [
    ("付", EDGE, (0, 1)), ("付芳", EDGE, (0, 2)), ("芳", PART, (1, 2)), ("芳彤", PART, (1, 3)),
    ("彤", PART, (2, 3)), ("付芳彤", EXACT, (0, 3)), ("ft", PART, (1, 3)), ("fft", EXACT, (0, 3))])
def test_short_cjk_queries_match_any_part_of_a_name(clinic, typed, rank, span):
    fu = clinic.customer("付芳彤", "13955550005")
    clinic.customer("王芳", "13966660006")
    clinic.customer("林彤", "13977770007")
    found = [f for f in clinic.search(typed) if f.id == fu.id]
    assert [(f.rank, f.name_span) for f in found] == [(rank, span)]


def test_two_characters_start_of_a_name_before_inside_one(clinic):
    inside = clinic.customer("付芳彤", "13955550005")
    clinic.visit(inside, "2026-11-21T10:00")
    start = clinic.customer("芳彤", "13966660006")
    clinic.visit(start, "2025-01-01T10:00")
    start_longer = clinic.customer("芳彤云", "13977770007")
    assert [(f.id, f.why) for f in clinic.search("芳彤")] == [
        (start.id, "name"), (start_longer.id, "name_start"), (inside.id, "name_part")]


def test_a_renamed_customer_is_found_by_the_new_name_only(clinic, db):
    from models import Customer
    from reception import customers

    person = clinic.customer("付芳彤", "13955550005")
    with db.write() as session:
        stored = session.get(Customer, person.id)
        stored.name, stored.name_initials = "付芳云", customers.initials("付芳云")
        session.add(stored)
    assert clinic.search("彤") == []
    assert [f.id for f in clinic.search("云")] == [person.id]
    assert [f.id for f in clinic.search("fy")] == [person.id]


def test_wildcards_and_quotes_in_a_query_are_plain_text(clinic):
    odd = clinic.customer('A_b%c\\d"e', "13955550005")
    clinic.customer("Axbyc", "13966660006")
    assert [f.id for f in clinic.search("_b%")] == [odd.id]
    assert [f.id for f in clinic.search('c\\d"')] == [odd.id]
    assert clinic.search("x_b") == [] and clinic.search("b%c\\x") == []
