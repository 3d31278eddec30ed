"""``reception import customers FILE.xlsx|.csv``: the clinic's customer sheets come in.

Seed 002's desk kept 已成交顾客档案 / 未成交顾客档案 and a sheet per consultant per month.
Columns are matched by their Chinese or English headers (``HEADERS``), and the mapping
is printed. Each row is checked as the counter would: a name, a valid phone not already
on file nor earlier in the sheet, a well-formed case number used once, a real past date,
a known consultant. One line per rejected row (its row number and reason) and a summary.

Nothing is written on ``--dry-run``, nor at all when a row is rejected unless
``--skip-bad`` (then the good rows): all or nothing, in one transaction. Cells are
stored as the text they are (a formula, control characters, long text); an apostrophe a
spreadsheet export put before a formula-like cell is taken off. Imported customers carry
their first-visit day, so their next visit is a returning one (``triage.has_visited``).
Exit status: 0 every row fine, 1 rows rejected, 2 the file cannot be used.
"""

import csv
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, select

from models import Customer, Role, Staff
from reception import audit, case_numbers, phones
from reception.clock import clock
from reception.customers import NAME_MAX, initials
from reception.db import chain_lock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from reception.spreadsheet import TEXT_MARK, starts_formula
from reception.text import narrow

#: Field → the headers it is known by (compared without spaces, case or width).
HEADERS = {
    "name": ("姓名", "顾客姓名", "客户姓名", "名字", "name", "customer", "customername"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "phone", "mobile",
              "tel", "telephone", "phonenumber"),
    "gender": ("性别", "gender", "sex"),
    "first_visit": ("首次到店", "首次来院", "首诊日期", "初诊日期", "到店日期", "日期",
                    "firstvisit", "first_visit", "date", "day"),
    "case_number": ("病案号", "病历号", "病例号", "casenumber", "caseno", "caseno.", "case"),
    "consultant": ("咨询师", "咨询", "consultant"),
    "items": ("治疗项目", "成交项目", "项目", "咨询项目", "items", "treatment", "treatments",
              "camefor"),
    "notes": ("未成交原因", "未成交备注", "备注", "notes", "note", "nodealnotes", "remarks"),
}
GENDERS = {"女": "f", "f": "f", "female": "f", "男": "m", "m": "m", "male": "m",
           "其他": "x", "x": "x", "other": "x", "": ""}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


class ImportError_(ReceptionError):  # noqa: N801 - ImportError is Python's own
    """The file cannot be imported at all."""


@dataclass
class Outcome:
    mapping: dict[str, str]  # header → field
    ignored: list[str]
    good: list[dict] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)
    written: int = 0


def _key(header: object) -> str:
    return re.sub(r"\s+", "", narrow(str(header or ""))).lower()


def match_headers(header: list[object]) -> tuple[dict[int, str], dict[str, str], list[str]]:
    """(column → field, header → field, headers not used)."""
    known = {_key(name): key for key, names in HEADERS.items() for name in names}
    columns, mapping, ignored = {}, {}, []
    for index, name in enumerate(header):
        key = known.get(_key(name))
        if key and key not in columns.values():
            columns[index], mapping[str(name)] = key, key
        elif str(name or "").strip():
            ignored.append(str(name))
    return columns, mapping, ignored


