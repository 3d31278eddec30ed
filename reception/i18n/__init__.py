"""One translation layer for all UI text.

Each module in this package holds ``MESSAGES = {key: (zh, en)}`` for one area of the
product (core, triage, calls, …); they are merged on first use. ``t(key, **params)``
returns the text in the current language with ``str.format`` parameters filled in.
The result is plain text: show it with ``Text``/``Content``, never as markup.
"""

import importlib
import os
import pkgutil

LANGUAGES = ("zh", "en")
_language = "en"
_catalogue: dict[str, tuple[str, str]] | None = None


def catalogue() -> dict[str, tuple[str, str]]:
    global _catalogue
    if _catalogue is None:
        merged: dict[str, tuple[str, str]] = {}
        for module_info in pkgutil.iter_modules(__path__):
            module = importlib.import_module(f"{__name__}.{module_info.name}")
            for key, texts in getattr(module, "MESSAGES", {}).items():
                if key in merged:
                    raise ValueError(f"message key {key!r} defined twice ({module_info.name})")
                merged[key] = texts
        _catalogue = merged
    return _catalogue


def default_language() -> str:
    """From the locale: Chinese when LANG/LC_* says zh, English otherwise."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _language = language


def language() -> str:
    return _language


def t(key: str, /, **params: object) -> str:
    texts = catalogue().get(key)
    if texts is None:
        return key
    text = texts[LANGUAGES.index(_language)]
    return text.format(**params) if params else text


def every_language(key: str, /, **params: object) -> list[str]:
    """The text of ``key`` in each language (to recognise what was typed in any of them)."""
    texts = catalogue().get(key)
    if texts is None:
        return []
    return [text.format(**params) if params else text for text in texts]
