"""Syncing a YAML codebook into a coded project shows the changes first; edits in the workbench rewrite the file."""

from __future__ import annotations

import errno
import threading
from pathlib import Path

import pytest

from tests.conftest import run_cli, table_rows
from workbench.core.codebook import add_code, codebook
from workbench.core.codebook.edit import rename_code
from workbench.core.codebook.export import export_codebook
from workbench.core.codebook.qdc import code_guid
from workbench.core.codebook.sync import edit_codebook, step_history, sync_file
from workbench.core.codebook.yaml_file import read_codebook_file
from workbench.core.codings import add_coding, coded_segments
from workbench.core.model import Code
from workbench.core.store import Store
from workbench.errors import CodebookError, StoreError, WorkbenchError
from workbench.locations import shipped_codebook

YAML = """\
name: Studie
codes:
  - id: succesfactoren
    name: Succesfactoren
    children:
      - id: team
        name: M.b.t. team
      - id: contact
        name: M.b.t. contact
"""


def _linked(store: Store, tmp_path: Path) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(YAML, encoding="utf-8")
    sync_file(store, path, "senior", apply=True)
    return path


def test_a_changed_yaml_reports_its_changes_and_applies_them_keeping_codings(store: Store, tmp_path: Path) -> None:
    # The conftest project has codes succesfactoren and contact; the file adds one, renames one.
    path = _linked(store, tmp_path)
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    edited = YAML.replace("M.b.t. contact", "M.b.t. contact met personeel") + "      - id: rust\n        name: Rust\n"
    path.write_text(edited, encoding="utf-8")
    plan = sync_file(store, path, "senior", apply=False)
    assert plan.lines() == ["+ add rust (Rust) under succesfactoren", "~ contact: rename 'M.b.t. contact' → 'M.b.t. contact met personeel'"]
    assert "rust" not in codebook(store).by_id  # planning changes nothing
    sync_file(store, path, "senior", apply=True)
    assert codebook(store).get("rust").parent_id == "succesfactoren"
    assert [s.code_name for s in coded_segments(store)] == ["M.b.t. contact met personeel"]


def test_removing_a_code_that_is_in_use_is_blocked(store: Store, tmp_path: Path) -> None:
    path = _linked(store, tmp_path)
    add_coding(store, document="interview_01", start=0, end=5, code_id="team", coder="junior")
    path.write_text(YAML.replace("      - id: team\n        name: M.b.t. team\n", ""), encoding="utf-8")
    plan = sync_file(store, path, "senior", apply=False)
    assert plan.blocked == ("team (M.b.t. team) is used by 1 codings: keep it in the file, or merge it into another code first",)
    with pytest.raises(CodebookError, match="sync refused: team"):
        sync_file(store, path, "senior", apply=True)
    assert "team" in codebook(store).by_id


def test_an_edit_in_the_workbench_rewrites_the_linked_yaml(store: Store, tmp_path: Path) -> None:
    path = _linked(store, tmp_path)
    edited = edit_codebook(store, lambda: rename_code(store, "team", "M.b.t. het team", "senior"))
    assert edited.result.name == "M.b.t. het team" and edited.yaml_path == path
    assert {c.id: c.name for c in read_codebook_file(path).codes}["team"] == "M.b.t. het team"


