"""One registry of areas: the shell, the dashboard, F1, Ctrl+P and the night check read it."""

import importlib

import pytest

from reception import areas, reconcile


def test_every_area_names_a_screen_that_exists():
    for area in areas.AREAS:
        module_name, class_name = area.module_and_class
        assert hasattr(importlib.import_module(module_name), class_name), area.name


def test_f_keys_and_dashboard_keys_are_unique_and_in_order():
    assert [area.fkey for area in areas.with_fkeys()] == ["f2", "f3", "f4", "f5", "f6", "f7",
                                                          "f8"]
    assert [area.dashboard_key for area in areas.with_fkeys()] == ["2", "3", "4", "5", "6",
                                                                   "7", "8"]
    keys = [area.dashboard_key for area in areas.AREAS]
    assert len(keys) == len(set(keys))
    assert all(area.manager_only for area in areas.AREAS if not area.fkey)


@pytest.mark.parametrize(("record_type", "area"), [
    ("visit", "triage"), ("appointment", "triage"), ("message", "calls"),
    ("key_event", "keys"), ("callback", "callbacks"), ("paper_count", "reconcile"),
    ("stay_contract", "stays"), ("stay_payment", "stays"),
    ("checklist", "logbook"), ("visitor", "logbook"),
    ("something_else", "dashboard"),
])
def test_the_night_check_opens_each_record_in_its_area(record_type, area):
    finding = reconcile.Finding(kind="x", record_type=record_type, record_id=1)
    assert finding.area == area == areas.area_of_record(record_type)


@pytest.mark.parametrize(("form", "area"), [
    ("triage.customer", "triage"), ("triage.outcome.42", "triage"), ("keys.lend.3", "keys"),
    ("keys.setup", "key_setup"), ("callbacks.attempt.7", "callbacks"),
    ("settings", "settings"), ("calls.message", "calls"), ("stays.check_in.4", "stays"),
    ("logbook.entry.2", "logbook"),
])
def test_a_draft_belongs_to_the_area_named_by_its_key(form, area):
    assert areas.area_of_draft(form).name == area


def test_an_unknown_draft_belongs_to_no_area():
    assert areas.area_of_draft("nothing.here") is None
