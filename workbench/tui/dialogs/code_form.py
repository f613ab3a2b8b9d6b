"""The code form: add a code, rename it, edit its description and criteria, or confirm deleting it."""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from workbench.core.codebook import COLOR, Codebook, validate_code
from workbench.core.codebook.qdc import slug
from workbench.core.model import Code
from workbench.errors import CodebookError, WorkbenchError

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


class FormKind(enum.Enum):
    """What the form is for; it decides the fields shown and the button's label."""

    ADD = "add"
    RENAME = "rename"
    DESCRIBE = "describe"
    DELETE = "delete"


@dataclass(frozen=True)
class CodeForm:
    """What the form returns: the code's fields as the user left them (unchanged ones as they were)."""

    code_id: str
    name: str
    parent_id: str | None = None
    description: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = field(default=())
    keywords: tuple[str, ...] = field(default=())
    color: str | None = None

    @classmethod
    def of(cls, code: Code) -> CodeForm:
        """The form's values for an existing code."""
        return cls(
            code_id=code.id, name=code.name, parent_id=code.parent_id, description=code.description, include=code.include,
            exclude=code.exclude, examples=code.examples, keywords=code.keywords, color=code.color,
        )


def suggest_id(name: str, parent_id: str | None, taken: Collection[str]) -> str:
    """A free slug id for a new code: the parent's id, then the name's slug, as the shipped codebooks name codes."""
    base = slug(name)
    if parent_id is not None:
        base = f"{parent_id}-{base}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def split_lines(text: str) -> tuple[str, ...]:
    """One example per non-empty line."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def split_commas(text: str) -> tuple[str, ...]:
    """Comma-separated keywords, without empty ones."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


_BUTTON = {FormKind.ADD: "Add", FormKind.RENAME: "Rename", FormKind.DESCRIBE: "Save", FormKind.DELETE: "Delete"}


