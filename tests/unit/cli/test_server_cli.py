"""The command line on a server address: refusals in one line without the password, the
branches (``--branch``, ``report --branch all``, ``reception branch``), ``check`` of a
server's store and ``backup`` by pg_dump into an owner-only file."""

import json
import stat
import subprocess

import pytest

from reception import cli, cli_server
from reception.server_store import shown
from tests.helpers.postgres import OWNER_PASSWORD
from tests.helpers.records import add_customer, add_visit


def run_cli(capsys, *args, lang="en"):
    code = cli.main(["--lang", lang, *[str(arg) for arg in args]])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def server(postgres_server):
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine")
    return postgres_server


@pytest.mark.parametrize("command", [["report"], ["export", "--date", "2026-11-22"],
                                     ["check"], ["backup", "x.dump"], ["demo"],
                                     ["branch", "list"], ["import", "customers", "x.csv"]])
def test_an_unsupported_address_is_one_line_without_its_password(capsys, tmp_path,
                                                                 monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, *command, "--db", "mysql://clinic:hunter2@db/clinic")
    assert code == 2 and out == ""
    assert err == ("error: Unsupported database address mysql://clinic@db/clinic: use "
                   "postgresql://user@host:port/dbname or a file path\n")
    assert "hunter2" not in out + err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["report"], ["export", "--date", "2026-11-22"],
                                     ["check"], ["backup", "{tmp}/x.dump"], ["demo"],
                                     ["branch", "list"], ["branch", "add", "north", "北店"],
                                     ["import", "customers", "{tmp}/x.csv"]])
def test_a_wrong_password_is_one_line_without_it(capsys, tmp_path, server, postgres_template,
                                                 command):
    wrong = "wrong-" + OWNER_PASSWORD
    address = server.url(postgres_template, password=wrong)
    (tmp_path / "x.csv").write_text("name,phone\n甲,13800000001\n", encoding="utf-8")
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in command]
    code, out, err = run_cli(capsys, *argv, "--db", address)
    assert code == 2 and out == ""
    assert err == ("error: The database server refused the user name or password: "
                   f"{shown(address)}\n")
    assert wrong not in out + err and OWNER_PASSWORD not in out + err
    assert not (tmp_path / "x.dump").exists()


def test_a_file_is_a_single_branch(capsys, db, db_path, store_kind):
    if store_kind != "sqlite":
        pytest.skip("a file's branch")
    db.close()
    code, out, err = run_cli(capsys, "branch", "add", "north", "北店", "--db", db_path)
    assert (code, out) == (2, "")
    assert err == ("error: a database file is a single branch (main): branches are added "
                   f"on a PostgreSQL server (see reception move-store): {db_path}\n")
    code, out, err = run_cli(capsys, "--branch", "north", "report", "--db", db_path)
    assert (code, out) == (2, "")
    assert err == (f"error: a database file is a single branch (main); there is no branch "
                   f"north: {db_path}\n")
    code, out, err = run_cli(capsys, "branch", "list", "--db", db_path)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "code\tname\tcreated"
    assert out.splitlines()[1].startswith("main\t")
    code, out, err = run_cli(capsys, "report", "--branch", "all", "--db", db_path)
    assert (code, err) == (0, "")


def test_branches_on_a_server_and_a_chain_report(capsys, db, db_address, team, store_kind,
                                                monkeypatch):
    if store_kind != "postgresql":
        pytest.skip("branches live on a server")
    with db.write() as session:
        add_visit(session, team.receptionist.id, add_customer(session, team.receptionist.id),
                  consultant_id=team.consultants[0].id)
    code, out, err = run_cli(capsys, "branch", "add", "north", "北店\x1b[2J", "--db", db_address)
    assert (code, out) == (2, "") and "1 to 100 characters" in err
    code, out, err = run_cli(capsys, "branch", "add", "North!", "北店", "--db", db_address)
    assert (code, out) == (2, "") and "North!" in err
    code, out, err = run_cli(capsys, "branch", "add", "north", "北店", "--db", db_address)
    assert (code, out, err) == (0, "Branch north (北店) added\n", "")
    code, out, err = run_cli(capsys, "branch", "add", "north", "又一家", "--db", db_address)
    assert (code, err) == (2, "error: a branch with code north exists already\n")
    code, out, err = run_cli(capsys, "branch", "list", "--db", db_address)
    assert code == 0
    assert [line.split("\t")[:2] for line in out.splitlines()[1:]] == [
        ["main", ""], ["north", "北店"]]
    # Two branches now: a counter says which one.
    code, out, err = run_cli(capsys, "report", "--db", db_address)
    assert code == 2 and "choose one with --branch CODE" in err
    assert OWNER_PASSWORD not in err
    code, out, err = run_cli(capsys, "--branch", "main", "report", "--db", db_address)
    assert "Visits: 1" in out
    code, out, err = run_cli(capsys, "report", "--branch", "north", "--db", db_address)
    assert (code, err) == (0, "") and "Visits: 0" in out
    code, out, err = run_cli(capsys, "report", "--branch", "all", "--db", db_address)
    assert "Visits: 1" in out
    code, out, err = run_cli(capsys, "report", "--branch", "south", "--db", db_address)
    assert code == 2 and "No branch with code south (there are: main, north)" in err
    # The server and the branch from the environment.
    monkeypatch.setenv("RECEPTION_DB", db_address)
    monkeypatch.setenv("RECEPTION_BRANCH", "main")
    code, out, err = run_cli(capsys, "report")
    assert (code, err) == (0, "") and "Visits: 1" in out
    monkeypatch.setenv("RECEPTION_BRANCH", "north")
    code, out, err = run_cli(capsys, "export", "--date", "2026-11-22")
    assert (code, err) == (0, "") and '"visit": []' in out.replace("\n", "")
    [made] = json.loads(out)["tables"]["audit_entry"]  # the branch's trail: its making
    assert (made["action"], made["record_type"], made["staff_id"]) == (
        "branch_add", "branch", None)
    assert json.loads(made["detail"]) == {"code": "north", "name": "北店"}


