"""`reception report`, `export` and `backup`: exit codes, formats, and a live database."""

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from reception import cli, reconcile
from tests.conftest import today
from tests.helpers.records import add_customer, add_visit

ROOT = Path(__file__).resolve().parents[3]


def run_cli(capsys, *args):
    code = cli.main(["--lang", "en", *[str(arg) for arg in args]])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def clean_db(db, db_address, team):
    with db.write() as session:
        customer = add_customer(session, team.receptionist.id, name="完整")
        add_visit(session, team.receptionist.id, customer, consultant_id=team.consultants[0].id)
    return db_address


@pytest.fixture
def db_with_finding(db, clean_db, team):
    with db.write() as session:
        customer = add_customer(session, team.receptionist.id, name="[red]漏记[/red]")
        add_visit(session, team.receptionist.id, customer, outcome=None,
                  consultant_id=team.consultants[1].id)
    return clean_db


def test_report_clean_day_exits_0(capsys, clean_db):
    code, out, err = run_cli(capsys, "report", "--db", clean_db, "--date", today())
    assert code == 0, err
    assert "Night check 2026-11-22" in out
    assert "No findings" in out
    assert "Visits: 1" in out and "张咨询: 1" in out


def test_report_with_findings_exits_1_in_every_format(capsys, db_with_finding):
    code, out, _ = run_cli(capsys, "report", "--db", db_with_finding)
    assert code == 1
    assert "1 findings:" in out and "[red]漏记[/red]: missing outcome" in out
    code, out, _ = run_cli(capsys, "report", "--db", db_with_finding, "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["clean"] is False and document["counts"]["visits"] == 2
    assert document["findings"][0]["kind"] == "visit_incomplete"
    assert document["findings"][0]["detail"]["name"] == "[red]漏记[/red]"
    code, out, _ = run_cli(capsys, "report", "--db", db_with_finding, "--format", "csv")
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["name"] for row in rows if row["section"] == "finding"] == ["visit_incomplete"]
    assert next(r for r in rows if r["name"] == "visits")["value"] == "2"


def test_report_of_a_past_day_and_paper_counts(capsys, db, db_with_finding, team):
    yesterday = today() - timedelta(days=1)
    code, out, _ = run_cli(capsys, "report", "--db", db_with_finding, "--date", yesterday)
    assert code == 0 and "Visits: 0" in out
    with db.write() as session:
        reconcile.set_paper_count(session, yesterday, "visits", 3, by=team.manager.id)
    code, out, _ = run_cli(capsys, "report", "--db", db_with_finding, "--date", yesterday)
    assert code == 1 and "Paper register differs: Visits records 0, paper 3" in out


def test_report_errors_exit_2(capsys, tmp_path):
    code, _out, err = run_cli(capsys, "report", "--db", f"{tmp_path}/")
    assert code == 2 and err.count("\n") == 1
    code, _out, err = run_cli(capsys, "report", "--db", tmp_path / "x.db", "--date",
                              "2026-13-01")
    assert code == 2 and err == "error: no such date: 2026-13-01\n"
    assert not (tmp_path / "x.db").exists()


def test_export_json_and_csv(capsys, db_with_finding, tmp_path):
    code, out, _ = run_cli(capsys, "export", "--db", db_with_finding, "--date", today())
    assert code == 0
    document = json.loads(out)
    assert document["day"] == "2026-11-22"
    assert len(document["tables"]["visit"]) == 2
    names = {row["name"] for row in document["tables"]["customer"]}
    assert "[red]漏记[/red]" in names
    assert all("pin_hash" not in row for row in document["tables"]["staff"])
    assert document["tables"]["audit_entry"]
    target = tmp_path / "out.json"
    code, _, _ = run_cli(capsys, "export", "--db", db_with_finding, "--date", today(),
                         "-o", target)
    assert code == 0 and json.loads(target.read_text())["tables"]["visit"]
    folder = tmp_path / "csv"
    code, _, _ = run_cli(capsys, "export", "--db", db_with_finding, "--date", today(),
                         "--format", "csv", "-o", folder)
    assert code == 0
    with (folder / "visit.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 2
    assert (folder / "message.csv").read_text().startswith("id,")
    code, out, _ = run_cli(capsys, "export", "--db", db_with_finding, "--date", today(),
                           "--format", "csv")
    assert code == 0 and "# visit\nid," in out
    code, _, err = run_cli(capsys, "export", "--db", db_with_finding, "--date", today(),
                           "-o", folder)
    assert code == 2 and "folder" in err
