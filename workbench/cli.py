"""The command line: parse arguments, call the core, print one line per outcome.

Heavy modules (SQLAlchemy, Textual, later spaCy and pandas) are imported inside the commands so that
`workbench --help` stays instant.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from workbench.core.coders import default_coder
from workbench.core.model import DocumentKind

if TYPE_CHECKING:
    from workbench.core.codebook.sync import Edited
    from workbench.core.store import Store
    from workbench.importers import ImportedDocument

COMMANDS = (
    "new", "import", "export", "cases", "tables", "quotes", "code", "uncode", "codings", "show", "codebook", "status", "log", "undo",
    "redo", "open", "merge", "agreement", "suggest", "suggest-eval", "turns", "edit", "orphans", "check", "backup", "restore",
    "forget", "purge-history", "members", "connect", "copy",
)
#: The actions of `workbench codebook DIR ACTION`.
CODEBOOK_ACTIONS = ("add", "list", "rename", "describe", "move", "reorder", "merge", "delete", "sync", "export")
#: Exit status after standard output was closed early (`workbench log DIR | head -1`): 128 + SIGPIPE, as other tools.
CLOSED_PIPE = 141


def _kind(value: str) -> DocumentKind:
    """--kind's type: a document kind as DocumentKind.parse reads it, else argparse's usage error."""
    try:
        return DocumentKind.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _open(directory: Path, *, backup: bool = True) -> Store:
    from workbench.core.store import open_or_explain

    return open_or_explain(directory, backup=backup)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


# -- commands ------------------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from workbench.core.store import Store

    name = args.name or args.dir.resolve().name
    with Store.create(args.dir, name, args.description, actor=args.actor, database=args.database) as store:
        _out(f"created project {args.dir} (its data in {store.label})")
    return 0


def cmd_connect(args: argparse.Namespace) -> int:
    from workbench.core.connect import connect_project

    with connect_project(args.dir, args.url) as store:
        _out(f"connected {args.dir} to project {store.project().name!r} in {store.label} as {store.user} "
             f"({store.member_role() or 'not a member'})")
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    from workbench.core.project_copy import copy_project

    report = copy_project(args.source, args.dest, database=args.database)
    _out(
        f"copied {args.source} to {args.dest} ({report.label}): {report.tables} tables, {report.total_rows:,} rows, "
        f"{report.codings:,} coding{'' if report.codings == 1 else 's'}, {report.files} folder file{'' if report.files == 1 else 's'}; "
        "codings dumps identical"
    )
    return 0


def _pairs(values: Sequence[str], option: str) -> dict[str, str]:
    from workbench.errors import WorkbenchError

    pairs = {}
    for value in values:
        column, sep, key = value.rpartition("=")
        if not sep or not column or not key:
            raise WorkbenchError(f"{option} {value!r}: write COLUMN=KEY, e.g. Functie=function")
        pairs[column] = key
    return pairs


def _import_questionnaire(store: Store, path: Path, args: argparse.Namespace) -> str:
    from workbench.core.batch import add_documents
    from workbench.errors import WorkbenchError
    from workbench.importers._tabular import ColumnMapping, read_questionnaire

    if args.kind not in (None, DocumentKind.QUESTIONNAIRE_ANSWER):
        raise WorkbenchError(f"{path}: to import a spreadsheet as a {args.kind.value}, give --text-column (and --speaker-column)")
    mapping = ColumnMapping(
        id_column=args.id_column,
        attribute_columns=_pairs(args.attribute, "--attribute"),
        question_columns=tuple(args.question),
        question_ids=_pairs(args.question_id, "--question-id") or None,
    )
    read = read_questionnaire(path, mapping, wave=args.wave, sheet=args.sheet, skip_rows=args.skip_rows)
    answers = read.documents
    if args.pseudonymise:
        import dataclasses

        from workbench.importers.pseudonymise import pseudonymise_text

        replace = pseudonymise_text(_key_file(args))
        answers = tuple(dataclasses.replace(answer, text=replace(answer.text, answer.name)) for answer in answers)
    add_documents(store, answers, actor=args.actor, summary=f"imported questionnaire {path.name} ({len(answers)} answers)")
    notes = []
    rows = f"{read.header_rows} row{'' if read.header_rows == 1 else 's'} below the header"
    if read.tool is not None:
        notes.append(f"{read.tool} export: {rows} skipped as header rows, question texts kept")
    elif read.header_rows:
        notes.append(f"{rows} skipped")
    if read.ids_from_rows:
        notes.append(f"no --id-column: respondents are named by row number ('{path.stem} row N')")
    return f"imported {path}: {len(answers)} answers of {read.respondent_count} respondents" + "".join(f"; {n}" for n in notes)


def _transcript_table_reader(args: argparse.Namespace) -> Callable[[Path, DocumentKind | None], ImportedDocument] | None:
    """How to read spreadsheets as transcripts (one row per turn) when --text-column asks for it; None: as questionnaires."""
    from workbench.errors import WorkbenchError
    from workbench.importers._transcript_table import TranscriptColumns, transcript_table_document

    if args.text_column is None:
        if args.speaker_column or args.time_column:
            raise WorkbenchError("--speaker-column and --time-column read a transcript table: give its --text-column too")
        return None
    columns = TranscriptColumns(text=args.text_column, speaker=args.speaker_column, time=args.time_column)
    return lambda path, kind: transcript_table_document(path, columns, kind=kind, sheet=args.sheet, skip_rows=args.skip_rows)


def cmd_import(args: argparse.Namespace) -> int:
    from workbench.errors import AlreadyImportedError, WorkbenchError
    from workbench.importers import import_files, unexpected_error_line
    from workbench.importers.plan import plan_import

    imported = failures = skipped = 0
    with _open(args.dir) as store:
        plan = plan_import(args.files)
        transform = None
        if args.pseudonymise:
            if plan.projects:
                raise WorkbenchError(
                    f"{plan.projects[0]}: --pseudonymise cannot change a REFI-QDA project (its codings point into the original text)"
                )
            from workbench.importers.pseudonymise import pseudonymiser

            transform = pseudonymiser(_key_file(args)) if plan.documents or read_table_wanted(args) else None
        for problem in plan.errors:
            failures += 1
            print(f"workbench: {problem}", file=sys.stderr)
        if plan.skipped_note:
            skipped += len(plan.unsupported)
            _out(plan.skipped_note)
        read_table = _transcript_table_reader(args)
        for path in plan.questionnaires if read_table is None else ():
            # A spreadsheet is one action: imported whole or not at all.
            try:
                _out(_import_questionnaire(store, path, args))
                imported += 1
            except AlreadyImportedError as exc:
                skipped += 1
                _out(f"skipped {exc}")
            except WorkbenchError as exc:
                failures += 1
                print(f"workbench: {exc}", file=sys.stderr)
            except Exception as exc:  # noqa: BLE001 - one spreadsheet's crash must not stop the batch
                failures += 1
                print(f"workbench: {unexpected_error_line(path, exc)}", file=sys.stderr)
        if plan.projects:
            # A REFI-QDA project is one action too: sources, codes, codings, cases and memos, or nothing.
            from workbench.exchange.qdpx_import import import_projects

            for project in import_projects(store, plan.projects, args.actor):
                if project.result is not None:
                    imported += 1
                    _out(project.result.summary(project.path))
                elif project.skipped is not None:
                    skipped += 1
                    _out(f"skipped {project.skipped}")
                else:
                    failures += 1
                    print(f"workbench: {project.error}", file=sys.stderr)
        with _progress(len(plan.documents)) as progress:
            outcomes = import_files(
                store, plan.documents, actor=args.actor, kind=args.kind, case_id=args.case, progress=progress,
                speakers=args.speakers, transform=transform,
            )
        if read_table is not None:
            outcomes += import_files(
                store, plan.questionnaires, actor=args.actor, kind=args.kind, case_id=args.case, read=read_table, transform=transform
            )
    for outcome in outcomes:
        if outcome.error is not None:
            failures += 1
            print(f"workbench: {outcome.error}", file=sys.stderr)
        elif outcome.skipped is not None:
            skipped += 1
            _out(f"skipped {outcome.skipped}")
        else:
            imported += 1
            _out(outcome.imported_line)
    if imported + skipped + failures > 1:
        _out(f"{imported} imported, {skipped} skipped, {failures} failed")
    return 1 if failures else 0


def read_table_wanted(args: argparse.Namespace) -> bool:
    """Whether spreadsheets are read as transcript tables (--text-column), and so go through the document import."""
    return args.text_column is not None


def _key_file(args: argparse.Namespace) -> Path:
    """Where the pseudonym key table lives: --key-file, else beside the database, outside every export and backup."""
    from workbench.core.pseudonyms import KEY_FILE

    return Path(args.key_file) if args.key_file else args.dir / KEY_FILE


def cmd_cases(args: argparse.Namespace) -> int:
    from workbench.core.batch import add_cases
    from workbench.importers._tabular import case_attribute_rows, case_documents

    rows = case_attribute_rows(args.file, args.id_column, sheet=args.sheet, document_column=args.document_column)
    links = case_documents(args.file, args.id_column, args.document_column, sheet=args.sheet) if args.document_column else None
    with _open(args.dir) as store:
        done = add_cases(
            store, rows, actor=args.actor, summary=f"imported case attributes from {args.file.name}", documents=links,
            source=str(args.file), strict=args.strict,
        )
    _out(f"imported attributes of {done.case_count} cases from {args.file}" + (f", linked {done.linked} documents" if links else ""))
    if (missing := done.missing_line()) is not None:
        _error(f"warning: {args.file}: {missing}")
    return 0


def _import_codings(args: argparse.Namespace) -> int:
    from workbench.core.codings_file import import_codings
    from workbench.errors import WorkbenchError

    if args.out or args.document:
        raise WorkbenchError("--import reads a codings file: leave out --out and --document")
    with _open(args.dir) as store:
        done = import_codings(store, args.import_file, args.actor)
    already = f" ({done.already} already in the project)" if done.already else ""
    _out(f"imported {done.added} codings from {args.import_file}{already}")
    return 0


#: Imports of more files than this show a progress bar (on a terminal).
PROGRESS_FROM = 3


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int, int, Path], None] | None]:
    """A progress bar on standard error for imports of many files; nothing when piped or few files."""
    if total <= PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
        console=Console(stderr=True), transient=True,
    ) as bar:
        task = bar.add_task("", total=total)

        def advance(done: int, _total: int, path: Path) -> None:
            bar.update(task, completed=done, description=path.name)

        yield advance


def cmd_code(args: argparse.Namespace) -> int:
    from workbench.core.codings import add_coding

    with _open(args.dir) as store:
        coding = add_coding(
            store, document=args.document, start=args.start, end=args.end, code_id=args.code, coder=args.coder, memo=args.memo
        )
    _out(f"coding #{coding.id}: {args.document} {coding.start}-{coding.end} {coding.code_id} ({coding.coder})")
    return 0


def cmd_uncode(args: argparse.Namespace) -> int:
    from workbench.core.codings import remove_coding

    with _open(args.dir) as store:
        removed = remove_coding(store, document=args.document, start=args.start, end=args.end, code_id=args.code, coder=args.coder)
    _out(f"removed coding #{removed}")
    return 0


def cmd_codings(args: argparse.Namespace) -> int:
    from workbench.core.codings import write_project_codings
    from workbench.core.files import write_atomically

    if args.import_file is not None:
        return _import_codings(args)
    with _open(args.dir) as store:
        # Streamed row by row into the file (or stdout): a project's dump never has to fit in memory.
        if args.out:
            def write(temp: Path) -> None:
                with temp.open("w", encoding="utf-8", newline="") as handle:
                    write_project_codings(store, handle, args.format, args.document)

            write_atomically(args.out, write, "the codings", replace=args.force)
        else:
            stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
            try:
                write_project_codings(store, stdout, args.format, args.document)
            finally:
                stdout.flush()
                stdout.detach()  # sys.stdout keeps its buffer
    return 0


def _edited_text(path: Path, old_text: str) -> str:
    """A file's text as the new text of a document: UTF-8; an editor's Windows line breaks or added last line break are
    not edits of the transcript."""
    from workbench.errors import TextEditError

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextEditError(f"{path}: not UTF-8 text (byte {exc.start}); nothing saved") from exc
    if "\r" not in old_text:
        text = text.replace("\r\n", "\n")
    if text == old_text + "\n":
        text = old_text
    return text


def _run_editor(path: Path) -> None:
    """Open `path` in $VISUAL or $EDITOR (else vi) and wait; a failing editor saves nothing."""
    import shlex
    import subprocess

    from workbench.errors import TextEditError

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        status = subprocess.run([*shlex.split(editor), str(path)], check=False).returncode  # noqa: S603 - the user's own editor
    except (OSError, ValueError) as exc:
        raise TextEditError(f"cannot start the editor {editor!r} ({exc}); set $EDITOR, or use --from FILE") from exc
    if status != 0:
        raise TextEditError(f"the editor {editor!r} exited with status {status}; nothing saved")


def cmd_edit(args: argparse.Namespace) -> int:
    import tempfile

    from workbench.core.corpus import get_document
    from workbench.core.text_edit import edit_document_text

    with _open(args.dir) as store:
        old_text = get_document(store, args.document).text
        if args.from_file is not None:
            new_text = _edited_text(args.from_file, old_text)
        else:
            with tempfile.TemporaryDirectory(prefix="workbench-edit-") as temp:
                path = Path(temp) / (args.document.replace("/", "_").replace(os.sep, "_") + ".txt")
                path.write_bytes(old_text.encode("utf-8"))
                _run_editor(path)
                new_text = _edited_text(path, old_text)
        result = edit_document_text(store, args.document, new_text, args.actor)
    _out(result.line())
    return 0


def cmd_orphans(args: argparse.Namespace) -> int:
    from workbench.core.text_edit import discard_orphan, orphan_lines, orphans, restore_orphan
    from workbench.errors import WorkbenchError

    with _open(args.dir) as store:
        if args.restore is not None:
            if args.start is None or args.end is None:
                raise WorkbenchError(f"--restore {args.restore}: give the span to put it on, --start S --end E")
            coding = restore_orphan(store, args.restore, args.start, args.end, args.actor, as_reviewer=args.as_reviewer)
            _out(f"restored orphan #{args.restore} as coding #{coding.id}: {coding.start}-{coding.end} {coding.code_id} ({coding.coder})")
        elif args.discard is not None:
            orphan = discard_orphan(store, args.discard, args.actor, as_reviewer=args.as_reviewer)
            _out(f"discarded orphan {orphan.label()}")
        else:
            found = orphans(store, args.document)
            for line in orphan_lines(found):
                _out(line)
            _out(f"{len(found)} orphaned codings")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from workbench.core.corpus import get_document

    with _open(args.dir) as store:
        text = get_document(store, args.document).text
    # Bytes, not print(): nothing added, no newline translation, whatever the terminal's encoding.
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


def cmd_turns(args: argparse.Namespace) -> int:
    from workbench.core.turns import document_turns

    with _open(args.dir) as store:
        turns = document_turns(store, args.document)
    if not turns:
        _out(f"{args.document}: no speaker turns")
    width = max((len(turn.speaker) for turn in turns), default=0)
    span_width = max((len(f"{turn.start}-{turn.end}") for turn in turns), default=0)
    for turn in turns:
        _out(f"{turn.seq:>4}  {turn.speaker:<{width}}  {f'{turn.start}-{turn.end}':<{span_width}}  {turn.opening}")
    return 0


def _speaker_labels(value: str) -> tuple[str, ...]:
    """--speakers' type: comma-separated labels, spaces around them dropped."""
    labels = tuple(label.strip() for label in value.split(",") if label.strip())
    if not labels:
        raise argparse.ArgumentTypeError("name at least one speaker label, e.g. --speakers \"Researcher 1,Deelnemer\"")
    return labels


