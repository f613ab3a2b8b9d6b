"""The report writer lists, adds, changes and removes tables from the command line; the file keeps what it had."""

from __future__ import annotations

from tests.conftest import run_cli
from workbench.core.codings import add_coding
from workbench.core.store import Store
from workbench.core.tables_file import read_tables


def _run(*args: str) -> tuple[int, str, str]:
    result = run_cli(*args, check=False)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def test_tables_new_edit_list_remove_without_yaml(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=10, code_id="contact", coder="junior")
    folder = str(store.project_dir)
    code, out, err = _run("tables", folder, "list")
    assert code == 0 and out.startswith("1\tTabel 1. Succesfactoren (n={n})\t1 themes\tcounts every coder's codings together")
    (store.project_dir / "tables.yaml").write_text(
        (store.project_dir / "tables.yaml").read_text(encoding="utf-8") + "# the report's chapter 6 tables follow\n", encoding="utf-8"
    )
    code, out, err = _run("tables", folder, "new", "6.6", "--caption", "Tabel 6.6. Wat helpt (n={n})", "--themes", "succesfactoren",
                              "--coder", "junior", "--doc-kind", "transcript")
    assert code == 0, err
    assert out.strip().endswith("Tabel 6.6. Wat helpt (n={n}) (1 themes, counts junior's codings)")
    code, out, err = _run("tables", folder, "edit", "6.6", "--unit", "mentions", "--coder", "all")
    assert code == 0, err
    [_, added] = read_tables(store.project_dir / "tables.yaml")
    assert (added.unit.value, added.coder, added.source.kinds) == ("mentions", None, ("transcript",))  # type: ignore[union-attr]
    assert "# the report's chapter 6 tables follow\n" in (store.project_dir / "tables.yaml").read_text(encoding="utf-8")
    code, out, err = _run("tables", folder, "--out", str(store.project_dir / "t.md"))
    assert code == 0 and "Tabel 6.6. Wat helpt (n=1)" in (store.project_dir / "t.md").read_text(encoding="utf-8")
    code, out, err = _run("tables", folder, "remove", "1")
    assert code == 0 and [d.id for d in read_tables(store.project_dir / "tables.yaml")] == ["6.6"]


def test_a_table_with_an_unknown_theme_or_a_taken_id_is_refused_in_one_line_and_the_file_untouched(store: Store) -> None:
    folder = str(store.project_dir)
    _run("tables", folder, "list")
    before = (store.project_dir / "tables.yaml").read_text(encoding="utf-8")
    code, out, err = _run("tables", folder, "new", "--caption", "X", "--themes", "nope")
    assert code == 1 and err.strip().count("\n") == 0 and "no code 'nope' in the codebook" in err
    code, out, err = _run("tables", folder, "new", "1", "--caption", "X", "--themes", "contact")
    assert code == 1 and "there is a table '1' already" in err
    code, out, err = _run("tables", folder, "edit", "7", "--caption", "X")
    assert code == 1 and "no table '7'" in err
    code, out, err = _run("tables", folder)
    assert code == 1 and "give --out FILE" in err
    assert (store.project_dir / "tables.yaml").read_text(encoding="utf-8") == before