class CodeFormDialog(ModalScreen[CodeForm | None]):
    """Ask for a code's fields (or a confirmation to delete it); returns the form, or None when cancelled."""

    CSS_PATH = "code_form.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Save"),
    ]

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    def __init__(
        self,
        kind: FormKind,
        book: Codebook,
        *,
        code: Code | None = None,
        parent_id: str | None = None,
        usage: int = 0,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.book = book
        self.code = code
        self.parent_id = parent_id if code is None else code.parent_id
        self.usage = usage
        # The id follows the name until the user types an id of their own.
        self._id_is_suggested = True

    @property
    def subject(self) -> Code:
        """The code a rename, describe or delete form is about."""
        if self.code is None:
            raise TypeError(f"a {self.kind.name.lower()} form is about a code, and none was given")
        return self.code

    def _title(self) -> str:
        if self.kind is FormKind.ADD:
            if self.parent_id is None:
                return "Add a top-level code"
            return f"Add a code under {self.book.get(self.parent_id).name}"
        verb = {FormKind.RENAME: "Rename", FormKind.DESCRIBE: "Describe", FormKind.DELETE: "Delete"}[self.kind]
        return f"{verb} {self.subject.name}"

    def compose(self) -> ComposeResult:
        with Vertical(id="code-form") as dialog:
            dialog.border_title = self._title()
            with VerticalScroll(id="code-form-fields"):
                if self.kind is FormKind.ADD:
                    yield Label("Name")
                    yield Input(id="code-name", placeholder="as printed in the codebook")
                    yield Label("Id (a slug; codings point at it, so it never changes)")
                    yield Input(id="code-id", placeholder="lowercase letters, digits, '-', '_', '.'")
                    yield Label("Description (optional)")
                    yield Input(id="code-description")
                elif self.kind is FormKind.RENAME:
                    code = self.subject
                    yield Label(f"New name for {code.id} (its codings stay with it)")
                    yield Input(code.name, id="code-name")
                elif self.kind is FormKind.DESCRIBE:
                    code = self.subject
                    yield Label("Description")
                    yield TextArea(code.description, id="code-description", soft_wrap=True, classes="code-text")
                    yield Label("Include when")
                    yield TextArea(code.include, id="code-include", soft_wrap=True, classes="code-text")
                    yield Label("Exclude when")
                    yield TextArea(code.exclude, id="code-exclude", soft_wrap=True, classes="code-text")
                    yield Label("Examples (one per line)")
                    yield TextArea("\n".join(code.examples), id="code-examples", soft_wrap=True, classes="code-text")
                    yield Label("Keywords (comma-separated)")
                    yield Input(", ".join(code.keywords), id="code-keywords")
                    yield Label("Colour (#rrggbb; empty to use the parent's)")
                    with Horizontal(id="code-color-row"):
                        yield Input(code.color or "", id="code-color", placeholder=self._inherited_color())
                        yield Static("", id="code-color-swatch")
                else:
                    yield Static(self._delete_question(), id="code-delete-question")
            with Horizontal(id="code-form-buttons"):
                yield Button(_BUTTON[self.kind], variant="error" if self.kind is FormKind.DELETE else "primary", id="code-form-ok")
                yield Button("Cancel", id="code-form-cancel")

    def _inherited_color(self) -> str:
        if self.parent_id is None:
            return "#rrggbb"
        inherited = self.book.color_of(self.parent_id)
        return f"{inherited} from the parent" if inherited else "#rrggbb"

    def _delete_question(self) -> Text:
        code = self.subject
        text = Text()
        text.append(code.name, style="bold")
        text.append(f"\n{code.id}\n\n", style="dim")
        children = len(self.book.children(code.id))
        if children:
            text.append(f"It has {children} child codes: move or delete them first.\n")
        if self.usage:
            uses = "coding uses" if self.usage == 1 else "codings use"
            text.append(f"{self.usage} {uses} it: next, choose the code they move to.")
        elif not children:
            text.append("No codings use it. Delete it?")
        return text

    def on_mount(self) -> None:
        if self.kind in (FormKind.ADD, FormKind.RENAME):
            self.query_one("#code-name", Input).focus()
        elif self.kind is FormKind.DESCRIBE:
            self.query_one("#code-description", TextArea).focus()
            self._show_swatch(self.query_one("#code-color", Input).value)
        else:
            # Cancel is the safe default: Enter on a freshly opened delete dialog must not delete.
            self.query_one("#code-form-cancel", Button).focus()

    @on(Input.Changed, "#code-name")
    def _name_changed(self, event: Input.Changed) -> None:
        if self.kind is FormKind.ADD and self._id_is_suggested:
            suggestion = suggest_id(event.value, self.parent_id, self.book.by_id) if event.value.strip() else ""
            id_input = self.query_one("#code-id", Input)
            with id_input.prevent(Input.Changed):
                id_input.value = suggestion

    @on(Input.Changed, "#code-id")
    def _id_changed(self, event: Input.Changed) -> None:
        # Emptying the id hands it back to the suggestion.
        self._id_is_suggested = not event.value.strip()

    @on(Input.Changed, "#code-color")
    def _color_changed(self, event: Input.Changed) -> None:
        self._show_swatch(event.value)

    def _show_swatch(self, value: str) -> None:
        colour = value.strip()
        swatch = Text("■", style=colour) if COLOR.match(colour) else Text("")
        self.query_one("#code-color-swatch", Static).update(swatch)

    def _form(self) -> CodeForm:
        """The form's values, checked the way the core will check them, so a typo keeps the dialog open."""
        if self.kind is FormKind.ADD:
            values = CodeForm(
                code_id=self.query_one("#code-id", Input).value.strip(),
                name=self.query_one("#code-name", Input).value.strip(),
                parent_id=self.parent_id,
                description=self.query_one("#code-description", Input).value.strip(),
            )
            validate_code(Code(id=values.code_id, name=values.name, parent_id=values.parent_id), self.book)
            return values
        values = CodeForm.of(self.subject)
        if self.kind is FormKind.RENAME:
            name = self.query_one("#code-name", Input).value.strip()
            if not name:
                raise CodebookError(f"code {self.subject.id!r}: a name cannot be empty")
            return replace(values, name=name)
        if self.kind is FormKind.DESCRIBE:
            colour = self.query_one("#code-color", Input).value.strip() or None
            if colour is not None and not COLOR.match(colour):
                raise CodebookError(f"code {self.subject.id!r}: colour {colour!r} is not #rrggbb")
            return replace(
                values,
                description=self.query_one("#code-description", TextArea).text.strip(),
                include=self.query_one("#code-include", TextArea).text.strip(),
                exclude=self.query_one("#code-exclude", TextArea).text.strip(),
                examples=split_lines(self.query_one("#code-examples", TextArea).text),
                keywords=split_commas(self.query_one("#code-keywords", Input).value),
                color=colour,
            )
        return values

    @on(Input.Submitted)
    @on(Button.Pressed, "#code-form-ok")
    def action_submit(self) -> None:
        """Return the form, or say what is wrong and keep it open."""
        try:
            values = self._form()
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self.dismiss(values)

    @on(Button.Pressed, "#code-form-cancel")
    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
