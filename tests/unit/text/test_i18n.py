"""Every UI text exists in both languages, with the same parameters."""

import re
import string
from pathlib import Path

import pytest

from reception import i18n

ROOT = Path(__file__).resolve().parents[3]
# t("area.key") with a literal key (keys built at run time are checked where built).
LITERAL_KEYS = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]*[a-z0-9_])["']""")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_parameters():
    for key, texts in i18n.catalogue().items():
        assert len(texts) == 2, key
        zh, en = texts
        assert zh.strip() and en.strip(), key
        assert fields(zh) == fields(en), key


def test_every_key_used_in_the_code_exists():
    known = i18n.catalogue()
    missing = []
    for folder in ("reception", "screens"):
        for source in (ROOT / folder).rglob("*.py"):
            for key in LITERAL_KEYS.findall(source.read_text(encoding="utf-8")):
                if key not in known:
                    missing.append(f"{source.relative_to(ROOT)}: {key}")
    assert missing == []


@pytest.mark.parametrize(("variables", "expected"), [
    ({"LC_ALL": "zh_CN.UTF-8"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"), ({}, "en"),
])
def test_default_language_follows_the_locale(monkeypatch, variables, expected):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert i18n.default_language() == expected


def test_switching_language():
    i18n.set_language("zh")
    assert i18n.t("screen.triage") == "来客分诊"
    i18n.set_language("en")
    assert i18n.t("screen.triage") == "Walk-in triage"
    assert i18n.t("no.such.key") == "no.such.key"


def test_a_parameter_may_be_called_key():
    # Findings about room keys pass ``key=`` (the night check crashed on it once).
    assert i18n.t("keys.status_alert", keys="档案室") == "Keys not back: 档案室"
    assert i18n.t("no.such.key", key="x") == "no.such.key"
