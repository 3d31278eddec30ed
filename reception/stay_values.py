"""What the stays' forms type, read as stored values: money in integer fen, days, times,
whole numbers, yes/no. Each parser raises ``ValidationError(field, …)`` naming its field.

Money is typed in yuan (``12800``, ``12,800.50``, ``￥3000``) and stored in fen; it is
never a float on the way (``Decimal``), so 0.1 + 0.2 never shows up on a receipt.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import arrow

from reception.clock import clock
from reception.errors import ValidationError
from reception.text import narrow

#: A single amount above this (10 million yuan) is a typing slip.
MONEY_MAX = 10_000_000 * 100
_MONEY_NOISE = re.compile(r"[\s,，￥¥元]")
YES = {"y", "yes", "1", "是", "要", "有", "true"}
NO = {"", "n", "no", "0", "否", "不", "无", "false"}


def fen(text: str, field: str, *, required: bool = False) -> int:
    """``"12,800.5"`` → 1280050. Empty is 0 unless ``required``."""
    cleaned = _MONEY_NOISE.sub("", narrow(text or ""))
    if not cleaned:
        if required:
            raise ValidationError(field, "field.required")
        return 0
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(field, "stays.bad_money", value=text.strip()) from None
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:
        raise ValidationError(field, "stays.bad_money", value=text.strip())
    amount = int(value * 100)
    if amount > MONEY_MAX:
        raise ValidationError(field, "stays.money_too_large", value=text.strip())
    return amount


def yuan(amount: int) -> str:
    """1280050 → ``12,800.50``; whole yuan without the decimals: ``12,800``."""
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}{whole:,}" + (f".{cents:02d}" if cents else "")


def yuan_text(amount: int) -> str:
    """The value a money field opens with (no thousands separator)."""
    whole, cents = divmod(amount, 100)
    return f"{whole}" + (f".{cents:02d}" if cents else "")


def day(text: str, field: str, *, required: bool = False) -> date | None:
    """``2026-12-20``, ``2026/12/20``, ``20261220`` or ``12-20`` (this year)."""
    cleaned = narrow(text or "").strip().replace("/", "-").replace(".", "-")
    if not cleaned:
        if required:
            raise ValidationError(field, "field.required")
        return None
    try:
        if re.fullmatch(r"\d{8}", cleaned):
            return date(int(cleaned[:4]), int(cleaned[4:6]), int(cleaned[6:]))
        if re.fullmatch(r"\d{1,2}-\d{1,2}", cleaned):
            month, mday = (int(part) for part in cleaned.split("-"))
            return date(clock.today().year, month, mday)
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", cleaned):
            year, month, mday = (int(part) for part in cleaned.split("-"))
            return date(year, month, mday)
    except ValueError:
        pass
    raise ValidationError(field, "stays.bad_day", value=text.strip())


def day_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def moment(text: str, field: str) -> datetime | None:
    """``2026-12-20 14:30`` (or ``12-20 14:30``) in the centre's time zone; None if empty."""
    cleaned = narrow(text or "").strip()
    if not cleaned:
        return None
    parts = cleaned.split()
    if len(parts) != 2 or not re.fullmatch(r"\d{1,2}:\d{2}", parts[1]):
        raise ValidationError(field, "stays.bad_moment", value=cleaned)
    when = day(parts[0], field, required=True)
    hour, minute = (int(part) for part in parts[1].split(":"))
    if hour > 23 or minute > 59:
        raise ValidationError(field, "stays.bad_moment", value=cleaned)
    local = arrow.Arrow(when.year, when.month, when.day, hour, minute, tzinfo=clock.tz)
    return local.to("utc").datetime


def moment_text(value: datetime | None) -> str:
    return clock.local(value).format("YYYY-MM-DD HH:mm") if value else ""


def whole(text: str, field: str, low: int, high: int, *, default: int | None = None) -> int:
    cleaned = narrow(text or "").strip()
    if not cleaned and default is not None:
        return default
    try:
        number = int(cleaned)
    except ValueError:
        raise ValidationError(field, "stays.bad_number", low=low, high=high,
                              value=cleaned) from None
    if not low <= number <= high:
        raise ValidationError(field, "stays.bad_number", low=low, high=high, value=cleaned)
    return number


def yes_no(text: str, field: str) -> bool:
    cleaned = narrow(text or "").strip().lower()
    if cleaned in YES:
        return True
    if cleaned in NO:
        return False
    raise ValidationError(field, "stays.bad_yes_no", value=cleaned)


def line(text: str, field: str, *, limit: int, required: bool = False) -> str:
    cleaned = (text or "").strip()
    if required and not cleaned:
        raise ValidationError(field, "field.required")
    if len(cleaned) > limit:
        raise ValidationError(field, "stays.too_long", limit=limit)
    return cleaned
