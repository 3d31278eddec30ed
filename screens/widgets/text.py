"""Customer text on screen: exactly what was typed, and nothing the terminal would act on.

Rich's ``Text`` and Textual's ``Content`` drop a few control characters but keep others
(ESC, OSC, NUL …) that a terminal would obey — clearing the screen or retitling the
window. ``literal(value)`` shows each control character as its visible symbol (␛, ␀, ␇ …)
and each bidirectional override as ⇄: the domain's ``reception.text.printable`` rule, in a
Rich ``Text``. ``show_control_characters()``, called once by the app, makes every ``Text``
and ``Content`` do the same, so no screen can forget it.
"""

from rich.text import Text

from reception.text import MULTI_LINE, printable


def show_control_characters() -> None:
    """Make Rich and Textual show control characters instead of passing them on.

    Both libraries clean text through one translation table (Text(), Text.append(),
    Content()); widening those tables is the one place that covers every widget. A test
    renders escape sequences through each and fails should a library change this.
    """
    from rich import control
    from textual import content

    for table in (control._CONTROL_STRIP_TRANSLATE, content._CONTROL_STRIP_TRANSLATE):
        # Newlines and tabs keep their meaning in multi-line help and forms.
        table.update(MULTI_LINE)


def visible(value: str) -> str:
    """``value`` on one line, every control character as its symbol (``printable``)."""
    return printable(value)


def literal(value: object, style: str = "") -> Text:
    """A Text of ``value`` shown literally (never markup, never a control sequence)."""
    return Text(printable(value), style=style)