def _codebook_edit(args: argparse.Namespace, operation: Callable[[Store], str]) -> int:
    """Run one codebook edit with the linked YAML file kept in step, and print what happened."""
    from workbench.core.codebook.sync import edit_codebook

    with _open(args.dir) as store:
        edited: Edited[str] = edit_codebook(store, lambda: operation(store))
    _out(edited.result)
    if edited.yaml_path is not None:
        _out(f"updated {edited.yaml_path}")
    return 0


def cmd_codebook_add(args: argparse.Namespace) -> int:
    from workbench.core.codebook import add_code
    from workbench.core.model import Code

    code = Code(
        id=args.id, name=args.name, parent_id=args.parent, description=args.description, dimension=args.dimension, color=args.color
    )

    def run(store: Store) -> str:
        placed = add_code(store, code, args.actor)
        return f"added code {placed.id} ({placed.name})" + (f" under {placed.parent_id}" if placed.parent_id else "")

    return _codebook_edit(args, run)


def cmd_codebook_rename(args: argparse.Namespace) -> int:
    from workbench.core.codebook.edit import rename_code

    return _codebook_edit(args, lambda store: f"renamed {args.id} to {rename_code(store, args.id, args.name, args.actor).name}")


def cmd_codebook_describe(args: argparse.Namespace) -> int:
    from workbench.core.codebook.edit import describe_code

    def run(store: Store) -> str:
        colour = {} if args.color is None else {"color": None if args.color == "none" else args.color}
        code = describe_code(
            store, args.id, args.actor, description=args.description, include=args.include, exclude=args.exclude,
            examples=args.example or None, keywords=args.keyword or None, **colour,
        )
        return f"described {code.id}"

    return _codebook_edit(args, run)


