"""`workbench edit` and `workbench orphans`: correct a transcript from a file or in $EDITOR, review what lost its words."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import INTERVIEW, run_cli
from workbench.core.codings import coded_segments
from workbench.core.corpus import get_document
from workbench.core.store import Store


def _coded(store: Store) -> Path:
    for words, code in (("Het contact met het personeel", "contact"), ("Hier word je echt gezien", "succesfactoren")):
        start = INTERVIEW.index(words)
        run_cli("code", store.project_dir, "--document", "interview_01", "--start", start, "--end", start + len(words),
                "--code", code, "--coder", "junior")
    return store.project_dir


def test_researcher_corrects_a_transcript_from_a_file_and_sees_what_happened_to_the_codings(store: Store, tmp_path: Path) -> None:
    project = _coded(store)
    fixed = tmp_path / "fixed.txt"
    fixed.write_text(INTERVIEW.replace("R: Het", "R: Nou, het").replace(" Hier word je echt gezien.", ""), encoding="utf-8")
    out = run_cli("edit", project, "interview_01", "--from", fixed, "--as", "junior").stdout.decode()
    # "Het" became "het": the coding keeps the word in its new capitals; "Nou, " typed before it is not its text.
    assert out.startswith("edited interview_01: 0 codings moved, 0 shrunk, 1 with rewritten words, 1 orphaned (listed: #1 'Hier wo")
    assert out.count("\n") == 1
    assert [s.text for s in coded_segments(store)] == ["het contact met het personeel"]
    listed = run_cli("orphans", project).stdout.decode().splitlines()
    assert listed[0].startswith("#1 'Hier word je echt gezien' succesfactoren (junior) in interview_01 near ")
    assert listed[-1] == "1 orphaned codings"
    assert "orphaned codings: 1 (review: workbench orphans)\n" in run_cli("status", project).stdout.decode()

    undone = run_cli("undo", project, "--as", "junior").stdout.decode()
    assert undone.startswith("undone #") and "edited interview_01" in undone
    assert get_document(store, "interview_01").text == INTERVIEW
    assert [s.text for s in coded_segments(store)] == ["Het contact met het personeel", "Hier word je echt gezien"]
    assert run_cli("orphans", project).stdout.decode() == "0 orphaned codings\n"
    assert "orphaned codings:" not in run_cli("status", project).stdout.decode()


def test_edit_opens_the_editor_and_an_unchanged_text_is_no_change(store: Store, tmp_path: Path) -> None:
    project = _coded(store)
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\np.write_text(p.read_text().replace('echt ', 'heel erg '))\n", encoding="utf-8"
    )
    out = run_cli("edit", project, "interview_01", "--as", "junior", env={"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""})
    assert out.stdout.decode() == "edited interview_01: 0 codings moved, 0 shrunk, 1 with rewritten words, 0 orphaned\n"
    assert coded_segments(store)[1].text == "Hier word je heel erg gezien"

    same = tmp_path / "same.txt"
    same.write_text(get_document(store, "interview_01").text + "\n", encoding="utf-8")  # an editor's added last line break
    assert run_cli("edit", project, "interview_01", "--from", same).stdout.decode() == "no change to interview_01\n"


def test_edit_errors_are_one_line_and_save_nothing(store: Store, tmp_path: Path) -> None:
    project = _coded(store)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"R: caf\xe9\n")
    result = run_cli("edit", project, "interview_01", "--from", bad, check=False)
    assert result.returncode == 1 and result.stderr.decode() == f"workbench: {bad}: not UTF-8 text (byte 6); nothing saved\n"
    failing = run_cli("edit", project, "interview_01", check=False, env={"EDITOR": "false", "VISUAL": ""})
    assert failing.stderr.decode() == "workbench: the editor 'false' exited with status 1; nothing saved\n"
    missing = run_cli("edit", project, "interview_01", check=False, env={"EDITOR": "no-such-editor-here", "VISUAL": ""})
    assert missing.stderr.decode().startswith("workbench: cannot start the editor 'no-such-editor-here'")
    unknown = run_cli("edit", project, "interview_99", "--from", bad, check=False)
    assert unknown.stderr.decode().startswith("workbench: ") and "no document named 'interview_99'" in unknown.stderr.decode()
    assert get_document(store, "interview_01").text == INTERVIEW


def test_a_coder_restores_an_orphan_on_the_corrected_text(store: Store, tmp_path: Path) -> None:
    project = _coded(store)
    fixed = tmp_path / "fixed.txt"
    new = INTERVIEW.replace("Hier word je echt gezien.", "Dat vind ik fijn.")
    fixed.write_text(new, encoding="utf-8")
    run_cli("edit", project, "interview_01", "--from", fixed, "--as", "junior")
    start = new.index("Dat vind ik fijn")
    refused = run_cli("orphans", project, "--restore", "1", "--start", start, "--end", start + 16, "--as", "senior", check=False)
    assert refused.stderr.decode().startswith("workbench: orphaned coding #1 ('succesfactoren') is junior's, not senior's")
    out = run_cli("orphans", project, "--restore", "1", "--start", start, "--end", start + 16, "--as", "junior").stdout.decode()
    assert out == f"restored orphan #1 as coding #2: {start}-{start + 16} succesfactoren (junior)\n"
    assert coded_segments(store)[1].text == "Dat vind ik fijn"
