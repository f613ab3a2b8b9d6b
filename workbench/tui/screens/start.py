"""The start screen: open a recent project or the demo, or create a new project."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from workbench.recent import recent_projects

DEMO = "demo"


class StartScreen(Screen[None]):
    """Choose the project to work on."""

    BINDINGS = [Binding("n", "new", "New project"), Binding("q", "app.quit", "Quit")]

    @dataclass
    class ProjectChosen(Message):
        """Open (create=False) or create (create=True) the project at `path`; None means the demo."""

        path: Path | None
        create: bool = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Label("Open a project", classes="start-title")
            yield OptionList(id="projects")
            yield Label("…or create a new one: type a folder and press enter (n)", classes="start-hint")
            yield Input(placeholder="folder for a new project, e.g. ~/onderzoek/studie", id="new-project")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "workbench"
        projects = self.query_one("#projects", OptionList)
        projects.add_option(Option(Text.assemble(("Huis van Herstel demo", "bold"), ("  constructed example data", "dim")), id=DEMO))
        for path in recent_projects():
            projects.add_option(Option(Text.assemble(path.name, (f"  {path}", "dim")), id=str(path)))
        projects.highlighted = 0
        projects.focus()

    @on(OptionList.OptionSelected, "#projects")
    def _open(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        self.post_message(self.ProjectChosen(None if chosen == DEMO else Path(str(chosen))))

    @on(Input.Submitted, "#new-project")
    def _create(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.post_message(self.ProjectChosen(Path(event.value.strip()).expanduser(), create=True))

    def action_new(self) -> None:
        self.query_one("#new-project", Input).focus()
