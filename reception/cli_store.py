"""The store as the command line uses it: an existing database opened read-only (never
created or migrated), the backup's target, the day report, and the warning when others
may read the file. Errors are ``CliError``s: one line and exit 2 (``reception.cli``)."""

import json
import os
import sys
from datetime import date
from pathlib import Path

from reception.errors import DatabaseError, ReceptionError
from reception.i18n import t
from reception.text import printable


class CliError(ReceptionError):
    """A command-line argument or path that cannot be used."""


def one_line(text: str) -> str:
    """Control characters (newlines, escape sequences, bidi overrides) shown as their
    symbols (␊, ␛, ⇄), never acted on by the terminal."""
    return printable(text)


def warn_if_exposed(path: Path) -> None:
    """One line on stderr when others may read the database file."""
    from reception.files import exposed

    mode = exposed(path)
    if mode is not None:
        print(one_line(t("cli.exposed", path=path, mode=f"{mode:04o}")), file=sys.stderr)


def existing_database(db_arg: str | None, *, damaged_ok: bool = False) -> Path:
    """The path of a database that must exist already (report, export, backup's source):
    nothing is created when it does not. ``damaged_ok``: a damaged one too (check)."""
    from reception.location import check_file, os_reason, resolve_path

    path = resolve_path(db_arg)
    try:
        status = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise CliError("cli.no_such_database", path=path) from None
    except OSError as error:
        raise CliError("cli.cannot_use", path=path, reason=os_reason(error)) from None
    if status.st_size == 0 and not path.is_dir():
        raise CliError("cli.empty_database", path=path)
    try:
        check_file(path, writable=False)  # a folder, unreadable, not SQLite, cut short
    except DatabaseError as error:
        if not (damaged_ok and error.message_key == "db.damaged"):
            raise
    return path


def nobody_has_open(path: Path) -> bool:
    """No -wal (or -journal) file beside it: nobody has the file open and everything is in
    the file itself, so it can be read as it stands (SQLite's "immutable"). That creates no
    -wal/-shm files next to it (they would be the reader's, not the app's, and on a
    read-only disk they cannot be made at all). With a -wal file the app is open: the
    reader then takes SQLite's locks like any connection."""
    return not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))


def open_for_reading(db_arg: str | None):
    """Open an existing database file read-only: no migration, nothing written (a file
    marked read-only or on a read-only disk can be read too)."""
    from reception.db import open_database
    from reception.location import schema_revision

    path = existing_database(db_arg)
    immutable = nobody_has_open(path)
    try:
        database = open_database(path, read_only=True, immutable=immutable)
        warn_if_exposed(path)
        return database
    except DatabaseError as error:
        if error.message_key != "db.needs_upgrade":
            raise
        revision = schema_revision(path, immutable=immutable)
        if revision is None:
            raise CliError("cli.not_reception", path=path) from None
        raise CliError("cli.older_schema", path=path, revision=revision) from None


def report_command(database, day: date | None, fmt: str) -> int:
    """``reception report``: the day's counts and findings; 0 clean, 1 findings."""
    from reception import reconcile
    from reception.clock import clock

    today = clock.today()
    with database.read() as session:
        report = reconcile.day_report(session, day or today)
    note = None
    if report.day > today:
        note = t("cli.future_day", day=report.day.isoformat(), today=today.isoformat())
    if fmt == "json":
        output = json.dumps(reconcile.report_dict(report), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        output = reconcile.report_csv(report)
    else:
        lines = reconcile.report_lines(report)
        if report.signed_off and report.clean:
            lines[-1] = t("cli.signed_off_clean", name=report.signed_off.by_name,
                          at=clock.local(report.signed_off.at).format("YYYY-MM-DD HH:mm"))
        if note:
            # Below the title, so it is read before the findings; json and csv keep
            # their shape (the note goes to stderr there).
            lines.insert(1, note)
            note = None
        # Names and notes come from customers: shown, never obeyed by the terminal.
        output = "\n".join(printable(line) for line in lines) + "\n"
    if note:
        print(one_line(note), file=sys.stderr)
    sys.stdout.write(output)
    sys.stdout.flush()
    return 0 if report.clean else 1


def backup_target(raw: str, source: Path | None, *, suffix: str = ".db") -> Path:
    """The file a backup goes to: ``raw``, or inside it when it is (or ends like) a folder
    (``reception-YYYYMMDD-HHMM`` and ``suffix``). ``source``: the file backed up, if any."""
    from reception.clock import clock
    from reception.location import Reason, diagnose

    target = Path(raw).expanduser()
    if raw.endswith(("/", os.sep)) or target.is_dir():
        stamp = clock.now().format("YYYYMMDD-HHmm")
        name, number = f"reception-{stamp}", 1
        target = target / f"{name}{suffix}"
        while target.exists():  # a second backup in the same minute keeps the first
            number += 1
            target = target.with_name(f"{name}-{number}{suffix}")
    # Missing folders are made; refuse here, naming the backup, what the OS would refuse.
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise CliError("cli.cannot_use", path=target, reason=Reason("cli.reason.not_folder"))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CliError("cli.cannot_use", path=target, reason=diagnose(folder / target.name))
    try:
        same = source is not None and os.path.samefile(target, source)
    except OSError:  # no file there yet
        same = False
    if same:
        raise CliError("cli.backup_same_file", path=target)
    return target
