"""The import dialog: choose files, a folder or a REFI-QDA project and a document kind, then import them with a progress bar."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from workbench.core.coders import default_coder
from workbench.core.corpus import document_summaries
from workbench.core.model import DocumentKind
from workbench.core.store import Store
from workbench.errors import WorkbenchError, database_reason, is_database_error
from workbench.exchange.qdpx_import import import_projects
from workbench.importers import ImportOutcome, import_files
from workbench.importers.plan import ImportPlan, plan_import

#: Spreadsheets need a column mapping this dialog does not ask for, so they are sent to the CLI.
SPREADSHEET_HINT = "use `workbench import … --id-column` for spreadsheets"


def split_paths(text: str) -> list[Path]:
    """The paths typed into the dialog, space-separated; quotes keep a path with spaces whole, `~` is expanded."""
    try:
        words = shlex.split(text)
    except ValueError:
        # An unbalanced quote is a typo, not a reason to refuse: fall back to plain spaces.
        words = text.split()
    return [Path(word).expanduser() for word in words]


def _label(path: Path) -> str:
    # The name alone keeps each reported line short enough to fit the dialog on one line.
    return path.name or str(path)


def _one_line(message: str, path: Path) -> str:
    """An importer's message with the file's name in place of its full path, so it fits on one line."""
    prefix = f"{path}: "
    return f"{path.name}: {message[len(prefix):]}" if message.startswith(prefix) else message


@dataclass(frozen=True)
class ImportReport:
    """What the dialog returns: the imported documents' names and the one-line summary to show."""

    names: list[str]
    summary: str