def cmd_codebook_move(args: argparse.Namespace) -> int:
    from workbench.core.codebook.edit import move_code

    parent = None if args.top else args.parent
    if parent is None and not args.top:
        from workbench.errors import CodebookError

        raise CodebookError("say where the code goes: --parent ID or --top")
    def run(store: Store) -> str:
        moved = move_code(store, args.id, parent, args.actor, args.position)
        return f"moved {moved.id} under {parent or 'the top level'}"

    return _codebook_edit(args, run)


def cmd_codebook_reorder(args: argparse.Namespace) -> int:
    from workbench.core.codebook.edit import reorder_code

    def run(store: Store) -> str:
        return f"{reorder_code(store, args.id, args.position, args.actor).id} is now at position {args.position}"

    return _codebook_edit(args, run)


def cmd_codebook_merge(args: argparse.Namespace) -> int:
    from workbench.core.codebook.edit import merge_codes

    def run(store: Store) -> str:
        moved, dropped = merge_codes(store, args.source, args.target, args.actor)
        return f"merged {args.source} into {args.target}: {moved} codings moved, {dropped} duplicates dropped"

    return _codebook_edit(args, run)


def cmd_codebook_delete(args: argparse.Namespace) -> int:
    from workbench.core.codebook.edit import delete_code

    def run(store: Store) -> str:
        moved = delete_code(store, args.id, args.actor, args.reassign_to)
        return f"deleted {args.id}" + (f"; {moved} codings now on {args.reassign_to}" if args.reassign_to else "")

    return _codebook_edit(args, run)


def cmd_codebook_list(args: argparse.Namespace) -> int:
    from workbench.core.codebook import codebook
    from workbench.core.codebook.edit import code_usage

    with _open(args.dir) as store:
        book = codebook(store)
        usage = code_usage(store) if args.usage else None
    if not book.codes:
        _out("(no codes)")
    for depth, code in book.walk():
        count = f"  [{usage[code.id]}]" if usage is not None else ""
        _out(f"{'  ' * depth}{code.id}  {code.name}{count}")
    return 0


def cmd_codebook_sync(args: argparse.Namespace) -> int:
    from workbench.core.codebook.sync import sync_file

    with _open(args.dir) as store:
        plan = sync_file(store, args.file, args.actor, apply=False)
        if plan.is_empty:
            sync_file(store, args.file, args.actor, apply=True)  # links the file even when nothing changes
            _out(f"the project's codebook already matches {args.file}")
            return 0
        for line in plan.lines():
            _out(line)
        if plan.blocked:
            print(f"workbench: {args.file}: sync refused: {plan.blocked[0]}", file=sys.stderr)
            return 1
        if not args.yes:
            if not sys.stdin.isatty() or input("Apply these changes? [y/N] ").strip().lower() not in ("y", "yes"):
                _out("nothing changed (run with --yes to apply)")
                return 0
        sync_file(store, args.file, args.actor, apply=True)
    _out(f"synced {len(plan.added)} added, {len(plan.changed)} changed, {len(plan.removed)} removed")
    return 0


def cmd_codebook_export(args: argparse.Namespace) -> int:
    from workbench.core.codebook.export import export_codebook

    with _open(args.dir) as store:
        written = export_codebook(store, args.out, args.format, usage=args.usage, replace=args.force)
    _out(f"wrote {written}")
    return 0


