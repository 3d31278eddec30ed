"""Customer text on screen: exactly what was typed, and nothing the terminal would act on.

Rich's ``Text`` and Textual's ``Content`` drop a few control characters but keep others
(ESC, OSC, NUL …) that a terminal would obey — clearing the screen or retitling the
window. ``literal(value)`` shows each control character as its visible symbol (␛, ␀, ␇ …).
``show_control_characters()``, called once by the app, makes every ``Text`` and
``Content`` do the same, so no screen can forget it.
"""

from rich.text import Text

# C0 controls → the Unicode "control pictures" (U+2400…), DEL → ␡, C1 controls → �.
_VISIBLE = {code: 0x2400 + code for code in range(0x20)}
_VISIBLE[0x7F] = 0x2421
_VISIBLE.update({code: 0xFFFD for code in range(0x80, 0xA0)})
# Line and paragraph separators would start a new line inside a cell.
_VISIBLE.update({0x2028: 0x21B5, 0x2029: 0x21B5})


# Newlines and tabs keep their meaning in multi-line help and forms.
_IN_TEXT = {code: chr(target) for code, target in _VISIBLE.items() if code not in (0x09, 0x0A)}


def show_control_characters() -> None:
    """Make Rich and Textual show control characters instead of passing them on.

    Both libraries clean text through one translation table (Text(), Text.append(),
    Content()); widening those tables is the one place that covers every widget. A test
    renders escape sequences through each and fails should a library change this.
    """
    from rich import control
    from textual import content

    for table in (control._CONTROL_STRIP_TRANSLATE, content._CONTROL_STRIP_TRANSLATE):
        table.update(_IN_TEXT)


def visible(value: str) -> str:
    return value.translate(_VISIBLE)


def literal(value: object, style: str = "") -> Text:
    """A Text of ``value`` shown literally (never markup, never a control sequence)."""
    return Text(visible("" if value is None else str(value)), style=style)
