"""How the call screen draws where the call is: the steps taken, the words to say and to
do, the branches or the consultants to pick by digit, and the call's end."""

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reception import calls
from reception.i18n import t
from screens.calls.words import PICK_NAME_CELLS, Words, pad_cells, shown_values
from screens.widgets.text import update_if_changed

#: The node kinds that open a form over the call.
FORM_KINDS = ("input", "message", "book")


class CallView:
    """Mixin of the call screen."""

    def show_node(self) -> None:
        node = self.walk.node
        self.confirm_key = ""
        values = shown_values(self.walk.values, self.clinic)
        update_if_changed(self.query_one("#crumbs", Static), Text(self.crumbs(), style="dim"))
        words, instruction = node.words(values), node.instruction(values)
        self.words = (t("calls.say") + words if words else "",
                      t("calls.do") + instruction if instruction else "")
        self.query_one("#say", Words).say(self.words[0])
        self.query_one("#do", Words).say(self.words[1])
        choices = self.query_one("#choices", OptionList)
        choices.display = node.kind in ("choice", "consultant") and not self.call_ended
        if node.kind == "choice":
            choices.set_options([Option(Text(f"{branch.key}  {branch.text()}"), id=branch.key)
                                 for branch in node.branches])
        elif node.kind == "consultant":
            self.show_consultants(choices)
        ended = self.query_one("#ended", Static)
        ended.display = self.call_ended
        if self.call_ended:
            outcome = self.walk.outcome()
            label = t(f"calls.outcome.{outcome}")
            ended.update(Text(t("calls.ended", outcome=outcome if label.startswith("calls.")
                                else label), style="bold"))
        self.refresh_bindings()
        if node.kind in FORM_KINDS and not self.call_ended:
            self.open_form_if_closed()
        else:
            self.call_after_refresh(self.focus_node)

    def crumbs(self) -> str:
        """The steps taken so far, as the receptionist chose them."""
        parts: list[str] = []
        path = self.walk.path
        for previous_id, node_id in zip(path, path[1:], strict=False):
            previous = self.walk.script.node(previous_id)
            if previous.kind == "choice":
                branch = next((b for b in previous.branches if b.to == node_id), None)
                part = branch.text() if branch else node_id
            elif previous.kind == "consultant":
                part = str(self.walk.values.get("consultant") or "")
            elif previous.kind == "input":
                part = str(self.walk.values.get(previous.field) or "…")
            else:
                part = t("calls.outcome.message" if previous.kind == "message"
                         else "calls.outcome.booked")
            parts.append(part if len(part) <= 20 else part[:19] + "…")
        return " › ".join(parts[-4:])

    def show_consultants(self, choices: OptionList) -> None:
        with self.db.read() as session:
            self.consultants = calls.consultants_today(session)[:10]
        options = []
        # Names padded by display cells (a CJK character takes two), so the status column
        # lines up whatever the names' widths; a very long name is cut short.
        width = min(max((cell_len(c.name) for c in self.consultants), default=0),
                    PICK_NAME_CELLS)
        for position, consultant in enumerate(self.consultants):
            key = str((position + 1) % 10)
            line = Text(f"{key}  ")
            line.append(pad_cells(consultant.name, width))
            if not consultant.on_duty:
                status, style = "calls.off_duty", "dim"
            elif consultant.busy:
                status, style = "calls.busy", "yellow"
            else:
                status, style = "calls.free", "green"
            line.append("  " + t(status), style=style)
            options.append(Option(line, id=key))
        if not options:
            # Nobody to pick: say so, rather than a blank list where every digit only beeps.
            options.append(Option(Text(t("calls.no_consultants"), style="italic"),
                                  disabled=True))
        choices.set_options(options)

    def focus_node(self) -> None:
        if self.call_ended:
            self.set_focus(None)
        elif self.walk.node.kind in ("choice", "consultant"):
            self.query_one("#choices", OptionList).focus()
        elif self.walk.node.kind in FORM_KINDS:
            self.open_form_if_closed()
