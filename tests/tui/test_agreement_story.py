"""The senior's story: two coders code copies of one project, the senior merges them, reads agreement per code,
settles every disagreement in the agreement screen, and the report's table built from "consensus" counts what was settled."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from textual.widgets import DataTable

from tests.conftest import run_cli, screen_lines
from workbench.core.comparison.model import CONSENSUS
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.agreement import AgreementScreen
from workbench.tui.screens.disagreements import DisagreementsScreen

ANSWERS = {
    "M01": "Het contact met het personeel is goed. Hier word je echt gezien.",
    "M02": "Het team staat klaar en het contact is laagdrempelig.",
    "M03": "Weinig te doen in het weekend.",
    "M04": "Collega's helpen elkaar.",
    "M05": "Geen idee.",
}
CODEBOOK = """\
name: Story
codes:
  - id: succesfactoren
    name: Succesfactoren
    children:
      - id: contact
        name: Contact met personeel
      - id: gezien
        name: Gezien worden
      - id: team
        name: Steun van het team
"""
TABLES = """\
tables:
  - id: "6.7"
    caption: "Tabel 6.7. Wat gaat echt goed (n={n})"
    source:
      kinds: [questionnaire answer]
    themes: [succesfactoren]
    coder: consensus
"""
#: (respondent, code, passage) per coder: a missed item, a neighbouring code, a boundary a few words off.
CODED = {
    "onderzoeker1": [
        ("M01", "contact", "Het contact met het personeel is goed."),
        ("M02", "team", "Het team staat klaar"),
        ("M03", "contact", "Weinig te doen in het weekend."),
        ("M04", "team", "Collega's helpen elkaar."),
    ],
    "onderzoeker2": [
        ("M01", "gezien", "Hier word je echt gezien."),
        ("M02", "team", "Het team staat klaar en"),
        ("M02", "contact", "het contact is laagdrempelig."),
        ("M04", "team", "Collega's helpen elkaar."),
    ],
}
#: The senior's decisions, per code in the screen, per disagreeing answer in text order: the key pressed.
DECISIONS = {"Contact met personeel": {"M01": "2", "M02": "2", "M03": "n"}, "Gezien worden": {"M01": "2"}}
#: What consensus holds after the decisions and copying the answers both coders agree on (M02 and M04: team).
SETTLED = {"Contact met personeel": 1, "Gezien worden": 1, "Steun van het team": 2}


def _name(respondent: str) -> str:
    return f"answers/{respondent}/q15"


def _code(project: Path, coder: str) -> None:
    for respondent, code_id, passage in CODED[coder]:
        start = ANSWERS[respondent].index(passage)
        run_cli("code", project, "--document", _name(respondent), "--start", str(start), "--end", str(start + len(passage)),
                "--code", code_id, "--coder", coder)


def _two_coded_copies(tmp_path: Path) -> tuple[Path, Path]:
    """The senior's project coded by onderzoeker1, and the copy onderzoeker2 coded on their own laptop."""
    ours = tmp_path / "huis"
    source = tmp_path / "answers.csv"
    source.write_text("respondent,Wat gaat echt goed?\n" + "".join(f'{r},"{text}"\n' for r, text in ANSWERS.items()), encoding="utf-8")
    (tmp_path / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    run_cli("new", ours, "--as", "senior")
    run_cli("codebook", ours, "sync", tmp_path / "codebook.yaml", "--yes", "--as", "senior")
    run_cli("import", ours, source, "--kind", "questionnaire answer", "--id-column", "respondent",
            "--question-id", "Wat gaat echt goed?=q15", "--as", "senior")
    (ours / "tables.yaml").write_text(TABLES, encoding="utf-8")
    theirs = tmp_path / "copy_onderzoeker2"
    shutil.copytree(ours, theirs)
    _code(ours, "onderzoeker1")
    _code(theirs, "onderzoeker2")
    return ours, theirs


def _table_counts(project: Path, tmp_path: Path) -> dict[str, int]:
    out = tmp_path / "tables.json"
    run_cli("tables", project, "--out", out, "--force")  # counted again after settling: the same file, replaced
    table = json.loads(out.read_text(encoding="utf-8"))
    return {item["text"]: item["count"] for theme in table["themes"] for item in theme["items"] if item["count"]}


async def _settle_code(app: WorkbenchApp, pilot: object, name: str, keys: dict[str, str]) -> list[str]:
    """Move the agreement table's cursor to the code, open its disagreements and press one key per unit."""
    screen = app.screen
    assert isinstance(screen, AgreementScreen)
    table = screen.query_one("#agreement-table", DataTable)
    for _ in range(table.row_count):
        if str(table.get_row_at(table.cursor_row)[0]) == name:
            break
        await pilot.press("down")  # type: ignore[attr-defined]
    assert str(table.get_row_at(table.cursor_row)[0]) == name
    await pilot.press("enter")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, DisagreementsScreen)
    listed = "\n".join(screen_lines(app))
    assert f"0 of {len(keys)} settled" in listed
    for respondent in keys:
        assert f"answers/{respondent}/q15" in listed  # each disagreement is shown with its answer's text
    for key in keys.values():
        await pilot.press(key)  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
    shown = screen_lines(app)
    await pilot.press("escape")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    return shown


async def test_senior_merges_two_coders_settles_every_disagreement_and_tables_count_the_consensus(tmp_path: Path) -> None:
    ours, theirs = _two_coded_copies(tmp_path)

    merged = run_cli("merge", ours, theirs, "--as", "senior").stdout.decode()
    assert "4 codings by onderzoeker2 added" in merged

    agreement = run_cli("agreement", ours, "--coders", "onderzoeker1,onderzoeker2", "--unit", "answer").stdout.decode()
    rows = {line.split("›")[1].split("  ")[0].strip(): line for line in agreement.splitlines() if "›" in line}
    assert set(rows) == set(SETTLED)
    assert " 100.0 " in rows["Steun van het team"] and " 40.0 " in rows["Contact met personeel"]

    store = Store.open(ours)
    app = WorkbenchApp(store, coder="senior")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)
        head = "\n".join(screen_lines(app)[:8])
        assert "onderzoeker1 vs onderzoeker2" in head and "5 documents" in head

        for name, keys in DECISIONS.items():
            shown = await _settle_code(app, pilot, name, keys)
            assert f"{len(keys)} of {len(keys)} settled" in "\n".join(shown)

        await pilot.press("A")  # the answers both coders coded alike go to consensus in one action
        await app.workers.wait_for_complete()
        await pilot.pause()
    store.close()

    assert _table_counts(ours, tmp_path) == SETTLED
    log = run_cli("log", ours).stdout.decode()
    assert log.count("senior") >= len(DECISIONS) + 1  # every decision and the copy are the senior's undoable actions

    # Undo the copy of agreed answers: the consensus table loses the team items again.
    run_cli("undo", ours, "--as", "senior")
    assert _table_counts(ours, tmp_path) == {k: v for k, v in SETTLED.items() if k != "Steun van het team"}
    assert CONSENSUS in run_cli("codings", ours).stdout.decode()
