"""The command line on a PostgreSQL server: which store an argument names, the backup by
``pg_dump``, ``check`` and ``branch``. Errors are one line and exit 2 (``reception.cli``);
the server's password is never printed nor put on a command line (``ps`` shows those)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from reception.i18n import t
from reception.text import printable


def is_server(db_arg: str | None) -> bool:
    from reception.location import looks_like_url, store_address

    return looks_like_url(store_address(db_arg))


def check_branch_on_file(db_arg: str | None, branch: str | None) -> None:
    """A file is a single branch: ``--branch`` may only name it (or ``all``)."""
    from reception.cli_store import CliError
    from reception.location import resolve_path

    if branch not in (None, "main", "all"):
        raise CliError("cli.single_branch", code=branch, path=resolve_path(db_arg))


def open_server(db_arg: str | None, branch: str | None, *, read_only: bool = False):
    from reception.db import open_database
    from reception.location import store_address

    return open_database(store_address(db_arg), read_only=read_only, branch=branch)


def check(db_arg: str | None) -> int:
    """``reception check`` of a server's store (``reception.server_check``)."""
    from reception import server_check
    from reception.location import store_address
    from reception.server_store import (
        ALL_BRANCHES,
        ServerDatabase,
        StoreFailure,
        make_engine,
        parse,
        shown,
        translate,
    )

    address = store_address(db_arg)
    url = parse(address)
    database = ServerDatabase(url, make_engine(url), read_only=True)
    database.for_branch(ALL_BRANCHES, ALL_BRANCHES)
    try:
        return server_check.check_command(database)
    except StoreFailure as error:
        raise translate(error, shown(url)) from error
    finally:
        database.close()


def pg_tool(name: str) -> str | None:
    """``pg_dump``/``pg_restore`` on the PATH, else the newest of the machine's servers'."""
    found = shutil.which(name)
    if found:
        return found
    from glob import glob

    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parent.parent.name))
    return candidates[-1] if candidates else None


def backup(db_arg: str | None, raw_target: str) -> int:
    """``reception backup`` of a server: ``pg_dump -Fc`` of every branch into an owner-only
    file; only a whole dump (``pg_restore --list`` reads it) takes the target's name. Run by
    the chain's owner role (or a chain manager's role, listed in no ``branch_role``); a
    branch counter's role is refused in one line before anything is written."""
    from reception.cli_store import CliError, backup_target, one_line
    from reception.files import create_private, partial_of, private_folder
    from reception.location import store_address
    from reception.server_store import ALL_BRANCHES, libpq_dsn, parse, shown

    address = store_address(db_arg)
    url = parse(address)
    target = backup_target(raw_target, None, suffix=".dump")
    # The address works (and the password is right) before anything is written, and the
    # role may read every branch: a counter's role would dump its own branch's rows and
    # nothing of the others' (row-level security), a backup that looks whole and is not.
    from reception.branches import counter_role_branches

    database = open_server(address, ALL_BRANCHES, read_only=True)
    try:
        with database.read() as session:
            role, codes, owner = counter_role_branches(session)
    finally:
        database.close()
    if codes:
        raise CliError("cli.backup_counter_role", role=role, codes=", ".join(codes),
                       owner=owner, path=shown(url))
    pg_dump = pg_tool("pg_dump")
    if pg_dump is None:
        raise CliError("cli.pg_dump_missing", target=target, address=shown(url))
    environment = dict(os.environ)
    password = url.password or url.query.get("password")
    if password:
        environment["PGPASSWORD"] = str(password)
    # Every branch's rows: the chain manager's reading (row-level security stays on).
    environment["PGOPTIONS"] = (environment.get("PGOPTIONS", "") +
                                f" -c reception.branch={ALL_BRANCHES}").strip()
    safe = url.set(password=None, query={key: value for key, value in url.query.items()
                                         if key != "password"})
    private_folder(target.parent)
    partial = partial_of(target)
    partial.unlink(missing_ok=True)
    create_private(partial)  # owner-only before a byte of the dump is in it
    try:
        done = subprocess.run(
            [pg_dump, "--format=custom", "--enable-row-security", "--no-password",
             f"--file={partial}", f"--dbname={libpq_dsn(safe)}"],
            env=environment, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            pg_restore = pg_tool("pg_restore")
            if pg_restore is not None:
                done = subprocess.run([pg_restore, "--list", str(partial)],
                                      capture_output=True, text=True, check=False)
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            reason = lines[0].removeprefix("pg_dump: error: ") if lines else str(done.returncode)
            if password:
                reason = reason.replace(str(password), "***")
            raise CliError("cli.pg_dump_failed", path=shown(url), reason=reason)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    print(one_line(t("cli.backup_done", path=target)))
    return 0


def branch_command(args) -> int:
    """``reception branch add CODE NAME`` / ``reception branch list``."""
    from reception import branches
    from reception.db import open_database
    from reception.location import store_address
    from reception.server_store import ALL_BRANCHES

    server = is_server(args.db)
    if args.branch_command == "add":
        branches.check_code(args.code)
    address = store_address(args.db)
    if not server:
        from reception.cli_store import existing_database

        address = existing_database(args.db)
        if args.branch_command == "add":
            raise branches.BranchError("branch.single_on_sqlite", path=address)
    database = open_database(address, branch=ALL_BRANCHES if server else None)
    try:
        if args.branch_command == "add":
            with branches.chain_write(database) as session:
                added = branches.add_branch(session, args.code, args.name)
            print(printable(t("branch.added", code=added.code, name=added.name)))
            return 0
        with database.read() as session:
            rows = branches.list_branches(session)
        print(t("branch.list_header"))
        for row in rows:
            created = row.created_at.date().isoformat() if row.created_at else ""
            print("\t".join(printable(cell) for cell in (row.code, row.name, created)))
        sys.stdout.flush()
        return 0
    finally:
        database.close()


MOVE_STORE_EPILOG = """\
The file is only read (never migrated or written); the target is migrated to the same
schema, then must be empty. All or nothing, in one transaction: rows are counted and
compared table by table. exit status: 0 moved, 2 refused (nothing copied)."""


def add_move_store_parser(commands, common) -> None:
    """``reception move-store`` on the command line (``reception.cli``)."""
    import argparse

    move_store = commands.add_parser(
        "move-store", parents=[common], epilog=MOVE_STORE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="copy a clinic's database file into an empty PostgreSQL database")
    move_store.add_argument("--from", dest="source", required=True, metavar="PATH",
                            help="the clinic's database file")
    move_store.add_argument("--to", dest="target", required=True, metavar="URL",
                            help="postgresql://user@host:port/dbname (an empty database)")