def test_an_edit_is_refused_when_the_yaml_was_changed_by_hand_since_the_last_sync(store: Store, tmp_path: Path) -> None:
    path = _linked(store, tmp_path)
    path.write_text(YAML + "      - id: nieuw\n        name: Nieuw\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="changed outside the workbench since the last sync"):
        edit_codebook(store, lambda: rename_code(store, "team", "Anders", "senior"))
    assert codebook(store).get("team").name == "M.b.t. team"
    assert "nieuw" in path.read_text(encoding="utf-8")  # the hand edit is not overwritten


def test_researcher_syncs_edits_and_undoes_from_the_command_line(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    path = tmp_path / "codebook.yaml"
    path.write_text(YAML, encoding="utf-8")
    shown = run_cli("codebook", project, "sync", path).stdout.decode()
    assert "+ add team (M.b.t. team) under succesfactoren" in shown and "run with --yes to apply" in shown
    run_cli("codebook", project, "sync", path, "--yes")
    assert run_cli("codebook", project, "list").stdout.decode().splitlines()[1] == "  team  M.b.t. team"

    out = run_cli("codebook", project, "rename", "team", "M.b.t. het team").stdout.decode()
    assert f"updated {path}" in out and "name: M.b.t. het team" in path.read_text(encoding="utf-8")
    run_cli("undo", project)
    assert "name: M.b.t. team\n" in path.read_text(encoding="utf-8")

    run_cli("codebook", project, "move", "contact", "--top")
    assert [c.id for c in read_codebook_file(path).codes if c.parent_id is None] == ["succesfactoren", "contact"]
    run_cli("codebook", project, "export", tmp_path / "kopie.yaml")
    assert read_codebook_file(tmp_path / "kopie.yaml").codes == read_codebook_file(path).codes


def test_researcher_exchanges_the_codebook_with_other_tools_and_writes_the_appendix(tmp_path: Path) -> None:
    import docx

    project = tmp_path / "proj"
    run_cli("new", project)
    shipped = shipped_codebook()
    run_cli("codebook", project, "sync", shipped, "--yes")
    run_cli("codebook", project, "export", tmp_path / "hvh.qdc")
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in (tmp_path / "hvh.qdc").read_bytes()

    other = tmp_path / "other"
    run_cli("new", other)
    run_cli("codebook", other, "sync", tmp_path / "hvh.qdc", "--yes")  # as if from ATLAS.ti or MAXQDA

    def tree(project_dir: Path) -> list[tuple[int, str, str, str]]:
        with Store.open(project_dir) as opened:
            book = codebook(opened)
        return [(depth, code.name, code.description, code_guid(code)) for depth, code in book.walk()]

    assert tree(other) == tree(project), "the same tree, descriptions and guids (a new project gives its own ids)"
    back = run_cli("codebook", project, "sync", tmp_path / "hvh.qdc", "--yes").stdout.decode()
    assert back.startswith("the project's codebook already matches"), f"our own export syncs back unchanged: {back}"
    run_cli("codebook", other, "export", tmp_path / "again.qdc")
    assert (tmp_path / "again.qdc").read_bytes() == (tmp_path / "hvh.qdc").read_bytes()

    run_cli("codebook", project, "export", tmp_path / "appendix.md", "--usage")
    run_cli("codebook", project, "export", tmp_path / "appendix.docx")
    names = [c.name for c in read_codebook_file(shipped).codes]
    markdown = (tmp_path / "appendix.md").read_text(encoding="utf-8")
    assert "Used 0 times" in markdown and markdown.startswith("# Huis van Herstel")
    document_text = "\n".join(p.text for p in docx.Document(str(tmp_path / "appendix.docx")).paragraphs)
    assert all(name in document_text for name in names)


def test_undoing_a_coding_leaves_a_hand_edited_yaml_alone(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    source = tmp_path / "antwoord.txt"
    source.write_text("Het team helpt echt.", encoding="utf-8")
    run_cli("import", project, source)
    path = tmp_path / "codebook.yaml"
    path.write_text(YAML, encoding="utf-8")
    run_cli("codebook", project, "sync", path, "--yes")
    run_cli("code", project, "--document", "antwoord", "--start", 0, "--end", 8, "--code", "team", "--coder", "jan")
    edited = YAML + "      - id: nieuw\n        name: Nieuw\n"
    path.write_text(edited, encoding="utf-8")  # the researcher is editing the codebook by hand
    result = run_cli("undo", project, check=False)  # undoes the coding, which is no codebook change
    assert result.returncode == 0, result.stderr.decode()
    assert "updated" not in result.stdout.decode()
    assert path.read_text(encoding="utf-8") == edited


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every atomic file write fails at its last step, as on a full disk: the only way to fail a write that root cannot bypass."""

    def replace(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr("workbench.core.files.os.replace", replace)


def test_an_edit_whose_yaml_cannot_be_written_is_rolled_back_and_the_file_left_alone(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _linked(store, tmp_path)
    before, yaml_bytes = table_rows(store), path.read_bytes()
    _full_disk(monkeypatch)
    with pytest.raises(CodebookError) as raised:
        edit_codebook(store, lambda: add_code(store, Code(id="rust", name="Rust", parent_id="succesfactoren"), "senior"))
    assert str(raised.value) == f"{path}: cannot write the codebook (No space left on device); nothing changed"
    assert table_rows(store) == before  # no code, no action in the log, the same digest
    assert path.read_bytes() == yaml_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["codebook.yaml", "project"]  # no temporary file left behind


def test_undo_and_redo_rewrite_the_yaml_in_their_transaction_or_not_at_all(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _linked(store, tmp_path)
    edit_codebook(store, lambda: rename_code(store, "team", "M.b.t. het team", "senior"))
    renamed, before = path.read_bytes(), table_rows(store)
    with monkeypatch.context() as patch:
        _full_disk(patch)
        with pytest.raises(CodebookError, match=r"No space left on device\); nothing changed"):
            step_history(store, "undo", "senior")
        assert table_rows(store) == before and path.read_bytes() == renamed

    undone = step_history(store, "undo", "senior")
    assert undone.action.summary == "renamed 'team' from 'M.b.t. team' to 'M.b.t. het team'" and undone.yaml_path == path
    assert {c.id: c.name for c in read_codebook_file(path).codes}["team"] == "M.b.t. team"
    redone = step_history(store, "redo", "senior")
    assert redone.yaml_path == path and "name: M.b.t. het team" in path.read_text(encoding="utf-8")


def test_a_commit_check_runs_for_the_thread_that_set_it_only(store: Store) -> None:
    seen: list[frozenset[str]] = []

    def worker() -> None:
        add_code(store, Code(id="rust", name="Rust"), "importer")

    with store.checking_commits(lambda _conn, touched: seen.append(touched)):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert seen == []  # e.g. an import in a TUI worker while the codebook screen edits
        add_code(store, Code(id="team", name="Team"), "senior")
    add_code(store, Code(id="later", name="Later"), "senior")
    assert seen == [frozenset({"codes"})]


def test_the_codebook_exports_in_the_format_its_name_asks_for(store: Store, tmp_path: Path) -> None:
    assert export_codebook(store, tmp_path / "codes.yml") == tmp_path / "codes.yml"
    assert [c.id for c in read_codebook_file(tmp_path / "codes.yml").codes] == ["succesfactoren", "contact"]
    export_codebook(store, tmp_path / "bijlage.markdown", usage=True)
    assert "M.b.t. contact met personeel" in (tmp_path / "bijlage.markdown").read_text(encoding="utf-8")
    with pytest.raises(WorkbenchError) as raised:
        export_codebook(store, tmp_path / "missing" / "codes.qdc")
    assert str(raised.value) == f"{tmp_path / 'missing' / 'codes.qdc'}: folder {tmp_path / 'missing'} does not exist"
    with pytest.raises(CodebookError, match="cannot tell the codebook format from .txt"):
        export_codebook(store, tmp_path / "codes.txt")


def test_a_commit_that_fails_after_the_yaml_was_written_puts_the_old_file_back(store: Store, tmp_path: Path) -> None:
    path = _linked(store, tmp_path)
    before, yaml_bytes = table_rows(store), path.read_bytes()

    def commit_fails(conn: object, touched: frozenset[str]) -> None:
        # Runs after the YAML check, as the last step of the transaction: the database refuses the commit (disk I/O error).
        assert b"rust" in path.read_bytes(), "the file was already written when the commit failed"
        raise StoreError(f"{store.db_path}: add code not saved (disk I/O error)")

    def add_then_fail() -> Code:
        with store.checking_commits(commit_fails):
            return add_code(store, Code(id="rust", name="Rust", parent_id="succesfactoren"), "senior")

    with pytest.raises(StoreError, match=r"not saved \(disk I/O error\)$"):
        edit_codebook(store, add_then_fail)
    assert table_rows(store) == before
    assert path.read_bytes() == yaml_bytes  # back as the project knows it: the next edit needs no sync
    edit_codebook(store, lambda: rename_code(store, "team", "Het team", "senior"))
    assert "name: Het team" in path.read_text(encoding="utf-8")