def read_table(path: Path) -> list[list[object]]:
    """The rows of the file's first sheet (xlsx) or of the CSV (UTF-8, else GB18030)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from reception.workbook import read_rows

        return list(read_rows(path))
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportError_("import.encoding", path=path)
    return list(csv.reader(text.splitlines(keepends=True)))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone or case number a spreadsheet took for a number
    text = value if isinstance(value, str) else str(value)
    # An export's mark that the cell is text, not a formula: the text is what follows.
    if text.startswith(TEXT_MARK) and starts_formula(text[1:]):
        return text[1:]
    return text


def _day(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        match = _DATE.fullmatch(narrow(_text(value)).strip())
        if match is None:
            raise ValidationError("first_visit", "import.bad_date", value=_text(value))
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise ValidationError("first_visit", "import.bad_date",
                                  value=_text(value)) from None
    if day > clock.today() or day.year < 1900:
        raise ValidationError("first_visit", "import.date_range", value=day.isoformat())
    return day


def check_rows(session: Session, rows: list[list[object]]) -> Outcome:
    """Each row checked; nothing written."""
    start = next((index for index, row in enumerate(rows) if any(_text(c).strip() for c in row)),
                 None)
    if start is None:
        raise ImportError_("import.empty")
    columns, mapping, ignored = match_headers(rows[start])
    if "name" not in columns.values() or "phone" not in columns.values():
        raise ImportError_("import.no_columns", headers=", ".join(map(str, rows[start])))
    outcome = Outcome(mapping, ignored)
    # Every phone and case number of the chain, held until the import is written: no
    # branch registers a phone or gives a case number meanwhile.
    chain_lock(session, "phone")
    chain_lock(session, "case_number")
    phones_on_file = set(session.exec(select(Customer.phone)).all())
    cases_on_file = set(session.exec(select(Customer.case_number)).all())
    consultants = {staff.name: staff.id for staff in session.exec(
        select(Staff).where(Staff.role == Role.CONSULTANT)).all()}
    seen_phones: dict[str, int] = {}
    seen_cases: dict[str, int] = {}
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        cells = {key: row[index] if index < len(row) else None
                 for index, key in columns.items()}
        if not any(_text(value).strip() for value in cells.values()):
            continue  # an empty line
        try:
            outcome.good.append(_customer(cells, phones_on_file, cases_on_file, consultants,
                                          seen_phones, seen_cases, number))
        except ValidationError as problem:
            outcome.rejected.append((number, f"{t('import.field.' + problem.field)}: "
                                             f"{problem}"))
    return outcome


def _customer(cells, phones_on_file, cases_on_file, consultants, seen_phones, seen_cases,
              number) -> dict:
    name = _text(cells.get("name")).strip()
    if not name:
        raise ValidationError("name", "field.required")
    if len(name) > NAME_MAX:
        raise ValidationError("name", "triage.name_too_long", limit=NAME_MAX)
    phone = phones.normalise(_text(cells.get("phone")))
    if phone in phones_on_file:
        raise ValidationError("phone", "import.phone_on_file", phone=phone)
    if phone in seen_phones:
        raise ValidationError("phone", "import.phone_twice", phone=phone, row=seen_phones[phone])
    gender = GENDERS.get(_key(_text(cells.get("gender"))))
    if gender is None:
        raise ValidationError("gender", "import.bad_gender", value=_text(cells.get("gender")))
    case = _text(cells.get("case_number")).strip() or None
    if case is not None:
        if case_numbers.parse(case) is None:
            raise ValidationError("case_number", "import.bad_case", value=case)
        if case in cases_on_file:
            raise ValidationError("case_number", "import.case_on_file", value=case)
        if case in seen_cases:
            raise ValidationError("case_number", "import.case_twice", value=case,
                                  row=seen_cases[case])
    consultant_name = _text(cells.get("consultant")).strip()
    consultant_id = None
    if consultant_name:
        consultant_id = consultants.get(consultant_name)
        if consultant_id is None:
            raise ValidationError("consultant", "import.no_consultant", name=consultant_name)
    first_visit = _day(cells.get("first_visit"))
    seen_phones[phone] = number
    if case is not None:
        seen_cases[case] = number
    return {"name": name, "phone": phone, "gender": gender, "case_number": case,
            "consultant_id": consultant_id, "first_visit_day": first_visit,
            "interest": _text(cells.get("items")), "note": _text(cells.get("notes")),
            "name_initials": initials(name)}


def write(session: Session, outcome: Outcome, *, source: str) -> int:
    """Insert the good rows (the caller's transaction); one audit row for the import."""
    now = clock.now_utc()
    rows = [{**row, "source": "", "created_at": now, "created_by_id": None}
            for row in outcome.good]
    for start in range(0, len(rows), 5000):
        session.execute(insert(Customer), rows[start:start + 5000])
    audit.record(session, by=None, action="customers_imported", record_type="customer",
                 count=len(rows), file=source, rejected=len(outcome.rejected))
    return len(rows)


def import_command(database, path: Path, *, dry_run: bool, skip_bad: bool) -> int:
    """``reception import customers``; 0 every row fine, 1 rows rejected."""
    import zipfile

    from openpyxl.utils.exceptions import InvalidFileException

    from reception.location import os_reason
    from reception.text import printable as one_line

    try:
        rows = read_table(path)
    except OSError as error:
        raise ImportError_("import.unreadable", path=path,
                           reason=os_reason(error, path)) from error
    except (ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as error:
        # Not the spreadsheet its name says (a renamed file, a damaged download).
        raise ImportError_("import.not_a_sheet", path=path) from error
    with database.write() as session:
        outcome = check_rows(session, rows)
        print(one_line(t("import.mapping", mapping=", ".join(
            f"{header} → {t('import.field.' + key)}" for header, key in outcome.mapping.items()))))
        if outcome.ignored:
            print(one_line(t("import.ignored", headers=", ".join(outcome.ignored))))
        for number, reason in outcome.rejected:
            print(one_line(t("import.rejected", row=number, reason=reason)))
        if not dry_run and outcome.good and (skip_bad or not outcome.rejected):
            outcome.written = write(session, outcome, source=path.name)
    total = len(outcome.good) + len(outcome.rejected)
    print(one_line(t("import.summary", total=total, good=len(outcome.good),
                     rejected=len(outcome.rejected))))
    if dry_run:
        print(one_line(t("import.dry_run")))
    elif outcome.written:
        print(one_line(t("import.written", count=outcome.written)))
    elif outcome.rejected:
        print(one_line(t("import.nothing_written")))
    sys.stdout.flush()
    return 1 if outcome.rejected else 0
