"""``reception`` and its sub-commands. Errors: one line on stderr and a non-zero exit."""

import argparse
import sys
import unicodedata
from datetime import date
from pathlib import Path

from reception import i18n
from reception.errors import ReceptionError
from reception.i18n import t


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_date", value=value)) from None


def one_line(text: str) -> str:
    """Control characters (newlines, escape sequences) shown as escapes, never acted on."""
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char
        for char in text
    )


def report_error(message: str) -> None:
    print(one_line(t("cli.error", message=message)), file=sys.stderr)


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
    parser.add_argument("--db", help="database file (default: $RECEPTION_DB, else the user "
                        "data directory)")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help="UI language (default: locale)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    demo = commands.add_parser("demo", parents=[common], help="fill a database with demo data")
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    demo.add_argument("--days", type=int, default=30, help="days of history up to today")
    demo.add_argument("--customers", type=int, default=None, help="number of customers")
    demo.add_argument("--visits", type=int, default=None, help="number of visits")
    demo.add_argument("--open", action="store_true", help="open the app afterwards")

    report = commands.add_parser("report", parents=[common],
                                 help="night-check findings and counts of a day")
    report.add_argument("--date", type=_day, default=None, help="YYYY-MM-DD (default today)")
    report.add_argument("--format", choices=["text", "json", "csv"], default="text")

    export = commands.add_parser("export", parents=[common], help="every record of a day")
    export.add_argument("--date", type=_day, required=True, help="YYYY-MM-DD")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--output", "-o", help="file (csv: a folder); default stdout")

    backup = commands.add_parser("backup", parents=[common],
                                 help="online backup, safe while the app is open")
    backup.add_argument("path", help="backup file to write")

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
    args = build_parser().parse_args(argv)
    i18n.set_language(args.lang or i18n.default_language())
    try:
        return run(args)
    except ReceptionError as error:
        report_error(str(error))
        return 2
    except OSError as error:
        # A path the user gave that cannot be written or read (backup, export).
        report_error(f"{error.strerror}: {error.filename}")
        return 2
    except KeyboardInterrupt:
        return 130


def run(args: argparse.Namespace) -> int:
    from reception.db import backup, open_database

    if args.command == "script":
        from reception import script

        return script.check_command(Path(args.file))
    if args.command == "report":
        from reception import reconcile

        database = open_database(args.db)
        return reconcile.report_command(database, args.date, args.format)
    if args.command == "export":
        from reception import export

        database = open_database(args.db)
        return export.export_command(database, args.date, args.format, args.output)
    if args.command == "backup":
        database = open_database(args.db)
        backup(database, Path(args.path))
        print(one_line(t("cli.backup_done", path=args.path)))
        return 0
    if args.command == "demo":
        from reception import demo

        database = open_database(args.db)
        try:
            demo.fill(database, seed=args.seed, days=args.days, customers=args.customers,
                      visits=args.visits)
        except demo.DemoError as refused:
            # `demo --open` a second time: the demo is already there, so just open it.
            if not (args.open and refused.message_key == "demo.not_empty"):
                raise
            print(one_line(t("cli.demo_reused", path=database.path)), file=sys.stderr)
        else:
            print(t("cli.demo_done", path=database.path), file=sys.stderr)
        if not args.open:
            return 0
        database.close()
        return run_app(database.path)
    return run_app(args.db)


def run_app(db_path) -> int:
    """The TUI. The file is checked here; the app opens it behind its first screen."""
    from reception.app import ReceptionApp
    from reception.location import check_file, resolve_path

    path = resolve_path(db_path)
    check_file(path)
    app = ReceptionApp(db_path=path)
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
