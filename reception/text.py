"""Text as typed and text as shown: the two rules every part of the app shares.

``narrow(text)``: what a Chinese input method types in full width — digits, Latin letters
and the signs of numbers and times (``１３８１２３４５６７８``, ``１４：３０``, ``＋８６``,
``２００．５０``) — read as the ASCII characters they stand for (their NFKC form). Chinese
text and Chinese punctuation (，。、) are kept as they are. Every domain parser of typed
numbers (phones, times, amounts, counts) and the customer search read input through it,
so what is stored is the narrow form.

``printable(text)``: customer text (or anything read from the store or a file) as plain
text that a terminal shows and never obeys:

- C0 control characters and DEL as their Unicode control pictures (ESC → ␛, NUL → ␀,
  BEL → ␇, DEL → ␡); C1 controls (U+0080–U+009F), which have no pictures, as �;
- the line and paragraph separators (U+2028/U+2029) as ↵;
- the bidirectional formatting characters — embeddings and overrides (U+202A–U+202E),
  isolates (U+2066–U+2069) and the marks (U+200E, U+200F, U+061C) — as ⇄, so a name
  cannot reverse the text after it ("\u202egnp.exe") and the reader sees something was
  there. They are shown rather than removed: one character for one, so columns and
  cursor positions computed on the stored text stay right.

With ``lines=True`` newlines and tabs keep their meaning (multi-line help and notes).
The screens wrap this in Rich ``Text`` (``screens.widgets.text``); the CLI prints it.
"""

import unicodedata

#: C0 controls → the control pictures (U+2400…), DEL → ␡, C1 controls → �.
_SHOWN: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_SHOWN[0x7F] = "\u2421"
_SHOWN.update({code: "\ufffd" for code in range(0x80, 0xA0)})
# Line and paragraph separators would start a new line inside a cell.
_SHOWN.update({0x2028: "\u21b5", 0x2029: "\u21b5"})
#: The bidirectional formatting characters and what shows in their place.
BIDI_CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
BIDI_SHOWN = "\u21c4"
_SHOWN.update({code: BIDI_SHOWN for code in BIDI_CONTROLS})

#: ``str.translate`` tables: one line (every control shown), and text that keeps its
#: newlines and tabs.
ONE_LINE = dict(_SHOWN)
MULTI_LINE = {code: shown for code, shown in _SHOWN.items() if code not in (0x09, 0x0A)}


def printable(value: object, *, lines: bool = False) -> str:
    """``value`` as text a terminal shows literally (see the module's description)."""
    text = "" if value is None else str(value)
    return text.translate(MULTI_LINE if lines else ONE_LINE)


# Full-width forms that stand for characters of numbers, times, phones and codes.
_NARROW_SIGNS = "＋－．：／＃＊（）"
_NARROW = {
    code: unicodedata.normalize("NFKC", chr(code))
    for code in (*range(ord("０"), ord("９") + 1), *range(ord("Ａ"), ord("Ｚ") + 1),
                 *range(ord("ａ"), ord("ｚ") + 1), *map(ord, _NARROW_SIGNS))
}
_NARROW[0x3000] = " "  # the ideographic space


def narrow(text: str) -> str:
    """Full-width digits, Latin letters and number signs as ASCII; the rest unchanged.

    ``narrow("１３８ １２３４ ５６７８")`` → ``"138 1234 5678"``; ``narrow("１４：３０")`` →
    ``"14:30"``; ``narrow("张小明")`` → ``"张小明"``.
    """
    return text.translate(_NARROW)
