"""The words of the phone call as the screen shows them: broken into lines so that CJK
punctuation never starts one, typed values cut short where the words repeat them, names
padded by display cells (a CJK character takes two)."""

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import Static

from screens.widgets.text import update_if_changed

#: A typed value longer than this is cut short where the script repeats it (the words to
#: say keep their own end in view); the value itself is kept whole.
SAY_VALUE_CELLS = 30
#: A consultant's name in the picker takes at most this many cells (then the status).
PICK_NAME_CELLS = 20

#: Punctuation that never starts a line (kept with the character before it) and that never
#: ends one (kept with the character after it).
_CLOSING = frozenset(",。?!、;:)」』》】〉…,.?!;:)]%")
_OPENING = frozenset("(「『《【〈([")


def _units(paragraph: str) -> list[str]:
    """Pieces a line may break between: a word with its spaces, or one wide character;
    closing punctuation sticks to what precedes it, opening punctuation to what follows."""
    units: list[str] = []
    current = ""
    for char in paragraph:
        if char.isspace() or (char in _CLOSING and current):
            current += char
            continue
        starts_new = current and (
            current[-1].isspace()
            or (current[-1] not in _OPENING
                and (cell_len(char) > 1 or cell_len(current[-1]) > 1)))
        if starts_new:
            units.append(current)
            current = char
        else:
            current += char
    if current:
        units.append(current)
    return units


def wrap_cells(text: str, width: int) -> str:
    """``text`` with line breaks so no line is wider than ``width`` cells, breaking between
    words or wide characters, never before a closing punctuation mark (no lone "?")."""
    if width <= 0:
        return text
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _units(paragraph):
            if line and cell_len((line + unit).rstrip()) > width:
                lines.append(line.rstrip())
                line = ""
            line += unit
            while cell_len(line.rstrip()) > width:  # one piece wider than a line: cut it
                cut = ""
                for char in line:
                    if cell_len(cut + char) > width:
                        break
                    cut += char
                lines.append(cut)
                line = line[len(cut):]
        lines.append(line.rstrip())
    return "\n".join(lines)


def break_lines(text: str, width: int) -> str:
    """Chinese (wide characters) is broken into lines here; text without any is left to
    Rich's own word wrap, which already breaks only between words."""
    if any(cell_len(char) > 1 for char in text):
        return wrap_cells(text, width)
    return text


def pad_cells(value: str, width: int) -> str:
    """``value`` in exactly ``width`` display cells: padded, or cut short with "…"."""
    value = " ".join(value.split())
    if cell_len(value) > width:
        cut = ""
        for char in value:
            if cell_len(cut + char) > width - 1:
                break
            cut += char
        value = cut + "…"
    return set_cell_size(value, width)


def cell(value: str | None, width: int) -> Text:
    """Typed text in a list cell: one line, cut short (the detail line below has it all)."""
    text = Text(" ".join((value or "").split()), no_wrap=True)
    text.truncate(width, overflow="ellipsis")
    return text


def shown_values(values: dict, clinic: str) -> dict:
    """The typed values as the script's words repeat them (long ones cut short)."""
    shown = {key: (value[:SAY_VALUE_CELLS - 1] + "…"
                   if isinstance(value, str) and len(value) > SAY_VALUE_CELLS else value)
             for key, value in values.items()}
    return {**shown, "clinic": clinic}


class Words(Static):
    """Words to say or to do: broken into lines for the width they get, again on a resize
    (before the first layout they are shown as they are)."""

    def __init__(self, words: str = "", *, style: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.words = words
        self.words_style = style

    def on_mount(self) -> None:
        self.draw_words()

    def say(self, words: str) -> None:
        self.words = words
        self.draw_words()

    def on_resize(self) -> None:
        self.draw_words()

    def draw_words(self) -> None:
        width = self.size.width
        update_if_changed(self, Text(break_lines(self.words, width) if width else self.words,
                                     style=self.words_style))
