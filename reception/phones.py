"""Phone numbers: validation, normalised storage, masking for lists.

Accepted: a mainland China mobile (11 digits starting with 1), a landline with its area
code (0xx-xxxxxxxx), or an international number starting with ``+``. libphonenumber
(``phonenumbers``) decides what is a valid number. Full-width digits (a Chinese input
method's ``１３８１２３４５６７８``) are read as digits.
"""

import re

import phonenumbers

from reception.errors import ValidationError
from reception.text import narrow

_SEPARATORS = re.compile(r"[\s\-()（）.]")


def normalise(raw: str) -> str:
    """The stored form: mobiles as 11 digits, landlines as ``0area-number``, others E.164."""
    text = _SEPARATORS.sub("", narrow(raw).strip())
    if not text:
        raise ValidationError("phone", "phone.required")
    if not re.fullmatch(r"\+?\d+", text):
        raise ValidationError("phone", "phone.invalid")
    if not text.startswith("+") and text[0] != "0" and not (len(text) == 11 and text[0] == "1"):
        raise ValidationError("phone", "phone.invalid")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as error:
        raise ValidationError("phone", "phone.invalid") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("phone", "phone.invalid")
    if number.country_code == 86:
        national = str(number.national_number)
        if len(national) == 11 and national.startswith("1"):
            return national
        area_length = phonenumbers.length_of_geographical_area_code(number)
        if area_length:
            local = national[area_length:]
            # libphonenumber lets a short number through by reading part of it as the
            # area code ("0755-1234" as 075-51234); local numbers in China have 7–8 digits.
            if not 7 <= len(local) <= 8:
                raise ValidationError("phone", "phone.invalid")
            return f"0{national[:area_length]}-{local}"
        return national
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask(phone: str) -> str:
    """``13812345678`` → ``138****5678``: lists show this, not the whole number."""
    digits = phone
    if len(digits) <= 7:
        return digits[:1] + "*" * max(len(digits) - 2, 0) + digits[-1:] if digits else ""
    return digits[:3] + "****" + digits[-4:]


def mask_showing(phone: str, span: tuple[int, int] | None) -> str:
    """The masked phone with the characters at ``span`` (the part a search matched) shown.

    One character for one, so ``span`` marks the same characters in the result, ready to
    be highlighted: ``13812345678`` with ``(7, 11)`` → ``138****5678``, with ``(4, 8)`` →
    ``138*2345678``. The first three and last four digits always show (the first and last
    of a number of seven characters or less); separators (``0755-12345678``) stay.
    A mobile with no span is exactly ``mask(phone)``.
    """
    if len(phone) <= 7:
        shown = {0, len(phone) - 1}
    else:
        shown = {0, 1, 2, *range(len(phone) - 4, len(phone))}
    if span is not None:
        shown.update(range(max(span[0], 0), min(span[1], len(phone))))
    return "".join(c if i in shown or not c.isdigit() else "*" for i, c in enumerate(phone))
