"""Customer text on screen: exactly what was typed, and nothing the terminal would act on.

``Text(value)`` alone keeps escape sequences (ESC, OSC, NUL …) that a terminal would obey —
clearing the screen or retitling the window. ``literal(value)`` shows each control
character as its visible symbol (␛, ␀, ␇ …) instead, so the layout cannot break.
"""

from rich.text import Text

# C0 controls → the Unicode "control pictures" (U+2400…), DEL → ␡, C1 controls → �.
_VISIBLE = {code: 0x2400 + code for code in range(0x20)}
_VISIBLE[0x7F] = 0x2421
_VISIBLE.update({code: 0xFFFD for code in range(0x80, 0xA0)})
# Line and paragraph separators would start a new line inside a cell.
_VISIBLE.update({0x2028: 0x21B5, 0x2029: 0x21B5})


def visible(value: str) -> str:
    return value.translate(_VISIBLE)


def literal(value: object, style: str = "") -> Text:
    """A Text of ``value`` shown literally (never markup, never a control sequence)."""
    return Text(visible("" if value is None else str(value)), style=style)
