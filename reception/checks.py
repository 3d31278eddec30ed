"""Is the store whole? A cheap look at the file's header, and SQLite's full checks.

- ``reception.file_header.header_problem``: O(1), on every open — a file shorter than its
  header says (cut off in a copy, a full disk) is refused before anything reads it;
- ``quick_check``: SQLite's ``PRAGMA quick_check`` on a file (a backup's copy is checked
  before it takes its name);
- ``check_store``: ``reception check`` — ``integrity_check`` and ``foreign_key_check``, the
  findings said in plain words.
"""

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from reception.file_header import lost_pages
from reception.i18n import t
from reception.text import printable

#: How many of SQLite's own lines ``check`` reads (a badly damaged file has thousands).
MAX_LINES = 200


def schema_readable(path: Path) -> bool:
    """False when SQLite cannot read the file's table list (cheap: a page or two). Run
    before the app starts, so a store damaged there is one line, not a screen that fails."""
    try:
        connection = _connect(path)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                               "AND name = 'alembic_version'").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        message = str(error)
        return "malformed" not in message and "not a database" not in message
    return True


def _connect(path: Path, uri: str | None = None) -> sqlite3.Connection:
    from reception.location import sqlite_uri

    connection = sqlite3.connect(uri or sqlite_uri(path, mode="ro"), uri=True, timeout=20)
    # SQLite's findings can quote damaged bytes: shown replaced, never a decoding error.
    connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
    return connection


def quick_check(path: Path, *, uri: str | None = None) -> list[str]:
    """SQLite's ``quick_check`` of the file: [] when whole, else its first findings."""
    try:
        connection = _connect(path, uri)
        try:
            rows = connection.execute(f"PRAGMA quick_check({MAX_LINES})").fetchall()
        finally:
            connection.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:  # a message of bad bytes
        return [str(error)]
    found = [row[0] for row in rows]
    return [] if found == ["ok"] else found


@dataclass
class CheckResult:
    integrity: list[str]  # SQLite's integrity_check lines ([] = whole)
    references: list[tuple[str, int | None, str, int]]  # table, rowid, parent, fk index
    unreadable: str | None = None  # the file could not be read at all
    short: tuple[int, int] | None = None  # (pages there, pages counted): the file is cut

    @property
    def clean(self) -> bool:
        return (not self.integrity and not self.references and self.unreadable is None
                and self.short is None)


def check_store(path: Path, *, uri: str | None = None) -> CheckResult:
    """``integrity_check`` and ``foreign_key_check`` of the store at ``path``, read-only."""
    short = None
    try:
        with path.open("rb") as handle:
            short = lost_pages(path, handle.read(100), path.stat().st_size)
    except OSError:
        pass
    try:
        connection = _connect(path, uri)
        try:
            rows = connection.execute(f"PRAGMA integrity_check({MAX_LINES})").fetchall()
            integrity = [] if [row[0] for row in rows] == ["ok"] else [row[0] for row in rows]
            references = [] if integrity else [
                (row[0], row[1], row[2], row[3])
                for row in connection.execute("PRAGMA foreign_key_check").fetchmany(MAX_LINES)]
        finally:
            connection.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        return CheckResult([], [], unreadable=str(error), short=short)
    return CheckResult(integrity, references, short=short)


def _index_of(line: str) -> str | None:
    # "row 5 missing from index ix_customer_name", "wrong # of entries in index ix_x"
    if " index " in line:
        return line.rsplit(" index ", 1)[1].split()[0]
    return None


def describe(result: CheckResult) -> list[str]:
    """What is wrong, in plain words, one line each (the first line sums it up)."""
    if result.clean:
        return [t("check.clean")]
    lines: list[str] = []
    if result.unreadable is not None:
        lines.append(t("check.unreadable", reason=result.unreadable))
    if result.short is not None:
        lines.append(t("check.cut_short", have=result.short[0], pages=result.short[1]))
    if lines:
        return [*lines, t("check.restore")]
    if result.integrity:
        indexes = sorted({name for line in result.integrity if (name := _index_of(line))})
        pages = [line for line in result.integrity if not _index_of(line)]
        if pages:
            lines.append(t("check.pages_damaged", count=len(pages)))
        if indexes:
            lines.append(t("check.indexes_damaged", names=", ".join(indexes)))
        lines += [t("check.detail", text=line) for line in result.integrity[:10]]
        lines.append(t("check.restore") if pages else t("check.reindex"))
    by_table: dict[tuple[str, str], list[int | None]] = {}
    for table, rowid, parent, _fk in result.references:
        by_table.setdefault((table, parent), []).append(rowid)
    for (table, parent), rowids in sorted(by_table.items()):
        shown = ", ".join(str(rowid) for rowid in rowids[:10])
        lines.append(t("check.references", table=table, parent=parent, count=len(rowids),
                       rows=shown + (" …" if len(rowids) > 10 else "")))
    return lines


def check_command(path: Path, *, uri: str | None = None) -> int:
    """``reception check``: what is wrong, in plain words; 0 whole, 2 damaged."""
    import sys

    result = check_store(path, uri=uri)
    for line in describe(result):
        print(printable(line))
    sys.stdout.flush()
    return 0 if result.clean else 2
