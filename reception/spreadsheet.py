"""Cells a spreadsheet reads as text, never as a formula (OWASP "CSV injection").

Excel, WPS and LibreOffice run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (also
after leading spaces), or with a tab or carriage return, as a formula: customer text such
as ``=HYPERLINK(…)`` or a phone written ``+8613…`` must arrive as the text it is. Every CSV
reception writes goes through ``csv_text`` (and every xlsx cell through ``safe_cell``): such
a text gets a leading apostrophe, the spreadsheet's own mark for "this is text". Numbers
(int, float, Decimal) are numbers and stay so, a negative amount included.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

#: What a spreadsheet takes as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_SPACES = " \u3000\u00a0"
TEXT_MARK = "'"


def starts_formula(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula."""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    return text.lstrip(_SPACES)[:1] in FORMULA_STARTS


def is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def safe_cell(value: object) -> object:
    """``value`` as a cell: numbers as they are, None as empty, any other value as text that
    cannot start a formula."""
    if value is None:
        return ""
    if is_number(value):
        return value
    text = value if isinstance(value, str) else str(value)
    return TEXT_MARK + text if starts_formula(text) else text


def safe_row(values: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in values]


def _csv_cell(value: object) -> object:
    cell = safe_cell(value)
    if isinstance(cell, str) and "\r" in cell:
        # The csv module quotes a field with the line end (\n) in it, not one with a bare
        # CR, which a spreadsheet takes as the end of the row: a line break it is.
        cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    return cell


def csv_text(header: Iterable[object] | None, rows: Iterable[Iterable[object]]) -> str:
    """CSV text (``\\n`` line ends), every cell through ``safe_cell``; ``header`` first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header is not None:
        writer.writerow([_csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()
