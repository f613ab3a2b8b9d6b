"""The command line: parse arguments, call the core, print one line per outcome.

Heavy modules (SQLAlchemy, Textual, later spaCy and pandas) are imported inside the commands so that
`workbench --help` stays instant.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.core.store import Store

COMMANDS = ("new", "import", "cases", "code", "uncode", "codings", "show", "codebook", "status", "log", "undo", "redo", "open")
KINDS = ("transcript", "questionnaire answer", "focus group", "notes")


def _user() -> str:
    return os.environ.get("WORKBENCH_USER") or getpass.getuser()


def _open(directory: Path) -> Store:
    from workbench.core.store import open_or_explain

    return open_or_explain(directory)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


# -- commands ------------------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from workbench.core.store import Store

    with Store.create(args.dir, args.name or args.dir.resolve().name, args.description, actor=args.actor):
        _out(f"created project {args.dir}")
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
    from workbench.importers._tabular import ColumnMapping, questionnaire_documents

    if not args.id_column:
        raise WorkbenchError(f"{path}: a questionnaire needs --id-column (the respondent id column)")
    mapping = ColumnMapping(
        id_column=args.id_column,
        attribute_columns=_pairs(args.attribute, "--attribute"),
        question_columns=tuple(args.question),
        question_ids=_pairs(args.question_id, "--question-id") or None,
    )
    answers = questionnaire_documents(path, mapping, wave=args.wave, sheet=args.sheet)
    respondents = len({a.case_id for a in answers})
    add_documents(store, answers, actor=args.actor, summary=f"imported questionnaire {path.name} ({len(answers)} answers)")
    return f"imported {path}: {len(answers)} answers of {respondents} respondents"


def cmd_import(args: argparse.Namespace) -> int:
    from workbench.core.model import DocumentKind
    from workbench.errors import AlreadyImportedError, WorkbenchError
    from workbench.importers import import_files
    from workbench.importers._tabular import EXTENSIONS as TABULAR

    kind = DocumentKind.parse(args.kind) if args.kind else None
    sheets = [p for p in args.files if p.suffix.lower() in TABULAR]
    documents = [p for p in args.files if p.suffix.lower() not in TABULAR]
    failures = skipped = 0
    with _open(args.dir) as store:
        for path in sheets:
            # A spreadsheet is one action: imported whole or not at all.
            try:
                _out(_import_questionnaire(store, path, args))
            except AlreadyImportedError as exc:
                skipped += 1
                _out(f"skipped {exc}")
            except WorkbenchError as exc:
                failures += 1
                print(f"workbench: {exc}", file=sys.stderr)
        with _progress(len(documents)) as progress:
            outcomes = import_files(store, documents, actor=args.actor, kind=kind, case_id=args.case, progress=progress)
    for outcome in outcomes:
        if outcome.error is not None:
            print(f"workbench: {outcome.error}", file=sys.stderr)
        elif outcome.skipped is not None:
            _out(f"skipped {outcome.skipped}")
        else:
            _out(f"imported {outcome.path} (document #{outcome.document_id})")
    failures += sum(o.error is not None for o in outcomes)
    skipped += sum(o.skipped is not None for o in outcomes)
    if len(args.files) > 1:
        _out(f"{len(args.files) - failures - skipped} imported, {skipped} skipped, {failures} failed")
    return 1 if failures else 0


def cmd_cases(args: argparse.Namespace) -> int:
    from workbench.core.batch import add_cases
    from workbench.importers._tabular import case_attribute_rows

    rows = case_attribute_rows(args.file, args.id_column, sheet=args.sheet)
    with _open(args.dir) as store:
        count = add_cases(store, rows, actor=args.actor, summary=f"imported case attributes from {args.file.name}")
    _out(f"imported attributes of {count} cases from {args.file}")
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
    from workbench.core.codings import coded_segments, dump_codings

    with _open(args.dir) as store:
        dump = dump_codings(coded_segments(store, args.document), args.format)
    if args.out:
        args.out.write_text(dump, encoding="utf-8", newline="")
    else:
        sys.stdout.buffer.write(dump.encode("utf-8"))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from workbench.core.corpus import get_document

    with _open(args.dir) as store:
        text = get_document(store, args.document).text
    # Bytes, not print(): nothing added, no newline translation, whatever the terminal's encoding.
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


def cmd_codebook_add(args: argparse.Namespace) -> int:
    from workbench.core.codebook import add_code
    from workbench.core.model import Code

    code = Code(
        id=args.id, name=args.name, parent_id=args.parent, description=args.description, dimension=args.dimension, color=args.color
    )
    with _open(args.dir) as store:
        placed = add_code(store, code, args.actor)
    _out(f"added code {placed.id} ({placed.name})" + (f" under {placed.parent_id}" if placed.parent_id else ""))
    return 0


def cmd_codebook_list(args: argparse.Namespace) -> int:
    from workbench.core.codebook import codebook

    with _open(args.dir) as store:
        book = codebook(store)
    if not book.codes:
        _out("(no codes)")
    for depth, code in book.walk():
        _out(f"{'  ' * depth}{code.id}  {code.name}")
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


def _cmd_history(kind: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        with _open(args.dir) as store:
            step = store.undo if kind == "undo" else store.redo
            action = step(args.actor, args.coder)
        _out(f"{kind}ne #{action.id}: {action.summary}" if kind == "undo" else f"redone #{action.id}: {action.summary}")
        return 0

    return run


def cmd_open(args: argparse.Namespace) -> int:
    from workbench.demo import ensure_user_demo

    directory = args.dir if args.dir is not None else ensure_user_demo()
    store = _open(directory)  # fail on the command line, before the screen is taken over
    from workbench.tui.app import WorkbenchApp

    WorkbenchApp(store).run()
    store.close()
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
        p.add_argument("--as", dest="actor", default=_user(), metavar="NAME", help="who does this, for the action log (default: $WORKBENCH_USER or your login)")

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
    actor(p)

    p = command(
        "import", cmd_import,
        "import transcripts and notes (.txt .docx .odt .rtf .vtt .srt) or questionnaires (.csv .xlsx, one respondent per row)",
    )
    project_dir(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--kind", metavar="KIND", help=f"document kind: {', '.join(KINDS)} (default: transcript)")
    p.add_argument("--case", metavar="ID", help="case (respondent) the documents belong to")
    sheet = p.add_argument_group("questionnaires (.csv, .xlsx)")
    sheet.add_argument("--id-column", metavar="COL", help="the respondent id column")
    sheet.add_argument("--attribute", action="append", default=[], metavar="COL=KEY",
                       help="an attribute column: KEY is respondent_group, function, wave or your own (repeatable)")
    sheet.add_argument("--question", action="append", default=[], metavar="COL",
                       help="a free-text question column (repeatable; default: every other column)")
    sheet.add_argument("--question-id", action="append", default=[], metavar="COL=ID", help="short id of a question column (default q1, q2, …)")
    sheet.add_argument("--wave", metavar="WAVE", help="measurement wave of every respondent (T1, T2, …)")
    sheet.add_argument("--sheet", metavar="NAME", help="worksheet (default: the first)")
    actor(p)

    p = command("cases", cmd_cases, "import case attributes (case id → respondent group, function, wave, …) from .csv or .xlsx")
    project_dir(p)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--id-column", required=True, metavar="COL", help="the case id column")
    p.add_argument("--sheet", metavar="NAME", help="worksheet (default: the first)")
    actor(p)

    p = command("code", cmd_code, "apply a code to a span of a document")
    project_dir(p)
    span(p)
    p.add_argument("--memo", default="", help="memo on the coding")

    p = command("uncode", cmd_uncode, "remove a coder's code from a span")
    project_dir(p)
    span(p)

    p = command("codings", cmd_codings, "dump every coding, sorted and without row ids (git-diffable)")
    project_dir(p)
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    p.add_argument("--document", metavar="NAME", help="only this document")
    p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")

    p = command("show", cmd_show, "print a document's text exactly as stored")
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

    p = command("status", cmd_status, "summarise a project")
    project_dir(p)
    p = command("log", cmd_log, "print the action log (audit trail)")
    project_dir(p)
    for name in ("undo", "redo"):
        p = command(name, _cmd_history(name), f"{name} the latest action (of one coder with --coder)")
        project_dir(p)
        p.add_argument("--coder", metavar="NAME", help=f"only {name} this coder's actions")
        actor(p)

    p = command("open", cmd_open, "open a project in the terminal UI (default: the demo project)")
    p.add_argument("dir", type=Path, nargs="?", metavar="DIR")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `workbench` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    # `workbench DIR` is short for `workbench open DIR`.
    if args_list and not args_list[0].startswith("-") and args_list[0] not in COMMANDS:
        args_list.insert(0, "open")
    if not args_list:
        args_list = ["open"]
    args = build_parser().parse_args(args_list)
    from workbench.errors import WorkbenchError

    try:
        return int(args.handler(args))
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
