"""The Textual application: one project, one coder, and the screens that work on them."""

from __future__ import annotations

import threading
from pathlib import Path

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen

from workbench.core.coders import default_coder
from workbench.core.files import os_error_line
from workbench.core.store import Store, open_or_explain
from workbench.core.watch import POLL_SECONDS, ProjectWatch, watch
from workbench.errors import WorkbenchError, database_reason, is_database_error
from workbench.recent import remember_project
from workbench.tui.commands import ScreenActions
from workbench.tui.messages import CodebookChanged, OpenDocument, ProjectChanged
from workbench.tui.screens.project import ProjectScreen
from workbench.tui.screens.start import StartScreen

CODER_SETTING = "tui.coder"
_HERE = Path(__file__).resolve().parent


class WorkbenchApp(App[None]):
    """The workbench in the terminal."""

    # The screens that can be the base screen load their CSS here: a screen's own CSS_PATH is not read
    # when the app returns it from get_default_screen.
    # Absolute, so subclasses (tests) find them too: Textual reads relative paths beside the subclass.
    CSS_PATH = [_HERE / "workbench.tcss", _HERE / "screens" / "project.tcss", _HERE / "screens" / "start.tcss"]
    TITLE = "workbench"
    COMMANDS = App.COMMANDS | {ScreenActions}
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False)]

    def __init__(self, store: Store | None = None, coder: str | None = None) -> None:
        super().__init__()
        self.store = store
        # On a team server a coder codes as the role they connect as: the database lets them write nothing else.
        server_user = store.user if store is not None else None
        self.coder = coder or server_user or (self._remembered_coder(store) if store else None) or default_coder()
        self._ask_coder = store is not None and coder is None and server_user is None and self._remembered_coder(store) is None
        self._given_coder = coder
        self._watcher: ProjectWatch | None = None

    @staticmethod
    def _remembered_coder(store: Store) -> str | None:
        return store.settings().get(CODER_SETTING)

    def get_default_screen(self) -> Screen[None]:
        # The project screen is the base screen, so no blank default screen is composed first.
        if self.store is None:
            return StartScreen()
        return ProjectScreen(self.store, self.coder)

    def on_mount(self) -> None:
        if self.store is not None:
            self._follow(self.store)
            remember_project(self.store.project_dir)
            if self._given_coder is not None:
                self.store.put_settings({CODER_SETTING: self._given_coder})
            if self._ask_coder:
                self.action_change_coder()

    # -- errors ----------------------------------------------------------------------------------------

    def show_error(self, exc: WorkbenchError | OSError) -> None:
        """Show a problem the user can act on as one line naming the file or object, whatever screen is open."""
        if isinstance(exc, WorkbenchError):
            self.notify(str(exc), title=exc.title, severity="error")
            return
        self.notify(os_error_line(exc), title="File", severity="error")

    def _fatal_error(self) -> None:
        """Textual's crash report without local variables: those hold transcript text and respondent ids.

        Textual (pinned in pyproject) prints every frame's locals when the app crashes, so a crash would put personal
        data on the terminal and in any captured log; a database error's own message carries SQL parameters, so it
        is shown as the driver's message only.
        """
        from rich.segment import Segments
        from rich.text import Text
        from rich.traceback import Traceback

        self.bell()
        error = self._exception
        if error is not None and is_database_error(error):
            report: Text | Traceback = Text(f"workbench: database error ({database_reason(error)})")
        else:
            report = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()

    # -- coder and project -----------------------------------------------------------------------------

    def action_change_coder(self) -> None:
        """Ask who is coding and remember it for this project."""
        from workbench.core.codings import coder_names
        from workbench.tui.dialogs.coder import CoderDialog

        if self.store is None:
            return
        store = self.store

        def chosen(name: str | None) -> None:
            if not name:
                return
            self.coder = name
            store.put_settings({CODER_SETTING: name})
            for screen in self.screen_stack:
                if isinstance(screen, ProjectScreen):
                    screen.show_coder(name)
                elif hasattr(screen, "coder"):
                    screen.coder = name
            self.notify(f"coding as {name}")

        self.push_screen(CoderDialog(coder_names(store), suggestion=self.coder), chosen)

    def action_projects(self) -> None:
        """Go to the start screen to open another project."""
        self.push_screen(StartScreen())

    @on(StartScreen.ProjectChosen)
    def _project_chosen(self, message: StartScreen.ProjectChosen) -> None:
        from workbench.demos.user_copy import ensure_user_demo

        try:
            if message.path is None:
                store = open_or_explain(ensure_user_demo())
            elif message.create:
                store = Store.create(message.path, message.path.resolve().name, actor=self.coder)
            else:
                store = open_or_explain(message.path)
        except WorkbenchError as exc:
            self.show_error(exc)
            return
        if self.store is not None:
            self.store.close()
        self.store = store
        self._follow(store)
        remembered = self._remembered_coder(store)
        self.coder = remembered or self.coder
        remember_project(store.project_dir)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_screen(ProjectScreen(store, self.coder))
        if remembered is None:
            self.action_change_coder()

    # -- navigation ------------------------------------------------------------------------------------

    @on(OpenDocument)
    def _open_document(self, message: OpenDocument) -> None:
        from workbench.tui.screens.coding import CodingScreen

        if self.store is None:
            return
        while len(self.screen_stack) > 1:  # back to the project screen, then into the document
            self.pop_screen()
        try:
            screen = CodingScreen(
                self.store, self.coder, message.name, selection=(message.start, message.end), siblings=message.siblings
            )
        except WorkbenchError as exc:
            self.show_error(exc)
            return
        self.push_screen(screen)

    def action_codebook(self) -> None:
        """Open the codebook screen."""
        from workbench.tui.screens.codebook import CodebookScreen

        if self.store is not None:
            self.push_screen(CodebookScreen(self.store, self.coder))

    def action_tables(self) -> None:
        """Open the tables screen."""
        from workbench.tui.screens.tables import TablesScreen

        if self.store is not None:
            self.push_screen(TablesScreen(self.store, self.coder))

    def action_agreement(self) -> None:
        """Open the agreement screen: compare coders, settle their disagreements."""
        from workbench.tui.screens.agreement import AgreementScreen

        if self.store is not None:
            self.push_screen(AgreementScreen(self.store, self.coder))

    def action_search(self) -> None:
        """Open the search screen."""
        from workbench.tui.screens.search import SearchScreen

        if self.store is not None:
            self.push_screen(SearchScreen(self.store, self.coder))

    # -- others' work ---------------------------------------------------------------------------------

    #: How often a SQLite project is checked for others' changes (a server announces them at once).
    watch_interval = POLL_SECONDS

    def _follow(self, store: Store) -> None:
        """Until the app ends or opens another project: tell the screens when another session changed this one.

        A thread of its own rather than a Textual worker: it never completes, and `workers.wait_for_complete()` (which
        screens and tests use to wait for real work) must not wait for it.
        """
        self._stop_following()
        try:
            watcher = watch(store, interval=self.watch_interval)
        except WorkbenchError as exc:
            self.show_error(exc)
            return
        self._watcher = watcher
        threading.Thread(target=self._pass_on_changes, args=(watcher,), name="workbench-watch", daemon=True).start()

    def _pass_on_changes(self, watcher: ProjectWatch) -> None:
        try:
            while not watcher.closed:
                try:
                    change = watcher.wait(0.5)
                except WorkbenchError as exc:
                    self.call_from_thread(self.show_error, exc)
                    continue
                # This session's own actions are on screen already; a teammate coding under the same name on another
                # machine shows when the screen next reloads.
                if change is not None and not watcher.closed and not change.actors <= {self.coder}:
                    self.post_message(ProjectChanged(change.actors))
        finally:
            watcher.close()

    def _stop_following(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None

    def on_unmount(self) -> None:
        self._stop_following()

    @on(ProjectChanged)
    def _project_changed(self, _message: ProjectChanged) -> None:
        self._tell_screens("show_others_work")

    @on(CodebookChanged)
    def _codebook_changed(self, _message: CodebookChanged) -> None:
        self._tell_screens("refresh_codebook")

    def _tell_screens(self, method: str) -> None:
        """Call `method` on every open screen that has it: each knows what it shows."""
        for screen in self.screen_stack:
            refresh = getattr(screen, method, None)
            if refresh is None:
                continue
            try:
                refresh()
            except NoMatches:
                # The screen is being taken down (quitting removes its widgets before it leaves the stack): a change
                # announced meanwhile has nothing left to show on it.
                continue