class ImportDialog(ModalScreen[ImportReport | None]):
    """Import source files into the project; returns what was imported, or None when cancelled."""

    CSS_PATH = "import_files.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    @dataclass
    class Progress(Message):
        """The worker started on a file (done < total) or finished them all (done == total)."""

        done: int
        total: int
        path: Path

    @dataclass
    class Finished(Message):
        """The worker is done: outcomes per file, the imported names, and what was reported instead."""

        outcomes: list[ImportOutcome]
        names: list[str]
        plan: ImportPlan
        errors: list[str]
        #: REFI-QDA projects: the summary of each one imported, and the reason of each one skipped.
        projects: list[str] = field(default_factory=list)
        projects_skipped: list[str] = field(default_factory=list)

    def __init__(self, store: Store, actor: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.actor = actor or default_coder()
        self.importing = False
        self.report: ImportReport | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog") as dialog:
            dialog.border_title = "Import documents"
            yield Label("Files or a folder (separate with spaces; a folder imports the files in it and below)")
            yield Input(placeholder="~/interviews  or  a.docx b.txt", id="import-paths")
            with Horizontal(id="import-options"):
                yield Select(
                    [(kind.value, kind) for kind in DocumentKind],
                    value=DocumentKind.TRANSCRIPT,
                    allow_blank=False,
                    id="import-kind",
                )
                yield Input(placeholder="case id (optional)", id="import-case")
            yield ProgressBar(show_eta=False, id="import-progress")
            yield Static("", id="import-current")
            yield Static("", id="import-summary")
            with VerticalScroll(id="import-errors"):
                yield Static("", id="import-error-lines")
            with Horizontal(id="import-buttons"):
                yield Button("Import", variant="primary", id="import-start")
                yield Button("Cancel", id="import-cancel")

    def on_mount(self) -> None:
        self.query_one("#import-paths", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#import-start")
    def _start(self) -> None:
        if self.importing or self.report is not None:
            return
        paths = split_paths(self.query_one("#import-paths", Input).value)
        if not paths:
            self.notify("Type the path of a file or a folder first.", severity="warning")
            return
        kind = self.query_one("#import-kind", Select).value
        case_id = self.query_one("#import-case", Input).value.strip() or None
        self.importing = True
        for widget_id in ("#import-start", "#import-cancel", "#import-paths", "#import-kind", "#import-case"):
            self.query_one(widget_id).disabled = True
        self.query_one("#import-progress", ProgressBar).display = True
        self.query_one("#import-current", Static).update("Looking for files…")
        # Without a blank option the Select always holds a kind; DocumentKind() also accepts its plain text value.
        self._import(paths, DocumentKind(str(kind)), case_id)

    @work(thread=True, exclusive=True)
    def _import(self, paths: list[Path], kind: DocumentKind, case_id: str | None) -> None:
        """Import in a thread so the bar moves; it only posts messages, the handlers change the screen."""
        outcomes: list[ImportOutcome] = []
        names: list[str] = []
        plan = ImportPlan()
        errors: list[str] = []
        projects: list[str] = []
        projects_skipped: list[str] = []
        try:
            plan = plan_import(paths)
            before = {s.id for s in document_summaries(self.store)}
            for project in import_projects(self.store, plan.projects, self.actor):
                if project.result is not None:
                    projects.append(project.result.summary(Path(_label(project.path))))
                elif project.skipped is not None:
                    projects_skipped.append(_one_line(project.skipped, project.path))
                elif project.error is not None:
                    errors.append(_one_line(project.error, project.path))
            outcomes = import_files(
                self.store, list(plan.documents), actor=self.actor, kind=kind, case_id=case_id,
                progress=self._report_progress,
            )
            names = [s.name for s in document_summaries(self.store) if s.id not in before]
        except WorkbenchError as exc:
            errors.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - a reader's bug on one odd file must not take the app down
            errors.append(f"import stopped: {database_reason(exc) if is_database_error(exc) else f'{type(exc).__name__}: {exc}'}")
        self.post_message(self.Finished(outcomes, names, plan, errors, projects, projects_skipped))

    def _report_progress(self, done: int, total: int, path: Path) -> None:
        """Called in the worker's thread, so it only posts; post_message is safe from another thread."""
        self.post_message(self.Progress(done, total, path))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=message.total, progress=message.done)
        if message.done < message.total:
            status = f"Importing {message.path.name} ({message.done + 1} of {message.total})"
        else:
            status = f"Done: {message.total} of {message.total} files"
        self.query_one("#import-current", Static).update(status)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.importing = False
        plan = message.plan
        failures = [
            *(f"{_label(problem.path)}: {problem.problem}" for problem in plan.errors),
            *(_one_line(o.error, o.path) for o in message.outcomes if o.error is not None),
            *message.errors,
        ]
        renamed = [
            f"{_label(o.path)}: imported as {o.renamed_to!r}, a different {o.name!r} being in the project"
            for o in message.outcomes if o.renamed_to is not None
        ]
        skips = [
            *(f"{_label(sheet)}: {SPREADSHEET_HINT}" for sheet in plan.questionnaires),
            *(_one_line(o.skipped, o.path) for o in message.outcomes if o.skipped is not None),
            *message.projects_skipped,
        ]
        imported = sum(o.document_id is not None for o in message.outcomes) + len(message.projects)
        summary = f"{imported} imported, {len(skips) + len(plan.unsupported)} skipped, {len(failures)} failed"
        self.report = ImportReport(message.names, summary)
        bar = self.query_one("#import-progress", ProgressBar)
        if bar.total is None:
            # Nothing reached the importer (only spreadsheets or typos): show an empty bar, not a pulsing one.
            bar.update(total=len(message.outcomes), progress=len(message.outcomes))
            self.query_one("#import-current", Static).update("No files imported")
        self.query_one("#import-summary", Static).update(Text(summary, style="bold"))
        # One line per file: a long message is cut short rather than wrapped into the next file's line.
        lines = Text(no_wrap=True, overflow="ellipsis")
        for line in message.projects:
            lines.append(f"{line}\n")
        for line in failures:
            lines.append(f"{line}\n", style="red")
        for line in renamed:
            lines.append(f"{line}\n", style="yellow")
        for line in skips:
            lines.append(f"skipped {line}\n", style="dim")
        if plan.skipped_note:
            lines.append(f"{plan.skipped_note}\n", style="dim")
        lines.rstrip()
        self.query_one("#import-error-lines", Static).update(lines)
        self.query_one("#import-start", Button).display = False
        close = self.query_one("#import-cancel", Button)
        close.label = "Close"
        close.disabled = False
        close.focus()  # so Enter closes the dialog

    @on(Button.Pressed, "#import-cancel")
    def action_cancel(self) -> None:
        """Close the dialog: with the report after an import, with None before one."""
        if self.importing:
            # The files already started are stored one action each; closing now would hide what happened.
            self.notify("Wait for the import to finish.", severity="warning")
            return
        self.dismiss(self.report)
