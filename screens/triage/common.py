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


def customer_label(customer) -> Text:
    label = shown(customer.name, RESULT_NAME_CELLS, pad=True)
    label.append(f"  {phones.mask(customer.phone)}")
    if customer.case_number:
        label.append(f"  {customer.case_number}")
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