def _definitions(args: argparse.Namespace, store: Store) -> list:  # type: ignore[type-arg]
    from workbench.core.tables import TableError
    from workbench.core.tables_default import project_tables
    from workbench.core.tables_file import read_tables

    if args.definitions:
        definitions = read_tables(args.definitions)
    else:
        found = project_tables(store)
        definitions = found.definitions
        if found.written:
            _out(f"wrote {found.path}: one table per dimension of the codebook; edit it to change them (never overwritten)")
    if args.table:
        known = {d.id: d for d in definitions}
        missing = [t for t in args.table if t not in known]
        if missing:
            raise TableError(f"no table {missing[0]!r} in the definitions (tables: {', '.join(known)})")
        definitions = [known[t] for t in args.table]
    return definitions


def cmd_tables(args: argparse.Namespace) -> int:
    from workbench.core.crosstabs import build_any
    from workbench.core.tables import TableError

    if args.action is not None:
        return _tables_edit(args)
    if args.out is None:
        raise TableError("workbench tables: give --out FILE to export, or an action: list, new, edit or remove")
    from workbench.exporters import format_of, write_tables

    with _open(args.dir) as store:
        tables = build_any(store, _definitions(args, store))
    for path in write_tables(tables, args.out, args.format or format_of(args.out), one_per_file=args.one_per_file, replace=args.force):
        _out(f"wrote {path}")
    return 0


def _tables_edit(args: argparse.Namespace) -> int:
    """`workbench tables DIR list|new|edit|remove [ID]`: the table definitions, edited without writing YAML."""
    from dataclasses import replace

    from workbench.core.tables import Order, TableError, Unit
    from workbench.core.tables_default import project_tables
    from workbench.core.tables_edit import TableSpec, add_table, edit_table, new_table_id, remove_table, spec_of, whose_coding

    with _open(args.dir) as store:
        found = project_tables(store)
        if args.action == "list":
            for definition in found.definitions:
                themes = getattr(definition, "themes", ())
                what = f"{len(themes)} themes" if themes else type(definition).__name__.replace("Definition", "").lower()
                _out(f"{definition.id}\t{definition.caption}\t{what}\t{whose_coding(definition)}")
            return 0
        if args.table_id is None and args.action in ("edit", "remove"):
            raise TableError(f"workbench tables: {args.action} needs the table's id (see: workbench tables {args.dir} list)")
        if args.action == "remove":
            remove_table(store, args.table_id)
            _out(f"removed table {args.table_id} from {found.path}")
            return 0
        changes: dict[str, object] = {}
        if args.caption is not None:
            changes["caption"] = args.caption
        if args.themes is not None:
            changes["themes"] = tuple(t.strip() for t in args.themes.split(",") if t.strip())
        if args.unit is not None:
            changes["unit"] = Unit(args.unit)
        if args.order is not None:
            changes["order"] = Order(args.order)
        if args.coder is not None:
            changes["coder"] = None if args.coder in ("", "all") else args.coder
        if args.doc_kind:
            changes["kinds"] = tuple(args.doc_kind)
        for key in ("respondent_group", "wave", "question"):
            if getattr(args, key) is not None:
                changes[key] = getattr(args, key) or None
        if args.attribute:
            changes["attributes"] = _pairs(args.attribute, "--attribute")
        if args.action == "new":
            table_id = args.table_id or new_table_id(found.definitions)
            if "caption" not in changes or "themes" not in changes:
                raise TableError("workbench tables new: give --caption and --themes (code ids, comma-separated)")
            spec = replace(TableSpec(id=table_id, caption="", themes=()), **changes)  # type: ignore[arg-type]
            definition = add_table(store, spec)
            verb = "added"
        else:
            current = next((d for d in found.definitions if d.id == args.table_id), None)
            if current is None:
                raise TableError(f"workbench tables: no table {args.table_id!r} (see: workbench tables {args.dir} list)")
            spec = replace(spec_of(current), **changes)  # type: ignore[arg-type]
            definition = edit_table(store, args.table_id, spec)
            verb = "changed"
    themes = len(definition.themes)
    _out(f"{verb} table {definition.id} in {found.path}: {definition.caption} ({themes} themes, {whose_coding(definition)})")
    return 0


