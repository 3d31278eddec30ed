"""The user's keymap: other keys for the app's bindings, for terminals whose F-keys arrive
garbled (or hands that want them elsewhere).

The file is ``keymap.toml`` in the user config folder; each line gives a binding's id its
keys, one or several separated by commas::

    help = "f1,ctrl+underscore"
    "triage.first" = "1"          # ids with a dot are quoted (or written as a table)

The app applies it at start with Textual's ``App.set_keymap``; a mistake in it is said in
one line and that entry (or, if the file cannot be read, the whole file) is ignored.
``reception keymap`` prints the keys in force, screen by screen.
"""

import importlib
import inspect
import pkgutil
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from reception import areas
from reception.i18n import t

FILE_NAME = "keymap.toml"
#: A key as Textual names it: ``f2``, ``ctrl+o``, ``left_square_bracket``, or one character.
KEY_NAME = re.compile(r"[a-z0-9_]+(\+[a-z0-9_]+)*|\S")


def keymap_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("reception")) / FILE_NAME


@dataclass
class UserKeymap:
    path: Path
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    found: bool = False

    def problem_line(self) -> str:
        """The problems in one line (the first, and how many more): "" when none."""
        if not self.problems:
            return ""
        line = self.problems[0]
        if len(self.problems) > 1:
            line += " " + t("keymap.more_problems", n=len(self.problems) - 1)
        return line


def _flatten(table: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
    """``triage.first = "x"`` (a dotted key, so a table in TOML) gives ``triage.first``."""
    for name, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value


def load(app_class: type, path: Path | None = None) -> UserKeymap:
    """Read the keymap file for ``app_class``'s bindings (and its screens'); a missing
    file is no keymap and no problem."""
    path = keymap_path() if path is None else path
    keymap = UserKeymap(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return keymap
    except (OSError, UnicodeDecodeError) as error:
        keymap.problems.append(t("keymap.unreadable", path=path, reason=error))
        return keymap
    keymap.found = True
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        keymap.problems.append(t("keymap.bad_file", path=path, reason=error))
        return keymap
    all_groups = groups(app_class)
    known = binding_ids(all_groups)
    for binding_id, value in _flatten(table):
        keys = [key.strip() for key in value.split(",")] if isinstance(value, str) else []
        if binding_id not in known:
            keymap.problems.append(t("keymap.unknown_id", path=path, id=binding_id))
        elif not keys or not all(KEY_NAME.fullmatch(key) for key in keys):
            keymap.problems.append(t("keymap.bad_keys", path=path, id=binding_id,
                                     keys=repr(value)))
        else:
            keymap.keys[binding_id] = ",".join(keys)
    _drop_clashes(keymap, all_groups)
    return keymap


def _drop_clashes(keymap: UserKeymap, all_groups: list["Group"]) -> None:
    """A key given to a binding that another binding of the same screen (or an app-wide
    one) keeps: the entry is ignored, and said (Textual would silently drop the other)."""
    everywhere = all_groups[0].bindings if all_groups else ()
    for group in all_groups:
        scope = group.bindings if group.bindings is everywhere else (*everywhere,
                                                                     *group.bindings)
        holders: dict[str, set[str]] = {}
        for binding in scope:
            keys = keymap.keys.get(binding.id or "", binding.key)
            for key in keys.split(","):
                holders.setdefault(key.strip(), set()).add(binding.id or binding.action)
        for key, ids in sorted(holders.items()):
            moved = sorted(ids & keymap.keys.keys())
            if len(ids) > 1 and moved:
                keymap.problems.append(t("keymap.clash", path=keymap.path, key=key,
                                         ids=", ".join(sorted(ids))))
                for binding_id in moved:
                    keymap.keys.pop(binding_id, None)


# --- the app's bindings, screen by screen ----------------------------------------------


@dataclass(frozen=True)
class Group:
    title: str
    bindings: tuple[Binding, ...]


def _own_bindings(cls) -> list[Binding]:
    """The bindings a class declares and inherits from the app's own classes (its
    ``BINDINGS`` along the MRO; Textual's widgets' own moves are not listed)."""
    found: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("screens."):
            continue
        for binding in klass.__dict__.get("BINDINGS", ()):
            # A subclass's binding for a key replaces its base's (as Textual merges them).
            if not isinstance(binding, Binding):
                binding = Binding(*binding)
            found[binding.key] = binding
    return list(found.values())


def _screen_classes(app_class: type) -> Iterator[type]:
    """Every class of the ``screens`` package that declares bindings (screens and widgets),
    in module order; the app itself first."""
    import screens

    yield app_class
    for info in sorted(pkgutil.walk_packages(screens.__path__, "screens."),
                       key=lambda info: info.name):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__ \
                    and not issubclass(cls, App):
                yield cls


def _title(cls) -> str:
    if issubclass(cls, App):
        return t("keymap.everywhere")
    area = next((area for area in areas.AREAS if area.screen.endswith(f":{cls.__name__}")),
                None)
    title_key = area.title_key if area else getattr(cls, "TITLE_KEY", "")
    return f"{t(title_key)} ({cls.__name__})" if title_key else cls.__name__


def groups(app_class: type) -> list[Group]:
    found = []
    classes = list(_screen_classes(app_class))
    for cls in classes:
        if not cls.__dict__.get("TITLE_KEY") and any(
                other is not cls and issubclass(other, cls) for other in classes):
            continue  # a base (AreaScreen): its keys are listed with each screen
        own = list(cls.BINDINGS) if issubclass(cls, App) else _own_bindings(cls)
        shown = tuple(binding for binding in own if binding.id or binding.description)
        if shown:
            found.append(Group(_title(cls), shown))
    return found


def binding_ids(all_groups: list[Group]) -> set[str]:
    return {binding.id for group in all_groups for binding in group.bindings if binding.id}


def report(app_class: type, keymap: UserKeymap) -> list[str]:
    """``reception keymap``: the file, then each screen's keys in force (id, keys, label)."""
    from screens.help import key_label
    from screens.widgets.footer import label

    state = t("keymap.in_use") if keymap.found else t("keymap.not_found")
    lines = [t("keymap.file", path=keymap.path, state=state)]
    if keymap.problems:
        lines.append(keymap.problem_line())
    for group in groups(app_class):
        lines.append("")
        lines.append(group.title)
        for binding in group.bindings:
            keys = keymap.keys.get(binding.id or "", binding.key)
            shown = ", ".join(key_label(Binding(key, binding.action)) for key in keys.split(","))
            if binding.key_display and binding.id not in keymap.keys:
                shown = binding.key_display
            lines.append(f"  {binding.id or '-':<28} {shown:<14} {label(binding)}".rstrip())
    return lines
