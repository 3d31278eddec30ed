"""Every CSV reception writes is spreadsheet-safe: no cell starts a formula (OWASP CSV
injection), and numbers stay numbers."""

import csv
import io
import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import Staff, Visit
from reception import callbacks, cli, reconcile, register, spreadsheet
from reception.export import day_records
from tests.conftest import today
from tests.helpers.records import add_customer, add_visit

# Text that a spreadsheet would run, and text built around it.
HOSTILE = st.one_of(
    st.sampled_from(["=1+1", "+8613812345678", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "  =1",
                     "\u3000=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\",\"点我\")", "-",
                     "+", "@", " -5", "'=1"]),
    st.builds(lambda lead, body: lead + body, st.sampled_from(["", " ", "  ", "\t", "\r"]),
              st.builds(lambda first, rest: first + rest, st.sampled_from("=+-@"),
                        st.text(max_size=20))),
    st.text(max_size=30),
)
NUMBERS = st.one_of(st.integers(min_value=-10**12, max_value=10**12),
                    st.floats(allow_nan=False, allow_infinity=False, width=32))


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def assert_safe(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not (cell and spreadsheet.starts_formula(cell)) or _is_number_text(cell), \
                repr(cell)


def _is_number_text(cell: str) -> bool:
    # A number written by a program ("-5", "-0.25"): a spreadsheet reads it as a number.
    try:
        float(cell)
    except ValueError:
        return False
    return cell.strip() == cell and not cell.startswith(("+", "\t", "\r"))


@given(value=HOSTILE)
def test_no_text_cell_starts_a_formula(value):
    cell = spreadsheet.safe_cell(value)
    assert not spreadsheet.starts_formula(cell)
    assert cell in (value, "'" + value)  # the text itself, only marked when it must be
    (back,), = parsed(spreadsheet.csv_text(None, [[value]])) or [[""]]
    assert back == cell.replace("\r\n", "\n").replace("\r", "\n")  # one cell, whole


@given(value=NUMBERS)
def test_numbers_stay_numbers(value):
    assert spreadsheet.safe_cell(value) == value
    (cell,), = parsed(spreadsheet.csv_text(None, [[value]]))
    assert float(cell) == pytest.approx(float(value))  # a negative amount included


def test_a_phone_written_plus_country_code_is_text():
    assert spreadsheet.safe_cell("+8613812345678") == "'+8613812345678"
    assert spreadsheet.safe_cell(-1250) == -1250
    assert spreadsheet.safe_cell(None) == "" and spreadsheet.safe_cell(True) == "True"


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=HOSTILE, text=HOSTILE, consultant=HOSTILE, amount=st.integers(-10**6, 10**6))
def test_no_cell_of_any_export_starts_a_formula(db, team, name, text, consultant, amount):
    """The register book, the CLI export (csv), the report (csv), the callback summary."""
    day = today()
    with db.write() as session:
        member = session.get(Staff, team.consultants[0].id)
        member.name = consultant or "x"
        customer = add_customer(session, team.receptionist.id, name=name)
        customer.note, customer.source = text, text
        visit = add_visit(session, team.receptionist.id, customer,
                          consultant_id=team.consultants[0].id, outcome="deal")
        visit.items, visit.purpose, visit.amount_cents = text, text, amount
        session.add_all([member, customer, visit])
    with db.read() as session:
        exports = [register.to_csv(register.deals(session, day), register.DEAL_COLUMNS,
                                   full_phone=True),
                   register.to_csv(register.no_deals(session, day), register.NO_DEAL_COLUMNS),
                   callbacks.summary_csv(session, day - timedelta(days=7), day),
                   reconcile.report_csv(reconcile.day_report(session, day))]
        tables = day_records(session, day)
    from reception.export import _csv_text

    exports += [_csv_text(columns, rows) for columns, rows in tables.values()]
    for text_out in exports:
        assert_safe(parsed(text_out))
    visit_rows = parsed(_csv_text(*tables["visit"]))
    amounts = visit_rows[0].index("amount_cents")
    assert str(amount) in {row[amounts] for row in visit_rows[1:]}  # a number, unmarked
    with db.write() as session:  # the next example starts from an empty day
        for visit in session.exec(__import__("sqlmodel").select(Visit)).all():
            session.delete(visit)


def test_cli_export_and_report_write_safe_csv(db, db_address, team, tmp_path, capsys):
    with db.write() as session:
        customer = add_customer(session, team.receptionist.id, name="=HYPERLINK(\"x\")",
                                phone="+8613812345678")
        add_visit(session, team.receptionist.id, customer, consultant_id=team.consultants[0].id)
    db.close()
    day = today().isoformat()
    code = cli.main(["--db", str(db_address), "export", "--date", day, "--format", "csv",
                     "-o", str(tmp_path / "day.csv")])
    assert code == 0, capsys.readouterr().err
    written = sorted(path.name for path in tmp_path.glob("day-*.csv"))
    assert "day-visit.csv" in written and "day-customer.csv" in written
    assert not (tmp_path / "day.csv").exists()
    customers = parsed((tmp_path / "day-customer.csv").read_text(encoding="utf-8"))
    assert "'=HYPERLINK(\"x\")" in customers[1] and "'+8613812345678" in customers[1]
    for path in tmp_path.glob("day-*.csv"):
        assert_safe(parsed(path.read_text(encoding="utf-8")))
    capsys.readouterr()
    cli.main(["--db", str(db_address), "export", "--date", day, "--format", "csv"])
    assert "'=HYPERLINK" in capsys.readouterr().out
    cli.main(["--db", str(db_address), "report", "--date", day, "--format", "csv"])
    assert_safe(parsed(capsys.readouterr().out))
    cli.main(["--db", str(db_address), "export", "--date", day])
    document = json.loads(capsys.readouterr().out)  # json is data, not a spreadsheet
    assert document["tables"]["customer"][0]["name"] == "=HYPERLINK(\"x\")"
