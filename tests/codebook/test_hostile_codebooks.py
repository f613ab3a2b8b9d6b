"""Codebooks made to hurt (issue 15): too deep, looping aliases, devices; one line naming the file, the project unchanged.

Codes nest at most MAX_DEPTH (50) levels; every way in (a YAML or .qdc file, add, move, merge) refuses deeper, so
every export can nest what the project holds. A project from before the limit is refused in one line on YAML export.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import run_cli, table_rows
from workbench.core.codebook import add_code, add_codes, codebook, tree
from workbench.core.codebook.edit import merge_codes, move_code
from workbench.core.codebook.qdc import NAMESPACE, read_qdc
from workbench.core.codebook.tree import MAX_DEPTH
from workbench.core.codebook.yaml_file import parse_codebook
from workbench.core.model import Code
from workbench.core.store import Store
from workbench.errors import CodebookError


def _nested_yaml(levels: int) -> str:
    """A codebook whose single chain of codes is `levels` deep."""
    lines = ["name: Diep", "codes:"]
    indent = ""
    for level in range(1, levels + 1):
        lines += [f"{indent}  - id: c{level}", f"{indent}    name: Code {level}"]
        if level < levels:
            lines.append(f"{indent}    children:")
        indent += "    "
    return "\n".join(lines) + "\n"


def _chain(levels: int, prefix: str = "c") -> list[Code]:
    return [Code(id=f"{prefix}{level}", name=f"Code {level}", parent_id=f"{prefix}{level - 1}" if level > 1 else None)
            for level in range(1, levels + 1)]


def _one_line(result: object, path: Path, *words: str) -> None:
    stderr = result.stderr.decode()  # type: ignore[attr-defined]
    assert result.returncode == 1, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith(f"workbench: {path}: "), stderr
    for word in words:
        assert word in stderr, stderr


def test_a_yaml_codebook_nested_150_deep_is_refused_in_one_line_and_the_project_is_unchanged(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "diep.yaml"
    path.write_text(_nested_yaml(150), encoding="utf-8")
    before = table_rows(store)
    result = run_cli("codebook", store.project_dir, "sync", path, "--yes", check=False)
    _one_line(result, path, "nested more than", f"codes nest at most {MAX_DEPTH} levels")
    assert table_rows(store) == before


def test_one_level_past_the_limit_is_refused_with_the_line_of_the_code(tmp_path: Path) -> None:
    with pytest.raises(CodebookError) as refused:
        parse_codebook(_nested_yaml(MAX_DEPTH + 1), "diep.yaml")
    message = str(refused.value)
    assert message.startswith(f"diep.yaml: line {3 * MAX_DEPTH}: the children of 'c{MAX_DEPTH}' would sit {MAX_DEPTH + 1} levels deep")


def test_a_codebook_at_the_limit_syncs_and_exports_to_yaml_and_qdc_and_reads_back(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "vijftig.yaml"
    path.write_text(_nested_yaml(MAX_DEPTH), encoding="utf-8")
    run_cli("codebook", store.project_dir, "sync", path, "--yes")
    assert codebook(store).deepest() == MAX_DEPTH
    for name in ("terug.yaml", "terug.qdc"):
        run_cli("codebook", store.project_dir, "export", tmp_path / name)
    assert run_cli("codebook", store.project_dir, "sync", tmp_path / "terug.yaml", "--yes").stdout.decode().startswith(
        "the project's codebook already matches")
    assert len(read_qdc((tmp_path / "terug.qdc").read_bytes(), "terug.qdc").codes) == len(codebook(store).codes)


def test_a_250_deep_codebook_from_before_the_limit_is_refused_on_yaml_export_in_one_line(store: Store, tmp_path: Path,
                                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tree, "MAX_DEPTH", 1000)  # a project made before the limit existed
    add_codes(store, _chain(250, "d"), "senior", "een oud, diep codeboek")
    monkeypatch.undo()
    out = tmp_path / "diep.yaml"
    result = run_cli("codebook", store.project_dir, "export", out, check=False)
    stderr = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert "nests codes 250 levels deep; YAML takes at most 50" in stderr
    assert not out.exists()
    # the formats that need no recursion still take it
    run_cli("codebook", store.project_dir, "export", tmp_path / "diep.qdc")
    run_cli("codebook", store.project_dir, "export", tmp_path / "diep.md")


def test_adding_moving_or_merging_past_the_limit_is_refused_and_changes_nothing(store: Store) -> None:
    add_codes(store, _chain(MAX_DEPTH), "senior", "een diepe keten")
    add_codes(store, _chain(3, "t"), "senior", "een korte keten")
    before = table_rows(store)
    with pytest.raises(CodebookError, match=f"would sit {MAX_DEPTH + 1} levels deep; codes nest at most {MAX_DEPTH} levels"):
        add_code(store, Code(id="te-diep", name="Te diep", parent_id=f"c{MAX_DEPTH}"), "senior")
    with pytest.raises(CodebookError, match=f"'t1' would sit {MAX_DEPTH + 3} levels deep"):
        move_code(store, "t1", f"c{MAX_DEPTH}", "senior")
    with pytest.raises(CodebookError, match=f"'t2' would sit {MAX_DEPTH + 2} levels deep"):
        merge_codes(store, "t1", f"c{MAX_DEPTH}", "senior")
    assert table_rows(store) == before
    move_code(store, "t3", f"c{MAX_DEPTH - 1}", "senior")  # to depth 50: allowed
    assert codebook(store).depth("t3") == MAX_DEPTH


def test_a_qdc_nested_past_the_limit_is_refused_with_its_line() -> None:
    levels = MAX_DEPTH + 10
    body = "".join(f'<Code name="Code {level}" isCodable="true">\n' for level in range(levels)) + "</Code>" * levels
    data = f'<CodeBook xmlns="{NAMESPACE}"><Codes>\n{body}</Codes></CodeBook>'.encode()
    expected = rf"^diep.qdc: line {MAX_DEPTH + 2}: a code under 'Code {MAX_DEPTH - 1}' sits {MAX_DEPTH + 1} levels deep"
    with pytest.raises(CodebookError, match=expected):
        read_qdc(data, "diep.qdc")


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["name: Lachen", "codes:", "  - &l0 {id: a, name: A}"]
    for level in range(1, 30):  # each alias list doubles the codes a naive walk would visit: 2**30 in all
        lines.append(f"  - &l{level} {{id: a{level}, name: A, children: [*l{level - 1}, *l{level - 1}]}}")
    started = time.monotonic()
    with pytest.raises(CodebookError, match="duplicate code id"):
        parse_codebook("\n".join(lines) + "\n", "lachen.yaml")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("name", ["nul.yaml", "nul.qdc"])
def test_a_codebook_that_links_to_dev_zero_is_refused_without_reading_it(store: Store, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.symlink_to("/dev/zero")
    before = table_rows(store)
    _one_line(run_cli("codebook", store.project_dir, "sync", path, "--yes", check=False), path, "not a regular file")
    assert table_rows(store) == before
