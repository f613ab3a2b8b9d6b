"""More like this: the uncoded passages most like the selected one, to open and code one after another."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from workbench.core.text import shorten
from workbench.suggest.model import SimilarUnit

EXCERPT = 110


def similar_label(unit: SimilarUnit) -> Text:
    """ "62%  document 120-180" over the passage and the words it shares with the selection."""
    label = Text()
    label.append(f"{round(unit.score * 100):>3}%  ", style="bold")
    label.append(f"{unit.document}", style="bold")
    label.append(f"  {unit.start}-{unit.end}\n", style="dim")
    label.append(f"      “{shorten(unit.text, EXCERPT)}”", style="italic")
    if unit.shared:
        label.append(f"\n      shared: {', '.join(unit.shared[:6])}", style="dim")
    return label


class SimilarUnitsDialog(ModalScreen[SimilarUnit | None]):
    """Pick one of the similar passages (enter) or close (escape)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, title: str, units: Sequence[SimilarUnit]) -> None:
        super().__init__()
        self.heading = title
        self.units = tuple(units)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="similar-dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield OptionList(*(Option(similar_label(unit), id=str(number)) for number, unit in enumerate(self.units)),
                             id="similar-units")
            yield Label("enter opens the passage to code it · escape closes", classes="dialog-hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.units[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
