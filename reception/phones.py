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
