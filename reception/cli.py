"""``reception`` and its sub-commands. Errors: one line on stderr and a non-zero exit."""

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from reception import i18n
from reception.cli_store import (  # noqa: F401 - one_line and CliError are used from here too
    CliError,
    backup_target,
    existing_database,
    nobody_has_open,
    one_line,
    open_for_reading,
    report_command,
    warn_if_exposed,
)
from reception.errors import DatabaseError, ReceptionError
from reception.i18n import t
from reception.list_kinds import LISTS

#: The days report and export accept (the night check's range; past 9999 dates overflow).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
REPORT_EPILOG = """\
exit status:
  0  the day has no findings
  1  findings are listed
  2  an error (bad date, missing or unusable database)

A day after today is marked so (a note under the title; on stderr with json
and csv). The database is only read: never created, upgraded or written."""
READ_ONLY_EPILOG = """\
exit status: 0 when written, 2 on an error (bad date, missing or unusable database).
The database is only read: never created, upgraded or written."""
BACKUP_EPILOG = """\
path may be a folder (or end with /): the copy is then written inside it as
reception-YYYYMMDD-HHMM.db. The database is only read; exit status 0 when
copied, 2 on an error. On a server (postgresql://…): pg_dump -Fc, every branch, into
an owner-only reception-YYYYMMDD-HHMM.dump (restore with pg_restore), as the chain's
owner role; a branch counter's role is refused."""


CHECK_EPILOG = """\
exit status: 0 when the database is whole, 2 when it is damaged or cannot be read.
The database is only read: never created, upgraded or written."""
IMPORT_EPILOG = """\
Columns by header: 姓名/name, 电话/phone, 性别/gender, 首次到店/日期/first visit,
病案号/case number, 咨询师/consultant, 治疗项目/items, 备注/未成交原因/notes.
All or nothing: one rejected row and nothing is written, unless --skip-bad.
exit status: 0 every row fine, 1 rows rejected (listed), 2 an error."""
BRANCH_HELP = ("on a server: the branch's code (default: $RECEPTION_BRANCH, else the only "
               "one); report: 'all' reads every branch")
BRANCH_EPILOG = """\
A branch is one clinic of a chain on a PostgreSQL server; a database file is a single
branch (main). exit status: 0 done, 2 an error."""
KEYMAP_EPILOG = """\
Other keys for any binding go in keymap.toml in the user config folder, one line
per binding id:   help = "f1,ctrl+underscore"     "triage.first" = "1"
The app applies it at start; a mistake is said in one line and ignored."""


def _day(value: str) -> date:
    """A YYYY-MM-DD date in the night check's range; CliError (not argparse's English
    "argument --date:" prefix) when it is not one."""
    if not ISO_DAY.fullmatch(value):
        raise CliError("cli.bad_date", value=value)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CliError("cli.no_such_date", value=value) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CliError("cli.date_out_of_range", value=value, first=FIRST_DAY.isoformat(),
                       last=LAST_DAY.isoformat())
    return day


def report_error(message: str) -> None:
    print(one_line(t("cli.error", message=message)), file=sys.stderr)


def describe(error: ReceptionError) -> str:
    """The error's message, with a raw OS or SQLite reason in it translated when known."""
    from reception.location import explain

    if "reason" not in error.params:
        return str(error)
    params = {**error.params,
              "reason": explain(error.params["reason"], error.params.get("path"))}
    return t(error.message_key, **params)


