"""``.xlsx`` workbooks (openpyxl) of the lists the desk keeps as spreadsheets (seed 002):
the register book, the deal and no-deal lists, each consultant's month, the callback
summary, and the day's records.

Each sheet has a bold, frozen header row and column widths that fit Chinese text (a CJK
character is two columns wide). Text cells are text, never formulas: they are stored as
strings (so ``=HYPERLINK(…)`` is shown, not run) and those a spreadsheet would read as a
formula carry Excel's "quote prefix", which keeps them text when edited. Numbers stay
numbers. The file is written owner-only, as a whole (``reception.files``).
"""

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reception.files import write_private
from reception.spreadsheet import is_number, starts_formula

MAX_WIDTH = 60
# Characters an xlsx file cannot hold (XML 1.0): shown as U+FFFD instead of failing.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A sheet title cannot hold these, and is at most 31 characters.
_TITLE_BAD = re.compile(r"[\\/*?:\[\]]")


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list[object]] = field(default_factory=list)
    #: Columns holding amounts (shown with two decimals).
    money: set[int] = field(default_factory=set)


def display_width(text: str) -> int:
    """Terminal/spreadsheet columns of ``text``: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def sheet_title(text: str, taken: set[str]) -> str:
    title = _TITLE_BAD.sub("_", text).strip("'") or "Sheet"
    title = title[:31]
    base, number = title, 2
    while title.lower() in taken:
        suffix = f"-{number}"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def _put(cell, value: object) -> int:
    """Store ``value`` in ``cell`` (text as text); the width it needs."""
    if value is None or value == "":
        return 0
    if is_number(value):
        cell.value = value
        return len(f"{value:,.2f}") if isinstance(value, float) else len(str(value))
    if isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return 10
    text = _ILLEGAL.sub("\ufffd", value if isinstance(value, str) else str(value))
    cell.value = text
    cell.data_type = "s"  # a string, even when it starts with "=": never a formula
    if starts_formula(text):
        cell.quotePrefix = True  # and stays text when someone edits the cell
    return max((display_width(line) for line in text.splitlines() or [""]), default=0)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for sheet in sheets:
        page = book.create_sheet(sheet_title(sheet.title, taken))
        widths = [0] * len(sheet.header)
        for column, name in enumerate(sheet.header, start=1):
            cell = page.cell(row=1, column=column)
            widths[column - 1] = _put(cell, name)
            cell.font = bold
        for row_number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = page.cell(row=row_number, column=column)
                width = _put(cell, value)
                if column - 1 in sheet.money and is_number(value):
                    cell.number_format = "#,##0.00"
                if column - 1 < len(widths):
                    widths[column - 1] = max(widths[column - 1], width)
        for column, width in enumerate(widths, start=1):
            page.column_dimensions[get_column_letter(column)].width = min(
                max(width, 4) + 2, MAX_WIDTH)
        page.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Write ``sheets`` as one ``.xlsx`` file, owner-only; OSError when it cannot be."""
    return write_private(path, workbook_bytes(sheets))


def read_rows(path: Path, *, sheet: str | None = None) -> Iterable[list[object]]:
    """The rows of a sheet (the first, or ``sheet``) of an ``.xlsx`` file, as values."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        page = book[sheet] if sheet else book.worksheets[0]
        for row in page.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()
