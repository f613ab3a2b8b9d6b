"""The codebook screen: the code tree with usage counts beside one code's details, and every codebook edit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree
from textual.widgets.tree import TreeNode

from workbench.core.codebook import Codebook, add_code, codebook
from workbench.core.codebook.edit import code_usage, delete_code, describe_code, merge_codes, move_code, rename_code, reorder_code
from workbench.core.codebook.sync import edit_codebook
from workbench.core.model import Code
from workbench.core.store import Store
from workbench.core.text import shorten
from workbench.errors import WorkbenchError
from workbench.suggest.feedback import acceptance_rates
from workbench.suggest.model import Acceptance
from workbench.tui.dialogs.choose_code import ChooseCodeDialog, CodeChoice
from workbench.tui.dialogs.code_form import CodeForm, CodeFormDialog, FormKind
from workbench.tui.messages import CodebookChanged

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

#: Long code names (some are whole sentences) are cut in the tree so the counts stay in view; the panel shows them whole.
TREE_NAME_CHARS = 56

_REORDER = Binding.Group("Reorder", compact=True)

#: How a changed field is named in the success message (the core spells it the American way).
_FIELD_NAMES = {"color": "colour"}


def usage_totals(book: Codebook, usage: Counter[str]) -> dict[str, int]:
    """Each code's own codings plus those of everything below it."""
    totals = {code.id: usage[code.id] for code in book.codes}
    # Children come after their parents in walk order, so walking backwards adds each subtree before its parent.
    for _, code in reversed(list(book.walk())):
        if code.parent_id is not None:
            totals[code.parent_id] += totals[code.id]
    return totals


def codings(count: int) -> str:
    """ "1 coding", "3 codings": counts appear in sentences the user reads."""
    return f"{count} coding" if count == 1 else f"{count} codings"


def node_label(book: Codebook, code: Code, own: int, total: int) -> Text:
    """ "■ name  [own]", or "■ name  [own / total]" for a code with children; the swatch in the code's colour."""
    label = Text(no_wrap=True)
    label.append("■ ", style=book.color_of(code.id) or "dim")
    label.append(shorten(code.name, TREE_NAME_CHARS))
    counts = f"  [{own} / {total}]" if book.children(code.id) else f"  [{own}]"
    label.append(counts, style="dim")
    return label


def _section(heading: str, body: str) -> Text:
    text = Text(f"\n{heading}\n", style="bold")
    text.append(body if body else "—", style="not bold" if body else "not bold dim")
    return text


def acceptance_text(acceptance: Acceptance | None) -> str:
    """ "3 of 4 accepted (75%)", or a note that the code was never suggested and decided on."""
    if acceptance is None or acceptance.rate is None:
        return "none accepted or rejected yet"
    decided = acceptance.accepted + acceptance.rejected
    return f"{acceptance.accepted} of {decided} accepted ({acceptance.rate:.0%})"


def code_details(book: Codebook, code: Code, own: int, total: int, acceptance: Acceptance | None = None) -> Group:
    """Everything about one code, for the panel beside the tree."""
    # A two-column grid folds a long id or path inside its column instead of pushing it below its label.
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(overflow="fold")
    facts.add_row("id", code.id)
    facts.add_row("path", " › ".join(book.path(code.id)))
    colour = book.color_of(code.id)
    swatch = Text("none", style="dim")
    if colour is not None:
        swatch = Text.assemble(("■ ", colour), colour)
        if code.color is None:
            owner = next(c for c in reversed(book.ancestors(code.id)) if c.color)
            swatch.append(f" (from {owner.name})", style="dim")
    facts.add_row("colour", swatch)
    usage = codings(own) + (f", {total} with the codes below it" if book.children(code.id) else "")
    facts.add_row("usage", usage)
    return Group(
        Text(code.name, style="bold"),
        Text(),
        facts,
        _section("Description", code.description),
        _section("Include when", code.include),
        _section("Exclude when", code.exclude),
        _section("Examples", "\n".join(f"• {example}" for example in code.examples)),
        _section("Keywords", ", ".join(code.keywords)),
        _section("Suggestions", acceptance_text(acceptance)),
    )