def test_check_of_a_whole_server_store_and_of_a_broken_one(capsys, server, db, db_address,
                                                           store_kind):
    if store_kind != "postgresql":
        pytest.skip("the SQLite check: tests/unit/cli/test_damaged_store.py")
    code, out, err = run_cli(capsys, "check", "--db", db_address)
    assert (code, err) == (0, "")
    assert out.startswith("No problems: the server's database is at the right schema")
    name = db.url.database
    db.close()
    with server.admin(name) as connection:
        connection.execute("DROP TRIGGER audit_entry_append_only ON audit_entry")
        connection.execute("ALTER TABLE visit NO FORCE ROW LEVEL SECURITY")
        connection.execute("UPDATE alembic_version SET version_num = '0004'")
        connection.execute("DROP TABLE paper_count")
    code, out, err = run_cli(capsys, "check", "--db", db_address)
    assert (code, err) == (2, "")
    assert out.splitlines() == [
        f"The database is at schema 0004; the program needs {cli_server_head()}",
        'Table paper_count cannot be read: relation "paper_count" does not exist',
        "Table visit has no branch isolation (row-level security is off)",
        "The trigger audit_entry_append_only is missing (append-only logs or last visits)"]


def cli_server_head() -> str:
    from reception import migrations

    return migrations.HEAD


def test_a_server_backup_is_an_owner_only_pg_dump(capsys, tmp_path, db, db_address, team,
                                                  store_kind):
    if store_kind != "postgresql":
        pytest.skip("the file's backup: tests/unit/store/test_private_files.py")
    with db.write() as session:
        add_customer(session, team.receptionist.id, name="备份")
    code, out, err = run_cli(capsys, "backup", "--db", db_address, f"{tmp_path}/copies/")
    assert (code, err) == (0, "")
    [dump] = (tmp_path / "copies").iterdir()
    assert out == f"Backed up to {dump}\n" and dump.suffix == ".dump"
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(dump.parent.stat().st_mode) == 0o700
    listing = subprocess.run([cli_server.pg_tool("pg_restore"), "--list", str(dump)],
                             capture_output=True, text=True, check=True).stdout
    assert "TABLE DATA public customer" in listing and "ROW SECURITY" in listing
    # Every branch's rows are in it (the chain's reading, not one branch's).
    data = subprocess.run([cli_server.pg_tool("pg_restore"), "--data-only", "--table=staff",
                           "-f", "-", str(dump)], capture_output=True, text=True,
                          check=True).stdout
    assert "王经理" in data and "备份" not in data
    customers = subprocess.run([cli_server.pg_tool("pg_restore"), "--data-only",
                                "--table=customer", "-f", "-", str(dump)],
                               capture_output=True, text=True, check=True).stdout
    assert "备份" in customers


def test_a_server_backup_without_pg_dump_says_what_to_run(capsys, tmp_path, db, db_address,
                                                          store_kind, monkeypatch):
    if store_kind != "postgresql":
        pytest.skip("a file is copied by SQLite itself")
    monkeypatch.setattr(cli_server, "pg_tool", lambda name: None)
    code, out, err = run_cli(capsys, "backup", "--db", db_address, tmp_path / "x.dump")
    assert (code, out) == (2, "")
    assert err == ("error: pg_dump is not installed: install the PostgreSQL client (apt "
                   f"install postgresql-client), or run: pg_dump -Fc -f {tmp_path}/x.dump "
                   f"{shown(db_address)}\n")
    assert OWNER_PASSWORD not in err
    assert list(tmp_path.iterdir()) == []


def test_a_server_backup_by_a_counters_role_is_refused_in_one_line(capsys, tmp_path, server,
                                                                    postgres_template):
    """A counter's role sees its own branch's rows only: its dump would look whole and hold
    one branch. Only the chain's owner (or a manager's role held to no branch) backs up."""
    name = server.create_database(template=postgres_template)
    role = f"counter_main_{name}"
    try:
        with server.admin(name) as connection:
            connection.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-counter'")
            connection.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN "
                               f"SCHEMA public TO {role}")
            connection.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
            connection.execute("INSERT INTO branch_role (role_name, branch_id) VALUES (%s, 1)",
                               (role,))
        address = server.url(name, user=role, password="pw-counter")
        code, out, err = run_cli(capsys, "backup", "--db", address, f"{tmp_path}/copies/")
        assert (code, out) == (2, "")
        assert err == ("error: a backup on a server holds every branch: run it as the "
                       f"chain's owner role (reception); {role} is a counter's role for "
                       "branch main and would copy only that branch's rows, so nothing was "
                       f"backed up: {shown(address)}\n")
        assert "pw-counter" not in err
        assert list(tmp_path.iterdir()) == []  # not even the folder
        # The owner's backup of the same database goes through.
        code, out, err = run_cli(capsys, "backup", "--db", server.url(name),
                                 f"{tmp_path}/copies/")
        assert (code, err) == (0, "") and out.startswith("Backed up to ")
    finally:
        server.drop_database(name)
        with server.admin() as connection:
            connection.execute(f"DROP ROLE IF EXISTS {role}")
