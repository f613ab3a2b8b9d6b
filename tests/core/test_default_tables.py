"""A researcher's own project gets the report's kind of table without writing tables.yaml by hand."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import run_cli, screen_lines
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp

CODEBOOK = """\
name: Eigen studie
codes:
  - id: succesfactoren
    name: Succesfactoren
    children:
      - id: team
        name: M.b.t. team
        children:
          - {id: team-steun, name: Steun van collega's}
          - {id: team-stabiel, name: Stabiel team}
      - id: contact
        name: M.b.t. contact
        children:
          - {id: contact-laagdrempelig, name: Laagdrempelig contact}
  - id: knelpunten
    name: Knelpunten
    children:
      - {id: knelpunten-weekend, name: Weinig te doen in het weekend}
  - id: overig
    name: Overig
"""
ANSWERS = {
    "R1": "Collega's helpen elkaar en het team is stabiel.",
    "R2": "Het contact is laagdrempelig.",
    "R3": "Weinig te doen in het weekend. Collega's helpen.",
}
CODED = [("R1", "team-steun", "Collega's helpen elkaar"), ("R1", "team-stabiel", "het team is stabiel"),
         ("R2", "contact-laagdrempelig", "Het contact is laagdrempelig."), ("R3", "knelpunten-weekend", "Weinig te doen in het weekend."),
         ("R3", "team-steun", "Collega's helpen.")]


def _own_project(tmp_path: Path, codebook: str = CODEBOOK) -> Path:
    project = tmp_path / "studie"
    (tmp_path / "codebook.yaml").write_text(codebook, encoding="utf-8")
    answers = tmp_path / "vragenlijst.csv"
    answers.write_text("id,Wat gaat goed?\n" + "".join(f'{r},"{text}"\n' for r, text in ANSWERS.items()), encoding="utf-8")
    run_cli("new", project)
    run_cli("codebook", project, "sync", tmp_path / "codebook.yaml", "--yes")
    run_cli("import", project, answers, "--kind", "questionnaire answer", "--id-column", "id", "--question-id", "Wat gaat goed?=q1")
    for respondent, code_id, passage in CODED:
        start = ANSWERS[respondent].index(passage)
        run_cli("code", project, "--document", f"vragenlijst/{respondent}/q1", "--start", str(start), "--end",
                str(start + len(passage)), "--code", code_id, "--coder", "junior")
    return project


def _counts(path: Path) -> list[tuple[str, str, list[tuple[str, int]]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    tables = data if isinstance(data, list) else [data]
    return [
        (table["caption"], theme["theme"], [(item["text"], item["count"]) for item in theme["items"]])
        for table in tables for theme in table["themes"]
    ]


def test_a_new_project_gets_one_table_per_dimension_counting_respondents(tmp_path: Path) -> None:
    project = _own_project(tmp_path)
    assert not (project / "tables.yaml").exists()

    out = tmp_path / "tabellen.json"
    said = run_cli("tables", project, "--out", out).stdout.decode()

    assert said.splitlines()[0].startswith(f"wrote {project / 'tables.yaml'}: one table per dimension")
    assert _counts(out) == [
        ("Tabel 1. Succesfactoren (n=3)", "M.b.t. team", [("Steun van collega's", 2), ("Stabiel team", 1)]),
        ("Tabel 1. Succesfactoren (n=3)", "M.b.t. contact", [("Laagdrempelig contact", 1)]),
        # Codes right under a dimension: the dimension is the table's one theme row.
        ("Tabel 2. Knelpunten (n=3)", "Knelpunten", [("Weinig te doen in het weekend", 1)]),
    ]  # "Overig" has no codes, so no table
    written = yaml.safe_load((project / "tables.yaml").read_text(encoding="utf-8"))
    assert [table["themes"] for table in written["tables"]] == [["team", "contact"], ["knelpunten"]]


def test_the_default_file_is_written_once_and_the_users_edits_are_kept(tmp_path: Path) -> None:
    project = _own_project(tmp_path)
    run_cli("tables", project, "--out", tmp_path / "first.json")
    edited = (project / "tables.yaml").read_text(encoding="utf-8").replace("Tabel 1. Succesfactoren", "Tabel 6.7. Wat gaat goed")
    (project / "tables.yaml").write_text(edited, encoding="utf-8")

    said = run_cli("tables", project, "--out", tmp_path / "second.json").stdout.decode()

    assert "tables.yaml" not in said
    assert _counts(tmp_path / "second.json")[0][0] == "Tabel 6.7. Wat gaat goed (n=3)"


def test_a_project_without_codes_gets_one_line_and_no_file(tmp_path: Path) -> None:
    project = tmp_path / "leeg"
    run_cli("new", project)

    result = run_cli("tables", project, "--out", tmp_path / "t.json", check=False)

    assert result.returncode == 1
    assert result.stderr.decode().count("\n") == 1 and "the codebook has no codes" in result.stderr.decode()
    assert not (project / "tables.yaml").exists() and not (tmp_path / "t.json").exists()


async def test_the_tables_screen_of_a_new_project_shows_the_default_tables(tmp_path: Path) -> None:
    project = _own_project(tmp_path)
    store = Store.open(project)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Tabel 1. Succesfactoren" in shown and "Tabel 2. Knelpunten" in shown
        assert "no such file" not in shown
        assert "Steun van collega's" in shown  # the first table's preview
    store.close()
    assert (project / "tables.yaml").exists()
