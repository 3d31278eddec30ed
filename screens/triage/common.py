"""What the F2 screens share: customer text shown literally in columns, result rows."""

from rich.text import Text

from reception import phones
from reception.clock import clock
from reception.errors import ValidationError
from reception.text import printable

#: Name columns, in terminal cells (a Chinese character takes two).
NAME_CELLS = 16
RESULT_NAME_CELLS = 16
CONSULTANT_CELLS = 10
#: A search result's columns (with the phone, last visit, case number and why: 76 cells).
FOUND_NAME_CELLS = 12
FOUND_CONSULTANT_CELLS = 8


def shown(value: str | None, width: int | None = None, style: str = "", *,
          pad: bool = False) -> Text:
    """Customer text as plain text: never markup, control characters made visible.

    ``width`` cuts it to that many cells; ``pad`` fills it out to them, so that columns
    after it line up whatever the mix of double-width (CJK) and single-width characters.
    """
    text = Text(printable(value), style=style, no_wrap=width is not None)
    if width is not None:
        text.truncate(width, overflow="ellipsis", pad=pad)
    return text


def customer_label(found) -> Text:
    """One result row, enough to tell namesakes apart at 80 columns: the name and the phone
    with what matched in bold (the matched digits visible inside the mask), her last
    visit, her consultant, her case number, here now (●) or booked today (◷), and why
    she matched."""
    name = shown(found.name, FOUND_NAME_CELLS, pad=True)
    if found.name_span and found.name_span[1] <= len(name.plain):
        name.stylize("bold underline", *found.name_span)
    label = Text("● " if found.here else "◷ " if found.booked_today else "  ")
    label.append_text(name)
    phone = Text(f"  {found.phone_shown:<13}")
    if found.phone_span:
        phone.stylize("bold underline", 2 + found.phone_span[0], 2 + found.phone_span[1])
    label.append_text(phone)
    visit = found.last_visit_day
    label.append(f"  {visit:%y-%m-%d}" if visit else "  " + " " * 8)
    label.append("  ")
    label.append_text(shown(found.consultant, FOUND_CONSULTANT_CELLS, pad=True))
    label.append(f"  {found.case_number or '':<11}")
    label.append_text(shown(found.why_label, 14, style="dim"))
    return label


def appointment_label(appointment) -> Text:
    label = Text(f"{appointment.number}  "
                 f"{clock.local(appointment.scheduled_at).format('HH:mm')}  ")
    label.append_text(shown(appointment.name, RESULT_NAME_CELLS, pad=True))
    label.append(f"  {phones.mask(appointment.phone)}  ")
    label.append_text(shown(appointment.purpose, 20))
    return label


def masked_or_raw(raw: str) -> str:
    """A phone as lists show it; what was typed when it is no phone yet."""
    try:
        return phones.mask(phones.normalise(raw))
    except ValidationError:
        return raw