class CodebookScreen(Screen[None]):
    """Browse and edit the codebook; every edit keeps the linked YAML file in step."""

    CSS_PATH = "codebook.tcss"
    BINDINGS = [
        Binding("a", "add_child", "Add child", tooltip="Add a code under the selected code"),
        Binding("A,shift+a", "add_sibling", "Add sibling", tooltip="Add a code beside the selected code"),
        Binding("r", "rename", "Rename", tooltip="Rename the selected code (its codings stay)"),
        Binding("e", "describe", "Edit", tooltip="Edit description, include/exclude, examples, keywords and colour"),
        Binding("m", "move", "Move", tooltip="Move the selected code under another code or to the top level"),
        Binding("M,shift+m", "merge", "Merge into", tooltip="Merge the selected code into another; its codings follow"),
        Binding("delete,x", "delete", "Delete", key_display="del", tooltip="Delete the selected code"),
        Binding("ctrl+up", "reorder(-1)", "Move code up", group=_REORDER, tooltip="Move the code up among its siblings"),
        Binding("ctrl+down", "reorder(1)", "Move code down", group=_REORDER, tooltip="Move the code down among its siblings"),
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
        Binding("q", "app.quit", "Quit", tooltip="Quit the workbench"),
    ]

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    def __init__(self, store: Store, coder: str) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self.book = Codebook()
        self.usage: Counter[str] = Counter()
        self.totals: dict[str, int] = {}
        self.acceptance: dict[str, Acceptance] = {}
        # Remembered across rebuilds, so an edit does not unfold what the user folded.
        self._collapsed: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="codebook-body"):
            yield Tree[str]("Codebook", id="codebook-tree")
            with VerticalScroll(id="code-detail-scroll"):
                yield Static("", id="code-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Codebook · {self.store.project_dir}"
        tree = self.query_one("#codebook-tree", Tree)
        tree.show_root = False
        tree.guide_depth = 3
        tree.border_title = "Codebook"
        self.query_one("#code-detail-scroll").border_title = "Code"
        tree.focus()

    def on_screen_resume(self) -> None:
        # Fills the tree when the screen is first shown, and again after a dialog or another screen closes,
        # since another screen or the command line may have changed the codebook meanwhile.
        self.refresh_codebook()

    # -- showing ---------------------------------------------------------------------------------------

    @property
    def selected_id(self) -> str | None:
        """The id of the code under the tree's cursor."""
        node = self.query_one("#codebook-tree", Tree).cursor_node
        return None if node is None else node.data

    def selected_code(self) -> Code | None:
        """The code under the cursor, if it still exists."""
        code_id = self.selected_id
        return None if code_id is None else self.book.by_id.get(code_id)

    def show_others_work(self) -> None:
        """A teammate changed the project (coded, or edited the codebook): the tree and its counts are read again."""
        self.refresh_codebook()

    def refresh_codebook(self, select: str | None = None) -> None:
        """Rebuild the tree from the store, with the cursor on `select` (default: the code selected now)."""
        tree: Tree[str] = self.query_one("#codebook-tree", Tree)
        if select is None:
            select = self.selected_id
        try:
            book, usage = codebook(self.store), code_usage(self.store)
            self.acceptance = acceptance_rates(self.store)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self.book, self.usage, self.totals = book, usage, usage_totals(book, usage)
        # Park the cursor first: the old cursor node belongs to the tree being thrown away.
        tree.move_cursor(None)
        tree.clear()
        nodes: dict[str, TreeNode[str]] = {}
        for _, code in book.walk():
            parent = tree.root if code.parent_id is None else nodes[code.parent_id]
            nodes[code.id] = parent.add(
                node_label(book, code, usage[code.id], self.totals[code.id]),
                data=code.id,
                expand=code.id not in self._collapsed,
                allow_expand=bool(book.children(code.id)),
            )
        target = nodes.get(select) if select is not None else None
        if target is None and tree.root.children:
            target = tree.root.children[0]
        if target is not None:
            for ancestor in book.ancestors(target.data or ""):
                nodes[ancestor.id].expand()
                self._collapsed.discard(ancestor.id)
            tree.last_line  # noqa: B018 - reading it lays out the new lines, which move_cursor needs
            tree.move_cursor(target)
        self._show_details(None if target is None else target.data)

    def _show_details(self, code_id: str | None) -> None:
        detail = self.query_one("#code-detail", Static)
        if code_id is None or code_id not in self.book.by_id:
            detail.update(Text("The codebook is empty: press a to add a code.", style="dim"))
            return
        detail.update(
            code_details(self.book, self.book.get(code_id), self.usage[code_id], self.totals[code_id], self.acceptance.get(code_id))
        )

    @on(Tree.NodeHighlighted, "#codebook-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        self._show_details(event.node.data)

    @on(Tree.NodeCollapsed, "#codebook-tree")
    def _collapsed_node(self, event: Tree.NodeCollapsed[str]) -> None:
        if event.node.data is not None:
            self._collapsed.add(event.node.data)

    @on(Tree.NodeExpanded, "#codebook-tree")
    def _expanded_node(self, event: Tree.NodeExpanded[str]) -> None:
        if event.node.data is not None:
            self._collapsed.discard(event.node.data)

    # -- editing ---------------------------------------------------------------------------------------

    def _edit(self, run: Callable[[], str], select: str | None) -> None:
        """Run one core edit with the linked YAML kept in step; show what changed, or the error (then nothing did)."""
        try:
            message = edit_codebook(self.store, run).result
        except WorkbenchError as exc:
            self.app.show_error(exc)
            self.refresh_codebook()
            return
        self.refresh_codebook(select)
        self.app.post_message(CodebookChanged())
        self.notify(message, title="Codebook")

    def _require_code(self) -> Code | None:
        code = self.selected_code()
        if code is None:
            self.notify("Select a code first (the codebook is empty: press a to add one).", severity="warning")
        return code

    def _below(self, code: Code) -> set[str]:
        """The code and everything under it: never a target for moving or merging it."""
        return {code.id, *(c.id for _, c in self.book.walk(code.id))}

    def action_add_child(self) -> None:
        """Add a code under the selected one (at the top level when the codebook is empty)."""
        self._ask_new_code(self.selected_id)

    def action_add_sibling(self) -> None:
        """Add a code beside the selected one."""
        code = self.selected_code()
        self._ask_new_code(None if code is None else code.parent_id)

    def _ask_new_code(self, parent_id: str | None) -> None:
        def added(form: CodeForm | None) -> None:
            if form is None:
                return
            code = Code(id=form.code_id, name=form.name, parent_id=form.parent_id, description=form.description)

            def run() -> str:
                placed = add_code(self.store, code, self.coder)
                return f"Added {placed.name}" + (f" under {self.book.get(parent_id).name}" if parent_id else " at the top level")

            self._edit(run, select=code.id)

        self.app.push_screen(CodeFormDialog(FormKind.ADD, self.book, parent_id=parent_id), added)

    def action_rename(self) -> None:
        """Rename the selected code; its id and codings stay."""
        code = self._require_code()
        if code is None:
            return

        def renamed(form: CodeForm | None) -> None:
            if form is None or form.name == code.name:
                return
            self._edit(lambda: f"Renamed {code.name} to {rename_code(self.store, code.id, form.name, self.coder).name}", select=code.id)

        self.app.push_screen(CodeFormDialog(FormKind.RENAME, self.book, code=code), renamed)

    def action_describe(self) -> None:
        """Edit the selected code's description, criteria, examples, keywords and colour."""
        code = self._require_code()
        if code is None:
            return

        def described(form: CodeForm | None) -> None:
            if form is None:
                return
            # Only what changed is passed, so the action log says exactly what was edited.
            changed: dict[str, Any] = {
                key: getattr(form, key)
                for key in ("description", "include", "exclude", "examples", "keywords", "color")
                if getattr(form, key) != getattr(code, key)
            }
            if not changed:
                self.notify("Nothing changed.", title="Codebook")
                return
            self._edit(
                lambda: f"Changed {', '.join(_FIELD_NAMES.get(k, k) for k in changed)} of "
                f"{describe_code(self.store, code.id, self.coder, **changed).name}",
                select=code.id,
            )

        self.app.push_screen(CodeFormDialog(FormKind.DESCRIBE, self.book, code=code), described)

    def action_move(self) -> None:
        """Move the selected code (with everything under it) under another code or to the top level."""
        code = self._require_code()
        if code is None:
            return

        def moved(choice: CodeChoice | None) -> None:
            if choice is None:
                return

            def run() -> str:
                moved = move_code(self.store, code.id, choice.code_id, self.coder)
                return f"Moved {moved.name} to " + ("the top level" if choice.code_id is None else self.book.get(choice.code_id).name)

            self._edit(run, select=code.id)

        dialog = ChooseCodeDialog(self.book, f"Move {code.name} under…", exclude=self._below(code), allow_top_level=True)
        self.app.push_screen(dialog, moved)

    def action_merge(self) -> None:
        """Merge the selected code into another: its codings and child codes move there, then it is removed."""
        code = self._require_code()
        if code is None:
            return

        def merged(choice: CodeChoice | None) -> None:
            if choice is None or choice.code_id is None:
                return
            target_id = choice.code_id

            def run() -> str:
                moved, dropped = merge_codes(self.store, code.id, target_id, self.coder)
                target = self.book.get(target_id)
                return f"Merged {code.name} into {target.name}: {codings(moved)} moved, {dropped} duplicates dropped"

            self._edit(run, select=target_id)

        hint = f"Its {codings(self.usage[code.id])} and its child codes move to the code you choose; {code.id} is then removed."
        self.app.push_screen(ChooseCodeDialog(self.book, f"Merge {code.name} into…", exclude=self._below(code), hint=hint), merged)

    def action_delete(self) -> None:
        """Delete the selected code after a confirmation; a used code's codings must go to another code."""
        code = self._require_code()
        if code is None:
            return
        used = self.usage[code.id]
        # After the delete the cursor goes to a neighbour, as in a file manager.
        siblings = [c.id for c in self.book.children(code.parent_id)]
        index = siblings.index(code.id)
        neighbours = siblings[index + 1 :] + siblings[:index][::-1]
        after = neighbours[0] if neighbours else code.parent_id

        def delete(reassign_to: str | None) -> None:
            def run() -> str:
                reassigned = delete_code(self.store, code.id, self.coder, reassign_to)
                if reassign_to is None:
                    return f"Deleted {code.name}"
                return f"Deleted {code.name}; {codings(reassigned)} now on {self.book.get(reassign_to).name}"

            self._edit(run, select=after if reassign_to is None else reassign_to)

        def reassigned(choice: CodeChoice | None) -> None:
            # Declining to say where the codings go still asks the core, which refuses and says why.
            delete(None if choice is None else choice.code_id)

        def confirmed(form: CodeForm | None) -> None:
            if form is None:
                return
            if not used:
                delete(None)
                return
            hint = f"{codings(used)} of {code.id} move to the code you choose."
            dialog = ChooseCodeDialog(self.book, f"Delete {code.name}: its codings go to…", exclude=self._below(code), hint=hint)
            self.app.push_screen(dialog, reassigned)

        self.app.push_screen(CodeFormDialog(FormKind.DELETE, self.book, code=code, usage=used), confirmed)

    def action_reorder(self, step: int) -> None:
        """Move the selected code up (-1) or down (+1) among its siblings."""
        code = self._require_code()
        if code is None:
            return
        siblings = [c.id for c in self.book.children(code.parent_id)]
        position = siblings.index(code.id) + step
        if not 0 <= position < len(siblings):
            self.app.bell()  # already first or last
            return
        direction = "up" if step < 0 else "down"
        self._edit(lambda: f"Moved {reorder_code(self.store, code.id, position, self.coder).name} {direction}", select=code.id)

    def action_back(self) -> None:
        """Back to the screen this one was opened from."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
