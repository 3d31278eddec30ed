"""The manager's settings this area adds: the deposit and lost-card amount, areas off."""

import pytest

from reception import settings
from reception.errors import ValidationError


def test_stay_fees_are_typed_in_yuan_and_kept_in_fen(db, team):
    with db.read() as session:
        loaded = settings.load(session)
        assert (loaded.stay_deposit, loaded.lost_card_fee) == (200_000, 20_000)
        assert settings.editable_texts(session)["stay_fees"] == "2000 200"
    with db.write() as session:
        settings.update(session, "stay_fees", "3000，250.5", by=team.manager.id)
    with db.read() as session:
        loaded = settings.load(session)
        assert (loaded.stay_deposit, loaded.lost_card_fee) == (300_000, 25_050)
    for bad in ("3000", "200 3000", "x 1"):
        with pytest.raises(ValidationError) as raised, db.write() as session:
            settings.update(session, "stay_fees", bad, by=team.manager.id)
        assert raised.value.field == "stay_fees"


def test_areas_off_by_name_or_f_key(db, team):
    with db.write() as session:
        assert settings.update(session, "areas_off", "keys F2 keys",
                               by=team.manager.id) == ["keys", "triage"]
    with db.read() as session:
        assert settings.load(session).areas_off == ("keys", "triage")
        assert settings.editable_texts(session)["areas_off"] == "keys triage"
    with pytest.raises(ValidationError) as raised, db.write() as session:
        settings.update(session, "areas_off", "staff", by=team.manager.id)
    assert raised.value.message_key == "settings.areas_off.unknown"