class Parser(argparse.ArgumentParser):
    """argparse with mistakes reported in one line (no usage dump), exit code 2."""

    def error(self, message: str):
        report_error(message)
        self.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="reception", description="Front-desk terminal app (walk-ins, calls, keys, "
        "callbacks, night check)."
    )
    # Sub-commands take --db/--lang too; SUPPRESS keeps a value given before the sub-command.
    common = Parser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="database file (default: "
                        "$RECEPTION_DB, else the user data directory)")
    common.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS,
                        help="UI language (default: locale)")
    common.add_argument("--branch", default=argparse.SUPPRESS, help=BRANCH_HELP)
    parser.add_argument("--db", help="database file or postgresql://user@host:port/dbname "
                        "(default: $RECEPTION_DB, else a file in the user data directory)")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help="UI language (default: locale)")
    parser.add_argument("--branch", default=None, help=BRANCH_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    demo = commands.add_parser("demo", parents=[common], help="fill a database with demo data")
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    demo.add_argument("--days", type=int, default=30, help="days of history up to today")
    demo.add_argument("--customers", type=int, default=None, help="number of customers")
    demo.add_argument("--visits", type=int, default=None, help="number of visits")
    demo.add_argument("--open", action="store_true", help="open the app afterwards")

    report = commands.add_parser("report", parents=[common],
                                 help="night-check findings and counts of a day",
                                 description="The night check's counts and findings of a "
                                 "day, without the TUI.", epilog=REPORT_EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("--date", type=_day, default=None, help="YYYY-MM-DD (default today)")
    report.add_argument("--format", choices=["text", "json", "csv"], default="text")

    export = commands.add_parser("export", parents=[common],
                                 help="every record of a day, or one of the desk's lists",
                                 epilog=READ_ONLY_EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    export.add_argument("--date", type=_day, required=True, help="YYYY-MM-DD")
    export.add_argument("--format", choices=["json", "csv", "xlsx"], default=None,
                        help="json (default), csv or xlsx (a list: csv by default)")
    export.add_argument("--list", choices=LISTS, default=None,
                        help="a list instead of the day's records: the register book (day), "
                        "closed deals, no deals, each consultant's month (of --date), the "
                        "callback summary")
    export.add_argument("--to", type=_day, default=None,
                        help="YYYY-MM-DD: the last day of deals, no-deals, callbacks")
    export.add_argument("--consultant", help="month: only this consultant (name or id)")
    export.add_argument("--full-phone", action="store_true",
                        help="whole phone numbers (the lists mask them)")
    export.add_argument("--output", "-o", help="json: a file; csv: a folder made to hold "
                        "one TABLE.csv per table, or NAME.csv for NAME-TABLE.csv files "
                        "beside it; default stdout")

    backup = commands.add_parser("backup", parents=[common],
                                 help="online backup, safe while the app is open",
                                 epilog=BACKUP_EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    backup.add_argument("path", help="backup file to write, or a folder to write it in")

    importing = commands.add_parser("import", parents=[common],
                                    help="bring the clinic's customer sheets in",
                                    epilog=IMPORT_EPILOG,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
    what = importing.add_subparsers(dest="import_what", metavar="WHAT", required=True,
                                    parser_class=Parser)
    customers = what.add_parser("customers", parents=[common], epilog=IMPORT_EPILOG,
                                help="customers from .xlsx or .csv (Chinese or English headers)",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    customers.add_argument("file", help="FILE.xlsx or FILE.csv")
    customers.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    customers.add_argument("--skip-bad", action="store_true",
                           help="import the fine rows even when others are rejected")
    commands.add_parser("check", parents=[common],
                        help="is the database whole? integrity and reference checks",
                        description="SQLite's integrity and foreign-key checks, said in "
                        "plain words; on a server: the schema, every table, branch "
                        "isolation, triggers and search indexes.", epilog=CHECK_EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    branch = commands.add_parser("branch", parents=[common], help="a chain's branches (server)",
                                 epilog=BRANCH_EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    branch_commands = branch.add_subparsers(dest="branch_command", metavar="WHAT",
                                            required=True, parser_class=Parser)
    branch_add = branch_commands.add_parser("add", parents=[common], help="add a branch")
    branch_add.add_argument("code", help="short code: lower-case letters, digits, - or _")
    branch_add.add_argument("name", help="the branch's name")
    branch_commands.add_parser("list", parents=[common], help="the chain's branches")
    from reception.cli_server import add_move_store_parser

    add_move_store_parser(commands, common)
    commands.add_parser("keymap", parents=[common],
                        help="the keys in force, screen by screen (and the keymap file)",
                        epilog=KEYMAP_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    script = commands.add_parser("script", parents=[common], help="call script tools")
    script_commands = script.add_subparsers(dest="script_command", required=True)
    check = script_commands.add_parser("check", help="validate a call script file")
    check.add_argument("file", help="TOML or JSON script")
    return parser


def _language_asked(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        if value in i18n.LANGUAGES:
            return value
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # The language first, so even a mistake in the arguments is reported in it.
    i18n.set_language(_language_asked(argv) or i18n.default_language())
    try:
        args = build_parser().parse_args(argv)
    except CliError as error:  # a bad --date
        report_error(str(error))
        return 2
    i18n.set_language(args.lang or i18n.default_language())
    try:
        return run(args)
    except ReceptionError as error:
        report_error(describe(error))
        return 2
    except OSError as error:
        # A path the user gave that cannot be written or read (backup, export).
        from reception.location import os_reason

        report_error(t("cli.cannot_use", path=error.filename or "", reason=os_reason(error)))
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        # A store damaged where no check looked: still one line and exit 2, no traceback.
        import sqlite3

        from sqlalchemy.exc import DatabaseError as StoreFailure

        if not isinstance(error, StoreFailure | sqlite3.DatabaseError):
            raise
        from reception.cli_server import is_server
        from reception.location import resolve_path, store_address
        from reception.server_store import shown

        db_arg = getattr(args, "db", None)
        if is_server(db_arg):  # named without its password
            report_error(t("db.error", path=shown(store_address(db_arg)),
                           reason=type(error).__name__))
            return 2
        report_error(t("db.damaged", path=resolve_path(db_arg)))
        return 2


def run(args: argparse.Namespace) -> int:
    # The store's modules load where a command needs them (0.8 s): ``--help`` or a mistyped
    # option answers at once.
    if args.command == "keymap":
        from screens.app import keymap_report

        for line in keymap_report():
            print(one_line(line))
        return 0
    from reception import cli_server

    server = cli_server.is_server(args.db)
    if not server and args.command not in ("branch", "move-store"):
        cli_server.check_branch_on_file(args.db, args.branch)
    if args.command == "branch":
        return cli_server.branch_command(args)
    if args.command == "move-store":
        from reception.move_store import move_command

        return move_command(args.source, args.target)
    if args.command == "import":
        from reception.db import open_database
        from reception.importing import import_command

        database = (cli_server.open_server(args.db, args.branch) if server
                    else open_database(existing_database(args.db)))
        try:
            return import_command(database, Path(args.file).expanduser(),
                                  dry_run=args.dry_run, skip_bad=args.skip_bad)
        finally:
            database.close()
    if args.command == "check":
        from reception.checks import check_command
        from reception.location import sqlite_uri

        if server:
            return cli_server.check(args.db)
        source = existing_database(args.db, damaged_ok=True)
        params = {"mode": "ro", **({"immutable": "1"} if nobody_has_open(source) else {})}
        return check_command(source, uri=sqlite_uri(source, **params))
    if args.command == "script":
        from reception import script

        return script.check_command(Path(args.file))
    if args.command in ("report", "export"):
        from reception import export

        database = (cli_server.open_server(args.db, args.branch, read_only=True) if server
                    else open_for_reading(args.db))
        try:
            if args.command == "report":
                return report_command(database, args.date, args.format)
            if args.list:
                from reception.list_export import export_list

                return export_list(database, args.list, args.date, args.to,
                                   args.format or "csv", args.output,
                                   consultant=args.consultant, full_phone=args.full_phone)
            return export.export_command(database, args.date, args.format or "json",
                                         args.output)
        finally:
            database.close()
    if args.command == "backup":
        from reception.db import copy_store
        from reception.location import sqlite_uri

        if server:
            return cli_server.backup(args.db, args.path)
        source = existing_database(args.db)
        target = backup_target(args.path, source)
        # Straight from the file, read-only: no migration (an older database is kept as it
        # is), nothing written beside it, and a file on a read-only disk can be copied.
        params = {"mode": "ro", **({"immutable": "1"} if nobody_has_open(source) else {})}
        copy_store(source, target, source_uri=sqlite_uri(source, **params))
        warn_if_exposed(source)
        print(one_line(t("cli.backup_done", path=target)))
        return 0
    if args.command == "demo":
        from reception import demo
        from reception.db import open_database

        database = open_database(args.db, branch=args.branch)
        try:
            demo.fill(database, seed=args.seed, days=args.days, customers=args.customers,
                      visits=args.visits)
        except demo.DemoError as refused:
            # `demo --open` a second time: the demo is already there, so just open it.
            if not (args.open and refused.message_key == "demo.not_empty"):
                raise
            print(one_line(t("cli.demo_reused", path=database.path)), file=sys.stderr)
        else:
            print(one_line(t("cli.demo_done", path=database.path)), file=sys.stderr)
        if not args.open:
            return 0
        database.close()
        return run_app(args.db, args.branch)
    return run_app(args.db, args.branch)


def run_app(db_path, branch: str | None = None) -> int:
    """The TUI. The file is checked here; the app opens it behind its first screen."""
    from reception.location import check_file, looks_like_url, resolve_path, store_address

    # The screens' modules (Textual, 0.5 s) load once the address has passed its checks:
    # a store that cannot be opened is said at once.
    address = store_address(db_path)
    if looks_like_url(address):
        from reception.server_store import parse

        parse(address)  # an unsupported address: one line, before the screen is taken
        from screens.app import ReceptionApp, user_keymap_path

        return run_in_terminal(ReceptionApp(db_path=address, keymap_path=user_keymap_path(),
                                            branch=branch))
    path = resolve_path(address)
    check_file(path)
    if path.exists() and not path.stat().st_size:
        # An empty file is no store: opening it would set up a new clinic in its place.
        raise CliError("cli.empty_database", path=path)
    if path.exists():
        from reception.checks import schema_readable

        if not schema_readable(path):
            raise DatabaseError("db.damaged", path=path)
    warn_if_exposed(path)
    from screens.app import ReceptionApp, user_keymap_path

    return run_in_terminal(ReceptionApp(db_path=path, keymap_path=user_keymap_path()))


def run_in_terminal(app) -> int:
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