def cmd_quotes(args: argparse.Namespace) -> int:
    from workbench.exporters.quote_export import export_quotes

    with _open(args.dir) as store:
        written = export_quotes(store, args.out, fmt=args.format, coder=args.coder, code_ids=args.code, strip_speaker=args.strip_speaker,
                                replace=args.force)
    _out(str(written))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from workbench.exchange.qdpx_export import export_project

    with _open(args.dir) as store:
        path = export_project(store, args.out, replace=args.force)
    _out(f"wrote the project to {path} (REFI-QDA 1.0)")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from workbench.core.status import project_status

    with _open(args.dir) as store:
        status = project_status(store)
    for label, value in status.lines():
        _out(f"{label + ':':<18}{value}")
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    with _open(args.dir) as store:
        entries = store.actions()
        stacks = store.stacks()
    undone = set(stacks.undone)
    for a in entries:
        mark = " (undone)" if a.id in undone else ""
        _out(f"#{a.id:<5} {a.at}  {a.actor:<14} {a.kind:<9} {a.summary}{mark}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from workbench.core.check import check_folder

    # No automatic backup: a damaged file must not push a sound backup out of the rotation.
    report = check_folder(args.dir)
    for finding in report.findings:
        _out(f"{args.dir}: {finding.check}: {finding.message}")
    if report.findings:
        count = len(report.findings)
        _out(f"{args.dir}: {count} problem{'' if count == 1 else 's'} found")
        return 1
    _out(f"{args.dir}: no problems ({report.documents} documents, {report.codings} codings, {report.actions} log entries checked)")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from workbench.core.backups import KEEP, rotate, take_backup

    with _open(args.dir, backup=False) as store:
        path = take_backup(store, args.file)
    if args.file is None:
        rotate(args.dir, KEEP)
    _out(f"backed up {args.dir} to {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from workbench.core.backups import restore

    with _open(args.dir, backup=False):
        pass  # the same one-line refusal for a folder that is no project as every other command gives
    done = restore(args.dir, args.backup, args.actor)
    _out(f"restored {args.dir} from {done.source}; the project as it was is kept in {done.previous}")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    from workbench.core.privacy import forget_case

    with _open(args.dir, backup=False) as store:
        done = forget_case(store, args.case, args.actor)
    backups = f", {done.backups_cleaned} backups cleaned" + (f" and {done.backups_deleted} deleted" if done.backups_deleted else "")
    purged = f"{done.documents} documents removed, {done.log_entries_changed} log entries purged"
    _out(f"forgot case {args.case} in {args.dir}: {purged}{backups}")
    if done.codes_quoting:
        _error(f"note: the codebook quotes this case in {', '.join(done.codes_quoting)}: edit those codes' examples or descriptions")
    from workbench.core.files import EXPORTS_FOLDER

    exports = args.dir / EXPORTS_FOLDER
    if exports.is_dir() and any(path.is_file() for path in exports.rglob("*")):
        # Files written earlier are the user's own; forgetting cannot know which of them quote the case.
        _error(f"note: {exports}: files exported before are unchanged; check them for this case's data")
    if not done.scrubbed:
        _error(f"warning: {args.dir}: another program has the project open; close it and run `workbench check {args.dir}`")
    return 0


def cmd_purge_history(args: argparse.Namespace) -> int:
    from workbench.core.privacy import purge_history

    with _open(args.dir, backup=False) as store:
        done = purge_history(store, args.before, args.actor)
    _out(f"purged {done.dropped} log entries before {args.before.isoformat()} from {args.dir} and {done.backups_cleaned} backups")
    if not done.scrubbed:
        _error(f"warning: {args.dir}: another program has the project open; close it and run `workbench check {args.dir}`")
    return 0


def _date(value: str) -> date:
    """--before's type: an ISO date (2026-01-31), else argparse's usage error."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give a date as YYYY-MM-DD") from None


def cmd_merge(args: argparse.Namespace) -> int:
    from workbench.core.merge import merge_project

    with _open(args.dir) as store:
        report = merge_project(store, args.other, args.actor)
    coders = f" by {', '.join(report.coders)}" if report.coders else ""
    _out(
        f"merged {args.other} into {args.dir}: {report.codings_added} codings{coders} added, {report.memos_added} memos, "
        f"{report.duplicates} duplicates skipped"
    )
    for document in report.unmatched_documents:
        _out(f"document not matched: {document.name} ({document.codings} codings left out; no document here has its text)")
    for code in report.unmatched_codes:
        _out(f"code not matched: {code.name} ({code.codings} codings left out; no code here has its id or guid)")
    for memo in report.memos_kept:
        _out(f"memo kept: {memo} (the two projects differ; this project's stays)")
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from workbench.core.comparison.report import agreement_report
    from workbench.core.comparison.units import parse_unit
    from workbench.exporters.agreement import agreement_format_of, agreement_table, write_agreement

    coders = [name.strip() for name in args.coders.split(",") if name.strip()]
    unit = parse_unit(args.unit)
    fmt = args.format or (agreement_format_of(args.out) if args.out is not None else "table")
    if fmt != "table" and args.out is None:
        from workbench.errors import AgreementError

        raise AgreementError(f"--format {fmt} writes a file: give it with --out FILE")
    with _open(args.dir) as store:
        report = agreement_report(store, coders, unit, args.code or None, theme=args.theme, overlap=args.overlap)
    if args.out is None:
        sys.stdout.write(agreement_table(report))
    else:
        _out(f"wrote {write_agreement(report, args.out, fmt, replace=args.force)}")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    from workbench.core.corpus import get_document
    from workbench.core.units import default_granularity
    from workbench.errors import SuggestError
    from workbench.suggest import retrain, suggest_document, suggest_text
    from workbench.suggest.report import suggestions_table, text_json, units_json, units_table

    if args.top < 1:
        raise SuggestError(f"--top {args.top}: give at least 1")
    with _open(args.dir) as store:
        # The command line may wait for a training; the coding screen runs it in a worker instead.
        retrain(store, args.coder)
        if args.text is not None:
            suggestions = suggest_text(store, args.text, top=args.top, coder=args.coder)
            sys.stdout.write(text_json(args.text, suggestions) if args.format == "json" else suggestions_table(suggestions))
            return 0
        units = suggest_document(store, args.document, top=args.top, coder=args.coder)
        document = get_document(store, args.document)
    if args.format == "json":
        sys.stdout.write(units_json(units, document.text))
    else:
        sys.stdout.write(units_table(units, document.text, default_granularity(document).value))
    return 0


def cmd_suggest_eval(args: argparse.Namespace) -> int:
    from workbench.suggest import Level, evaluate
    from workbench.suggest.report import evaluation_json, evaluation_table

    level = Level.parse(args.level)
    with _open(args.dir) as store:
        evaluation = evaluate(store, level=level, coder=args.coder)
    sys.stdout.write(evaluation_json(evaluation) if args.format == "json" else evaluation_table(evaluation, per_label=args.per_label))
    return 0


def _cmd_history(direction: Literal["undo", "redo"]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from workbench.core.codebook.sync import step_history

        with _open(args.dir) as store:
            step = step_history(store, direction, args.actor, args.coder)
        _out(f"{'undone' if direction == 'undo' else 'redone'} #{step.action.id}: {step.action.summary}")
        if step.yaml_path is not None:
            _out(f"updated {step.yaml_path}")
        return 0

    return run


def cmd_members(args: argparse.Namespace) -> int:
    from workbench.core.members import add_member, members, remove_member
    from workbench.core.privileges import Role
    from workbench.errors import MemberError

    with _open(args.dir) as store:
        if args.action == "list":
            for member in members(store):
                _out(f"{member.name:<20} {member.role.value:<9} added {member.added} by {member.added_by}")
            return 0
        if args.name is None:
            raise MemberError(f"workbench members {args.action}: give the member's PostgreSQL role name")
        if args.action == "add":
            member = add_member(store, args.name, Role(args.role), args.actor)
            _out(f"{store.label}: {member.name} is a member as {member.role.value}")
        else:
            remove_member(store, args.name, args.actor)
            _out(f"{store.label}: {args.name.strip()} is no longer a member")
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    from workbench.demos.user_copy import ensure_user_demo

    store = None
    if not args.choose:
        if args.dir is None:
            from workbench.locations import project_db_path, user_demo_project_dir

            if not project_db_path(user_demo_project_dir()).exists():
                print("Building the Huis van Herstel demo project (first run, a few seconds)…", file=sys.stderr, flush=True)
        directory = args.dir if args.dir is not None else ensure_user_demo()
        store = _open(directory)  # fail on the command line, before the screen is taken over
    from workbench.tui.app import WorkbenchApp

    app = WorkbenchApp(store, coder=args.coder)
    app.run()
    if app.store is not None:
        app.store.close()
    return 0


# -- parser --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    from workbench import __version__

    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Qualitative coding workbench. With no command, opens the demo project in the terminal UI.",
        epilog="Run `workbench COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace], int], help_text: str, **kw: object) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, **kw)  # type: ignore[arg-type]
        p.set_defaults(handler=handler)
        return p

    def project_dir(p: argparse.ArgumentParser) -> None:
        p.add_argument("dir", type=Path, metavar="DIR", help="project folder")

    def actor(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--as", dest="actor", default=default_coder(), metavar="NAME",
            help="who does this, for the action log (default: $WORKBENCH_USER or your login)",
        )

    def force(p: argparse.ArgumentParser) -> None:
        p.add_argument("--force", action="store_true", help="replace the file if it exists (a link or device is never written)")

    def span(p: argparse.ArgumentParser) -> None:
        p.add_argument("--document", required=True, metavar="NAME", help="document name (see `workbench status`)")
        p.add_argument("--start", required=True, type=int, metavar="S", help="first character offset (0-based)")
        p.add_argument("--end", required=True, type=int, metavar="E", help="offset just past the last character")
        p.add_argument("--code", required=True, metavar="CODE", help="code id")
        p.add_argument("--coder", required=True, metavar="NAME", help="coder name")

    p = command("new", cmd_new, "create a new, empty project folder")
    project_dir(p)
    p.add_argument("--name", help="project name (default: the folder name)")
    p.add_argument("--description", default="", help="one-line description")
    p.add_argument("--database", metavar="URL",
                   help="keep the data on a team server: postgresql://host/dbname, an empty database (the password comes "
                        "from PGPASSWORD, ~/.pgpass or a service file, never from the folder)")
    actor(p)

    p = command("connect", cmd_connect, "make a folder for an existing team-server project, to work on it from this machine")
    project_dir(p)
    p.add_argument("url", metavar="URL", help="the project's database: postgresql://host/dbname")

    p = command("copy", cmd_copy, "copy a whole project to a new folder: SQLite to a team server and back, checked row for row")
    p.add_argument("source", type=Path, metavar="SRC", help="the project folder to copy")
    p.add_argument("dest", type=Path, metavar="DEST", help="a new folder for the copy")
    p.add_argument("--database", metavar="URL",
                   help="put the copy's data on a team server (postgresql://host/dbname, an empty database); "
                        "default: a SQLite file in DEST")

    p = command(
        "import", cmd_import,
        "import transcripts and notes (.txt .docx .odt .rtf .vtt .srt .pdf), questionnaires (.csv .xlsx .ods, one respondent "
        "per row) or a REFI-QDA project (.qdpx) with its codes and codings",
    )
    project_dir(p)
    p.add_argument("files", nargs="+", type=Path, metavar="PATH",
                   help="a file or folder (folders are searched to any depth; hidden and unsupported files are skipped)")
    kinds = ", ".join(kind.value for kind in DocumentKind)
    p.add_argument("--kind", type=_kind, metavar="KIND", help=f"document kind: {kinds} (default: transcript)")
    p.add_argument("--case", metavar="ID", help="case (respondent) the documents belong to")
    p.add_argument("--pseudonymise", action="store_true",
                   help="replace names, places, dates and institutions by placeholders ([PERSOON-1], the same one in every "
                        "document) with the Dutch de-identifier deduce; the key table goes to --key-file")
    p.add_argument("--key-file", type=Path, metavar="FILE",
                   help="the pseudonym key table (default: DIR/pseudonyms.json, never exported or backed up)")
    p.add_argument("--speakers", type=_speaker_labels, metavar="LABELS",
                   help='the speaker labels, comma-separated ("Researcher 1,Deelnemer"): every line opening with one '
                        "of them (before a colon or in brackets) starts a turn; default: detected")
    sheet = p.add_argument_group("questionnaires (.csv, .xlsx, .ods)")
    sheet.add_argument("--id-column", metavar="COL", help="the respondent id column (default: each row a respondent, named by its number)")
    sheet.add_argument("--attribute", action="append", default=[], metavar="COL=KEY",
                       help="an attribute column: KEY is respondent_group, function, wave or your own (repeatable)")
    sheet.add_argument("--question", action="append", default=[], metavar="COL",
                       help="a free-text question column (repeatable; default: every other column)")
    sheet.add_argument("--question-id", action="append", default=[], metavar="COL=ID",
                       help="short id of a question column (default q1, q2, …)")
    sheet.add_argument("--wave", metavar="WAVE", help="measurement wave of every respondent (T1, T2, …)")
    sheet.add_argument("--sheet", metavar="NAME", help="worksheet (default: the first)")
    sheet.add_argument("--skip-rows", type=int, metavar="N",
                       help="N rows below the header are not respondents (default: Qualtrics' extra header rows are recognised)")
    table = p.add_argument_group("transcripts kept as a table (.csv .xlsx .ods, one row per turn; one transcript per file)")
    table.add_argument("--text-column", metavar="COL", help="the column of what is said; makes each spreadsheet one transcript")
    table.add_argument("--speaker-column", metavar="COL", help="the column of who says it (each row a speaker turn)")
    table.add_argument("--time-column", metavar="COL", help="the column of when, kept as a [HH:MM:SS] line prefix")
    actor(p)

    p = command("export", cmd_export, "write the whole project as a REFI-QDA project (.qdpx) for ATLAS.ti, MAXQDA, NVivo, QualCoder")
    project_dir(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the .qdpx file to write")
    force(p)

    p = command("cases", cmd_cases, "import case attributes (case id → respondent group, function, wave, …) from .csv or .xlsx")
    project_dir(p)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--id-column", required=True, metavar="COL", help="the case id column")
    p.add_argument("--document-column", metavar="COL",
                   help="a column naming each case's documents (several separated by ';'), to link transcripts")
    p.add_argument("--strict", action="store_true",
                   help="refuse the whole sheet if a document it names is not in the project (default: link the others, warn)")
    p.add_argument("--sheet", metavar="NAME", help="worksheet (default: the first)")
    actor(p)

    p = command("code", cmd_code, "apply a code to a span of a document")
    project_dir(p)
    span(p)
    p.add_argument("--memo", default="", help="memo on the coding")

    p = command("uncode", cmd_uncode, "remove a coder's code from a span")
    project_dir(p)
    span(p)

    p = command("codings", cmd_codings, "dump every coding, sorted and without row ids (git-diffable), or import such a dump")
    project_dir(p)
    p.add_argument("--import", dest="import_file", type=Path, metavar="FILE",
                   help="add the codings of a .jsonl or .csv dump as one undoable action (all rows checked first)")
    actor(p)
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    p.add_argument("--document", metavar="NAME", help="only this document")
    p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    force(p)

    p = command("edit", cmd_edit,
                "correct a document's text in $EDITOR (or from a file); codings move with their words, orphans are kept")
    project_dir(p)
    p.add_argument("document", metavar="DOCUMENT")
    p.add_argument("--from", dest="from_file", type=Path, metavar="FILE", help="take the new text from FILE (UTF-8) instead")
    actor(p)

    p = command("orphans", cmd_orphans, "list codings whose words an edit deleted; restore one on a span, or discard it")
    project_dir(p)
    p.add_argument("--document", metavar="NAME", help="only this document")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--restore", type=int, metavar="ID", help="put orphan ID back as a coding on --start S --end E")
    which.add_argument("--discard", type=int, metavar="ID", help="drop orphan ID for good (undoable)")
    p.add_argument("--start", type=int, metavar="S", help="with --restore: first character offset of the new span")
    p.add_argument("--end", type=int, metavar="E", help="with --restore: offset just past its last character")
    p.add_argument("--as-reviewer", action="store_true", help="restore or discard another coder's orphan")
    actor(p)

    p = command("show", cmd_show, "print a document's text exactly as stored")
    project_dir(p)
    p.add_argument("document", metavar="DOCUMENT")

    p = command("turns", cmd_turns, "list a document's speaker turns: number, speaker, offsets, first words")
    project_dir(p)
    p.add_argument("document", metavar="DOCUMENT")

    p = command("codebook", lambda a: 2, "view and edit the codebook")
    project_dir(p)
    book = p.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    q = book.add_parser("add", help="add a code", description="add a code at the end of its siblings")
    q.set_defaults(handler=cmd_codebook_add)
    q.add_argument("id", metavar="ID", help="stable code id (slug)")
    q.add_argument("--name", required=True)
    q.add_argument("--parent", metavar="ID", help="parent code id (default: a top-level code)")
    q.add_argument("--description", default="")
    q.add_argument("--dimension", help="dimension this code starts (succesfactoren, knelpunten, …)")
    q.add_argument("--color", help="#rrggbb")
    actor(q)
    q = book.add_parser("list", help="print the code tree", description="print the code tree")
    q.set_defaults(handler=cmd_codebook_list)
    q.add_argument("--usage", action="store_true", help="show how many codings use each code")

    q = book.add_parser("rename", help="rename a code (its id and codings stay)")
    q.set_defaults(handler=cmd_codebook_rename)
    q.add_argument("id", metavar="ID")
    q.add_argument("name", metavar="NAME")
    actor(q)

    q = book.add_parser("describe", help="set a code's description, criteria, examples, keywords or colour")
    q.set_defaults(handler=cmd_codebook_describe)
    q.add_argument("id", metavar="ID")
    q.add_argument("--description")
    q.add_argument("--include", help="when to apply the code")
    q.add_argument("--exclude", help="when not to apply it")
    q.add_argument("--example", action="append", default=[], help="an example passage (repeatable; replaces the list)")
    q.add_argument("--keyword", action="append", default=[], help="a keyword for suggestions (repeatable; replaces the list)")
    q.add_argument("--color", help="#rrggbb, or none")
    actor(q)

    q = book.add_parser("move", help="move a code and its subtree under another parent")
    q.set_defaults(handler=cmd_codebook_move)
    q.add_argument("id", metavar="ID")
    where = q.add_mutually_exclusive_group()
    where.add_argument("--parent", metavar="ID")
    where.add_argument("--top", action="store_true", help="make it a top-level code")
    q.add_argument("--position", type=int, metavar="N", help="place among the new siblings (0 = first; default last)")
    actor(q)

    q = book.add_parser("reorder", help="put a code at a position among its siblings")
    q.set_defaults(handler=cmd_codebook_reorder)
    q.add_argument("id", metavar="ID")
    q.add_argument("position", type=int, metavar="N", help="0 = first")
    actor(q)

    q = book.add_parser("merge", help="merge code SOURCE into TARGET: codings and children move, SOURCE goes")
    q.set_defaults(handler=cmd_codebook_merge)
    q.add_argument("source", metavar="SOURCE")
    q.add_argument("target", metavar="TARGET")
    actor(q)

    q = book.add_parser("delete", help="delete a code (refused while codings use it, unless reassigned)")
    q.set_defaults(handler=cmd_codebook_delete)
    q.add_argument("id", metavar="ID")
    q.add_argument("--reassign-to", metavar="CODE", help="move its codings to this code first")
    actor(q)

    q = book.add_parser("sync", help="bring a YAML (or .qdc) codebook into the project; shows the changes first")
    q.set_defaults(handler=cmd_codebook_sync)
    q.add_argument("file", type=Path, metavar="FILE")
    q.add_argument("--yes", action="store_true", help="apply without asking")
    actor(q)

    q = book.add_parser("export", help="write the codebook as YAML, REFI-QDA .qdc, Markdown or Word")
    q.set_defaults(handler=cmd_codebook_export)
    q.add_argument("out", type=Path, metavar="FILE")
    q.add_argument("--format", choices=("yaml", "qdc", "md", "docx"), help="default: from the file's extension")
    q.add_argument("--usage", action="store_true", help="include how often each code is used (md, docx)")
    force(q)

    p = command("tables", cmd_tables, "build the report's tables (tables.yaml) and export them: docx, xlsx, csv, md, json or png; "
                "or list, add (new), change (edit) and remove table definitions without writing YAML")
    project_dir(p)
    p.add_argument("action", nargs="?", choices=("list", "new", "edit", "remove"),
                   help="list the tables, or add, change or remove one (default: export with --out)")
    p.add_argument("table_id", nargs="?", metavar="ID", help="the table to edit or remove (for new: its id, default the next number)")
    p.add_argument("--table", action="append", default=[], metavar="ID", help="only this table (repeatable; default: all, in order)")
    p.add_argument("--format", choices=("docx", "xlsx", "csv", "md", "json", "png"), help="default: from --out's extension")
    p.add_argument("--out", type=Path, metavar="PATH", help="the file to write (a folder with --one-per-file)")
    p.add_argument("--one-per-file", action="store_true", help="one file per table in the folder --out")
    force(p)
    p.add_argument("--definitions", type=Path, metavar="FILE", help="table definitions (default: DIR/tables.yaml)")
    spec = p.add_argument_group("new and edit")
    spec.add_argument("--caption", metavar="TEXT", help='e.g. "Tabel 6.6. Wat helpt de deelnemers T1 (n={n})"')
    spec.add_argument("--themes", metavar="IDS", help="theme code ids in the table's order, comma-separated")
    spec.add_argument("--unit", choices=("respondents", "documents", "mentions"), help="what Aantal (n) counts (default respondents)")
    spec.add_argument("--order", choices=("codebook", "count"), help="items in codebook order or by count")
    spec.add_argument("--coder", metavar="NAME", help="whose codings: a coder, consensus, or all (default: every coder together)")
    spec.add_argument("--doc-kind", action="append", default=[], metavar="KIND", help="only documents of this kind (repeatable)")
    spec.add_argument("--group", dest="respondent_group", metavar="GROUP", help="only this respondent group")
    spec.add_argument("--wave", metavar="WAVE", help="only this wave (T1, T2…)")
    spec.add_argument("--question", metavar="ID", help="only answers to this question")
    spec.add_argument("--attribute", action="append", default=[], metavar="KEY=VALUE", help="only documents with this attribute")

    p = command("quotes", cmd_quotes, "export every coded segment with respondent, attributes and code path, to filter in a spreadsheet")
    project_dir(p)
    p.add_argument("--format", choices=("xlsx", "csv"), help="default: from --out's extension")
    p.add_argument("--out", type=Path, required=True, metavar="PATH")
    force(p)
    p.add_argument("--coder", metavar="NAME", help="only this coder's codings")
    p.add_argument("--code", action="append", default=[], metavar="ID", help="only these codes (repeatable)")
    p.add_argument("--strip-speaker", action="store_true", help="drop the speaker label a quote starts with (\"Deelnemer: \")")

    p = command("status", cmd_status, "summarise a project")
    project_dir(p)
    p = command("log", cmd_log, "print the action log (audit trail)")
    project_dir(p)
    directions: tuple[Literal["undo", "redo"], ...] = ("undo", "redo")
    for direction in directions:
        p = command(direction, _cmd_history(direction), f"{direction} the latest action (of one coder with --coder)")
        project_dir(p)
        p.add_argument("--coder", metavar="NAME", help=f"only {direction} this coder's actions")
        actor(p)

    p = command("merge", cmd_merge, "bring the codings and memos of another coder's copy of the project in (one undoable action)")
    project_dir(p)
    p.add_argument("other", type=Path, metavar="OTHER_DIR", help="the other project folder (read, never changed)")
    actor(p)

    p = command("agreement", cmd_agreement, "agreement between coders per code: %%, kappa, alpha with its interval, AC1; table or file")
    project_dir(p)
    p.add_argument("--coders", required=True, metavar="A,B[,C]", help="the coders to compare, separated by commas")
    p.add_argument("--unit", default="answer", metavar="UNIT",
                   help="what is compared: answer, turn, sentence, paragraph, respondent, document, segment, character or continuum "
                        "(default: answer)")
    p.add_argument("--code", nargs="+", action="extend", default=[], metavar="ID",
                   help="only these codes and the codes below them (default: every code the coders used)")
    p.add_argument("--theme", metavar="ID", help="one category per unit: the code under this theme each coder gave (or none)")
    p.add_argument("--overlap", type=float, default=0.9, metavar="SHARE",
                   help="segment units: the share of the longer coding two codings must overlap to agree (default 0.9)")
    p.add_argument("--format", choices=("table", "json", "docx", "xlsx", "png"),
                   help="default: a table on standard output, or from --out's extension")
    p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE (.txt .json .docx .xlsx .png)")
    force(p)

    p = command("suggest", cmd_suggest,
                "suggest codes for a text or for every unit of a document, from the codebook and the project's codings")
    project_dir(p)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", metavar="TEXT", help="a free text to suggest codes for")
    what.add_argument("--document", metavar="NAME", help="suggest for every unit (answer, turn, paragraph) of this document")
    p.add_argument("--top", type=int, default=3, metavar="N", help="how many codes per text or unit (default 3)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--coder", metavar="NAME", help="learn from this coder's codings only (default: everyone's)")

    p = command("suggest-eval", cmd_suggest_eval,
                "cross-validate the suggestions on the project's codings, grouped by respondent, against two baselines")
    project_dir(p)
    p.add_argument("--level", default="theme", metavar="LEVEL",
                   help="judge the exact code or only its theme: code or theme (default theme)")
    p.add_argument("--coder", metavar="NAME", help="learn from and test on this coder's codings (default: everyone's)")
    p.add_argument("--per-label", action="store_true", help="also a row per code or theme: recall at 3 per method")
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = command("check", cmd_check, "check the project file: integrity, offsets, orphan rows, the action log")
    project_dir(p)
    p = command("backup", cmd_backup, "copy the project to FILE, or to a new file in its backups folder (the newest 5 are kept)")
    project_dir(p)
    p.add_argument("file", type=Path, nargs="?", metavar="FILE", help="where to write the backup (default: DIR/backups/)")
    p = command("restore", cmd_restore, "replace the project with a backup (checked first; the project as it is becomes a backup)")
    project_dir(p)
    p.add_argument("backup", type=Path, metavar="BACKUP", help="a backup file, e.g. DIR/backups/workbench-….sqlite")
    actor(p)
    p = command("forget", cmd_forget, "remove a case (withdrawn consent) from the project, its action log and its backups")
    project_dir(p)
    p.add_argument("--case", required=True, metavar="ID", help="the case to forget")
    actor(p)
    p = command("purge-history", cmd_purge_history, "drop action-log entries (and their undo) made before a date")
    project_dir(p)
    p.add_argument("--before", required=True, type=_date, metavar="DATE", help="drop entries made before this day (YYYY-MM-DD)")
    actor(p)

    p = command("members", cmd_members,
                "list, add or remove the members of a team-server project and their role (coder, reviewer, owner); "
                "the database enforces it")
    project_dir(p)
    p.add_argument("action", nargs="?", choices=("list", "add", "remove"), default="list", help="default: list")
    p.add_argument("name", nargs="?", metavar="NAME", help="the member's PostgreSQL role (a login role is created if missing)")
    p.add_argument("--role", choices=("coder", "reviewer", "owner"), default="coder",
                   help="coder: own codings and memos; reviewer: also the consensus coding; owner: everything (default coder)")
    actor(p)

    p = command("open", cmd_open, "open a project in the terminal UI (default: the demo project)")
    p.add_argument("dir", type=Path, nargs="?", metavar="DIR")
    p.add_argument("--coder", metavar="NAME", help="code as NAME (default: the coder remembered for the project, else asked)")
    p.add_argument("--choose", action="store_true", help="start on the project chooser instead of opening a project")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `workbench` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    first = args_list[0] if args_list else ""
    if first and first not in COMMANDS and not first.startswith("-") and _looks_like_a_command(first):
        # `workbench compare` is a mistyped command, not a folder to open: say so, as argparse does for a bad option.
        from workbench.core.matching import did_you_mean

        hint = did_you_mean(first, COMMANDS) or f" (commands: {', '.join(COMMANDS)}; no folder {first!r} here to open either)"
        parser.error(f"unknown command {first!r}{hint}")
    # `workbench DIR` and `workbench --coder NAME` are short for `workbench open …`.
    if args_list and first not in COMMANDS and first not in ("-h", "--help", "--version"):
        args_list.insert(0, "open")
    if not args_list:
        args_list = ["open"]
    args_list = _with_project_placeholder(args_list)
    args = parser.parse_args(args_list)
    from workbench.errors import WorkbenchError

    try:
        status = int(args.handler(args))
        # Flushed here, not at exit, so a reader that went away (`| head -1`) is noticed while it can be handled.
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _silence_stdout()
        return CLOSED_PIPE
    except WorkbenchError as exc:
        from workbench.core.files import ExistingFileError

        _error(f"{exc.path}: already exists; add --force to replace it" if isinstance(exc, ExistingFileError) else str(exc))
        return 1
    except OSError as exc:
        from workbench.core.files import os_error_line

        _error(os_error_line(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from workbench.errors import database_reason, is_database_error

        if not is_database_error(exc):
            raise
        # SQLAlchemy's own message would print the statement and its parameters (respondent ids, transcript text).
        _error(f"{args.dir if hasattr(args, 'dir') else 'project'}: database error ({database_reason(exc)})")
        return 1


def _looks_like_a_command(word: str) -> bool:
    """A bare word that names no existing file or folder: what a user types as a command, not as a project to open."""
    return os.sep not in word and (os.altsep is None or os.altsep not in word) and not Path(word).exists()


def _with_project_placeholder(args_list: list[str]) -> list[str]:
    """`workbench codebook add --help` asks for the action's help before any folder is given: let argparse show it."""
    if len(args_list) >= 3 and args_list[0] == "codebook" and args_list[1] in CODEBOOK_ACTIONS:
        if "-h" in args_list or "--help" in args_list:
            return ["codebook", "DIR", *args_list[1:]]
    return args_list


def _error(message: str) -> None:
    print(f"workbench: {message}", file=sys.stderr)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so Python's own flush at exit does not fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # not a real file descriptor (output captured in-process): nothing will be flushed at exit


if __name__ == "__main__":
    raise SystemExit(main())
