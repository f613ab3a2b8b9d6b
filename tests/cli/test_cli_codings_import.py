"""`workbench codings DIR --import FILE`: a dump read back, checked as a whole, applied as one undoable action."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import run_cli, table_rows
from workbench.core.store import Store


def _dump(project: Path, fmt: str) -> str:
    return run_cli("codings", project, "--format", fmt).stdout.decode()


def test_researcher_moves_a_coders_work_into_a_copy_and_undoes_it_in_one_step(demo: Store, tmp_path: Path) -> None:
    project = demo.project_dir
    rows = [json.loads(line) for line in _dump(project, "jsonl").splitlines()]
    assert len(rows) > 10
    moved = tmp_path / "moved.jsonl"
    moved.write_text("".join(json.dumps({**r, "coder": "tweede_coder"}) + "\n" for r in rows), encoding="utf-8")

    out = run_cli("codings", project, "--import", moved, "--as", "lead").stdout.decode()
    assert out == f"imported {len(rows)} codings from {moved}\n"
    after = [json.loads(line) for line in _dump(project, "jsonl").splitlines()]
    copied = [{**r, "coder": "tweede_coder"} for r in rows]
    assert sorted(map(repr, (r for r in after if r["coder"] == "tweede_coder"))) == sorted(map(repr, copied))
    assert f"imported {len(rows)} codings from moved.jsonl" in run_cli("log", project).stdout.decode().splitlines()[-1]

    again = run_cli("codings", project, "--import", moved).stdout.decode()
    assert again == f"imported 0 codings from {moved} ({len(rows)} already in the project)\n"

    run_cli("undo", project, "--as", "lead")
    assert [json.loads(line) for line in _dump(project, "jsonl").splitlines()] == rows


def test_a_csv_dump_with_memos_over_lines_comes_back_exactly(demo: Store, tmp_path: Path) -> None:
    project = demo.project_dir
    first = next(csv.DictReader(io.StringIO(_dump(project, "csv"))))
    run_cli(
        "code", project, "--document", first["document"], "--start", first["start"], "--end", first["end"], "--code", first["code"],
        "--coder", "derde", "--memo", 'twee regels,\n"met" komma',
    )
    dump = tmp_path / "codings.csv"
    run_cli("codings", project, "--format", "csv", "--out", dump)
    before = dump.read_text(encoding="utf-8")
    run_cli("undo", project)
    assert _dump(project, "csv") != before
    assert run_cli("codings", project, "--import", dump).stdout.decode().startswith("imported 1 codings")
    assert _dump(project, "csv") == before


def test_every_wrong_row_is_named_and_nothing_is_applied(demo: Store, tmp_path: Path) -> None:
    project = demo.project_dir
    good = json.loads(_dump(project, "jsonl").splitlines()[0])
    lines = [
        json.dumps({**good, "coder": "nieuw"}),
        json.dumps({**good, "document": "interview_99"}),
        json.dumps({**good, "end": good["end"] + 10**7}),
        json.dumps({**good, "text": good["text"] + "x"}),
        json.dumps({**good, "code": "geen-code"}),
        json.dumps({k: v for k, v in good.items() if k != "coder"}),
        json.dumps({**good, "start": "vier"}),
        "{not json",
        json.dumps({k: v for k, v in good.items() if k not in ("text", "memo", "created", "code_path")} | {"coder": "zonder_tekst"}),
    ]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = table_rows(demo)

    result = run_cli("codings", project, "--import", bad, check=False)

    assert result.returncode == 1
    errors = result.stderr.decode().splitlines()
    assert errors[0] == f"workbench: {bad}: nothing imported, 7 rows refused:"
    assert sorted(int(line.split(" line ")[1].split(":")[0]) for line in errors[1:]) == [2, 3, 4, 5, 6, 7, 8]
    assert any("line 2: no document 'interview_99'" in e for e in errors)
    assert any("line 4: text " in e and "is not what" in e for e in errors)
    assert any("line 5: unknown code 'geen-code'" in e for e in errors)
    assert any("line 6: no coder" in e for e in errors)
    assert table_rows(demo) == before


def test_a_file_that_is_not_a_codings_dump_is_refused_in_one_line(demo: Store, tmp_path: Path) -> None:
    sheet = tmp_path / "codings.csv"
    sheet.write_text("document,begin,einde\nx,1,2\n", encoding="utf-8")
    result = run_cli("codings", demo.project_dir, "--import", sheet, check=False)
    assert result.returncode == 1
    needs = "(a codings file needs document, start, end, code, coder)"
    assert result.stderr.decode() == f"workbench: {sheet}: no column 'start', 'end', 'code', 'coder' {needs}\n"
    other = tmp_path / "codings.txt"
    other.write_text("", encoding="utf-8")
    assert "read from .jsonl or .csv" in run_cli("codings", demo.project_dir, "--import", other, check=False).stderr.decode()
