"""The Textual application: opens one project and shows its screens."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen

from workbench.core.store import Store
from workbench.tui.screens.documents import DocumentsScreen


class WorkbenchApp(App[None]):
    """The workbench in the terminal."""

    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def get_default_screen(self) -> Screen[None]:
        # The documents screen is the base screen, so no blank default screen is composed first.
        return DocumentsScreen(self.store)
