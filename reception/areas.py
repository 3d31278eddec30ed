"""The areas of the app: one registry that the shell, the dashboard, F1, Ctrl+P and the
night check all read.

An area is a screen the receptionist reaches by name: an F-key (F2–F6), a key on the
dashboard (the digit of the F-key, or a letter for the manager's screens), its title,
whether only a manager may open it, the drafts it offers back (by the prefix of the
draft's key, ``area.form[.record]``), and the kinds of record the night check opens it at.

Plain data, no Textual: the screen is named as ``"module:Class"`` and imported by the
shell when first opened. F7 and F8 are kept for the stays and the logbook; an area is
listed here only once its screen exists.
"""

from dataclasses import dataclass

#: The area the app goes home to (not listed in ``AREAS``: it is where the others start).
HOME = "dashboard"


@dataclass(frozen=True)
class Area:
    name: str
    #: The F-key ("f2") or "" for the manager's screens, reached from the dashboard.
    fkey: str
    #: The key that opens it from the dashboard: the F-key's digit, or a letter.
    dashboard_key: str
    #: The screen, imported when first opened: ``"module:Class"``.
    screen: str
    #: Catalogue key of its title (the screen's heading, F1, Ctrl+P, the dashboard).
    title_key: str
    manager_only: bool = False
    #: Drafts whose key starts with one of these are offered back by this area's screen.
    draft_prefixes: tuple[str, ...] = ()
    #: The kinds of record (the night check's findings) this area's screen can show.
    record_types: tuple[str, ...] = ()

    @property
    def key_label(self) -> str:
        """Catalogue key of the short name the footer shows beside the F-key."""
        return f"key.area.{self.name}"

    @property
    def fkey_display(self) -> str:
        """``F2``, or "" for an area without an F-key."""
        return self.fkey.upper()

    @property
    def module_and_class(self) -> tuple[str, str]:
        module_name, class_name = self.screen.split(":")
        return module_name, class_name


AREAS: tuple[Area, ...] = (
    Area("triage", "f2", "2", "screens.triage:TriageScreen", "screen.triage",
         draft_prefixes=("triage.",),
         record_types=("visit", "customer", "case_number", "appointment")),
    Area("calls", "f3", "3", "screens.calls:CallScreen", "screen.calls",
         # "call": the single draft of the phone screen before drafts took the area's name.
         draft_prefixes=("calls.", "call"), record_types=("message", "call")),
    Area("keys", "f4", "4", "screens.keys:KeysScreen", "screen.keys",
         draft_prefixes=("keys.",), record_types=("key_event",)),
    Area("callbacks", "f5", "5", "screens.callbacks:CallbacksScreen", "screen.callbacks",
         draft_prefixes=("callbacks.", "callback_survey"), record_types=("callback",)),
    Area("reconcile", "f6", "6", "screens.reconcile:ReconcileScreen", "screen.reconcile",
         draft_prefixes=("reconcile.",), record_types=("paper_count",)),
    Area("stays", "f7", "7", "screens.stays:StaysScreen", "screen.stays",
         draft_prefixes=("stays.",),
         record_types=("stay_contract", "stay_payment", "stay_request", "stay_confirmation")),
    Area("logbook", "f8", "8", "screens.logbook:LogbookScreen", "screen.logbook",
         draft_prefixes=("logbook.",), record_types=("checklist", "visitor")),
    Area("staff", "", "s", "screens.staff:StaffScreen", "screen.staff", manager_only=True,
         draft_prefixes=("staff.",)),
    Area("rota", "", "r", "screens.staff:RotaScreen", "screen.rota", manager_only=True,
         draft_prefixes=("rota.",)),
    Area("key_setup", "", "k", "screens.keys:KeySetupScreen", "screen.key_setup",
         manager_only=True, draft_prefixes=("key_setup.", "keys.setup")),
    Area("settings", "", "g", "screens.settings:SettingsScreen", "screen.settings",
         manager_only=True, draft_prefixes=("settings",)),
)

BY_NAME: dict[str, Area] = {area.name: area for area in AREAS}


def area(name: str) -> Area:
    """The area called ``name`` (KeyError when there is none)."""
    return BY_NAME[name]


def with_fkeys() -> tuple[Area, ...]:
    return tuple(area for area in AREAS if area.fkey)


def area_of_record(record_type: str) -> str:
    """The area whose screen shows a record of this kind; the dashboard for any other."""
    return next((area.name for area in AREAS if record_type in area.record_types), HOME)


def area_of_draft(form: str) -> Area | None:
    """The area that offers back the draft kept under ``form`` (the longest prefix wins:
    ``keys.setup`` is key setup's, ``keys.lend.3`` the key log's)."""
    best: tuple[int, Area] | None = None
    for candidate in AREAS:
        for prefix in candidate.draft_prefixes:
            if form.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), candidate)
    return best[1] if best else None


def _check() -> None:
    """The registry's own consistency: one area per name, key and record type."""
    for field_name in ("name", "fkey", "dashboard_key"):
        values = [getattr(area, field_name) for area in AREAS if getattr(area, field_name)]
        if len(values) != len(set(values)):
            raise ValueError(f"two areas share a {field_name}")
    record_types = [kind for area in AREAS for kind in area.record_types]
    if len(record_types) != len(set(record_types)):
        raise ValueError("two areas claim one record type")


_check()
