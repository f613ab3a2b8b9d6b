"""The Huis van Herstel demo: real files written from the corpus sources, imported and coded through the store.

corpora/huis_van_herstel/ holds the constructed material as text (diffable): questionnaires as YAML
(respondents, answers and the quotes that express each item), notes and interview transcripts as plain
text, the codings of those as YAML; a second coder's codings of the staff questionnaire and two interviews
(codings_onderzoeker2.yaml) give the coder comparison real disagreements. Building the demo writes what a
researcher would have received — an .xlsx per questionnaire, a .docx per interview — imports those through
the normal importers and codes them through the normal store, so the demo proves the whole path, not a shortcut.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.batch import add_cases, add_documents
from workbench.core.codebook.sync import sync_file
from workbench.core.codings import add_coding
from workbench.core.corpus import get_document
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.store import Store
from workbench.errors import WorkbenchError
from workbench.importers import failed, import_files
from workbench.importers._tabular import ColumnMapping, questionnaire_documents
from workbench.locations import shipped_codebook

BUILDER = "demo-builder"
CODER = "onderzoeker1"
#: The second coder: the staff questionnaire T1 and two interviews, coded independently (the report counts CODER).
SECOND_CODER = "onderzoeker2"
QUESTIONNAIRES = ("questionnaire_T1.yaml", "inspiratiesessie_partners.yaml", "inspiratiesessie_medewerkers.yaml")
#: Respondent fields of the questionnaire YAML that become spreadsheet columns, and the attribute each maps to.
ATTRIBUTE_COLUMNS = {
    "function": ("Functie", "function"),
    "opleiding": ("Opleiding", "opleiding"),
    "dji_achtergrond": ("DJI-achtergrond", "dji_achtergrond"),
    "werkplezier": ("Werkplezier", "werkplezier"),
}


@dataclass(frozen=True)
class Quote:
    """A coding given as the exact passage it covers."""

    document: str
    code: str
    quote: str
    occurrence: int = 1
    coder: str = CODER
    memo: str = ""


def _yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WorkbenchError(f"{path}: cannot read the demo source ({exc})") from None


def _write_questionnaire(spec: dict[str, Any], path: Path) -> ColumnMapping:
    """Write the questionnaire as the .xlsx a researcher gets from the survey tool; return its column mapping."""
    import pandas as pd  # type: ignore[import-untyped]

    questions = [(str(q["id"]), str(q["text"])) for q in spec["questions"]]
    used = [field for field in ATTRIBUTE_COLUMNS if any(field in r for r in spec["respondents"])]
    rows = []
    for respondent in spec["respondents"]:
        row = {"Respondent": respondent["id"], "Groep": spec["respondent_group"]}
        row.update({ATTRIBUTE_COLUMNS[field][0]: str(respondent.get(field, "")) for field in used})
        answers = respondent.get("answers") or {}
        row.update({text: (answers.get(qid) or {}).get("text", "") for qid, text in questions})
        rows.append(row)
    pd.DataFrame(rows).to_excel(path, index=False, engine="openpyxl")
    return ColumnMapping(
        id_column="Respondent",
        attribute_columns={"Groep": "respondent_group", **{ATTRIBUTE_COLUMNS[f][0]: ATTRIBUTE_COLUMNS[f][1] for f in used}},
        question_columns=tuple(text for _, text in questions),
        question_ids={text: qid for qid, text in questions},
    )


def _questionnaire_quotes(spec: dict[str, Any], stem: str) -> Iterator[Quote]:
    for respondent in spec["respondents"]:
        for qid, answer in (respondent.get("answers") or {}).items():
            for coding in (answer or {}).get("codings") or []:
                yield Quote(f"{stem}/{respondent['id']}/{qid}", str(coding["code"]), str(coding["quote"]), int(coding.get("occurrence", 1)))


def _listed_quotes(path: Path, coder: str) -> list[Quote]:
    """A coder's codings listed as document, code, quote (and occurrence) in a YAML file."""
    return [
        Quote(str(c["document"]), str(c["code"]), str(c["quote"]), int(c.get("occurrence", 1)), coder=coder)
        for c in _yaml(path)
    ]


def _write_transcript_docx(text: str, path: Path) -> None:
    """An interview as a Word transcript: one paragraph per turn, the speaker label in bold."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        label, sep, rest = line.partition(": ")
        paragraph = document.add_paragraph()
        if sep and label in ("I", "R"):
            paragraph.add_run(f"{label}:").bold = True
            paragraph.add_run(f" {rest}")
        else:
            paragraph.add_run(line)
    document.save(str(path))


def _nth(text: str, quote: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start < 0:
            return -1
    return start


def code_quotes(store: Store, quotes: Sequence[Quote], where: str) -> int:
    """Make each coding at the n-th occurrence of its quote; a quote not found names `where` and the document."""
    texts: dict[str, str] = {}
    for quote in quotes:
        if quote.document not in texts:
            texts[quote.document] = get_document(store, quote.document).text
        start = _nth(texts[quote.document], quote.quote, quote.occurrence)
        if start < 0:
            raise WorkbenchError(f"{where}: quote not found {quote.occurrence}x in {quote.document!r}: {quote.quote[:60]!r}")
        end = start + len(quote.quote)
        add_coding(store, document=quote.document, start=start, end=end, code_id=quote.code, coder=quote.coder, memo=quote.memo)
    return len(quotes)


def build_huis_van_herstel(source_dir: Path, project_dir: Path, codebook: Path | None = None, database: str | None = None) -> Store:
    """Build the Huis van Herstel demo project from corpora/huis_van_herstel/ into a new folder (its data on the
    PostgreSQL server `database` names, if given)."""
    if project_dir.exists():
        raise WorkbenchError(f"{project_dir}: already exists; the demo is built into a new folder")
    description = "Constructed from the published tables; not real data."
    store = Store.create(project_dir, "Huis van Herstel (demo)", description=description, actor=BUILDER, database=database)
    try:
        sources = project_dir / "sources"
        (sources / "interviews").mkdir(parents=True)
        linked = project_dir / "codebook.yaml"
        shutil.copyfile(codebook or shipped_codebook(), linked)
        sync_file(store, linked, BUILDER, apply=True)
        shutil.copyfile(source_dir / "tables.yaml", project_dir / "tables.yaml")
        shutil.copyfile(source_dir / "README.md", project_dir / "README.md")

        quotes: list[Quote] = []
        for name in QUESTIONNAIRES:
            spec = _yaml(source_dir / name)
            sheet = sources / f"{Path(name).stem}.xlsx"
            mapping = _write_questionnaire(spec, sheet)
            answers = questionnaire_documents(sheet, mapping, wave=str(spec["wave"]))
            add_documents(store, answers, actor=BUILDER, summary=f"imported questionnaire {sheet.name} ({len(answers)} answers)")
            quotes += _questionnaire_quotes(spec, sheet.stem)

        notes = sorted((source_dir / "gesprekken").glob("*.txt"))
        interviews = []
        for transcript in sorted((source_dir / "interviews").glob("*.txt")):
            target = sources / "interviews" / f"{transcript.stem}.docx"
            _write_transcript_docx(transcript.read_text(encoding="utf-8"), target)
            interviews.append(target)
        for paths, kind in ((notes, DocumentKind.NOTES), (interviews, DocumentKind.TRANSCRIPT)):
            for outcome in failed(import_files(store, paths, actor=BUILDER, kind=kind)):
                raise WorkbenchError(f"demo {source_dir.name}: {outcome.error}")

        with (source_dir / "deelnemers.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        add_cases(
            store,
            {r["deelnemer"]: CaseAttributes(respondent_group=r["groep"], wave=r["meting"]) for r in rows},
            actor=BUILDER,
            summary="imported deelnemers.csv",
            documents={r["deelnemer"]: [r["transcript"]] for r in rows},
            source=str(source_dir / "deelnemers.csv"),
            strict=True,  # the demo's sheet names only transcripts it ships
        )
        quotes += _listed_quotes(source_dir / "codings.yaml", CODER)
        quotes += _listed_quotes(source_dir / "codings_onderzoeker2.yaml", SECOND_CODER)
        code_quotes(store, quotes, str(source_dir))
    except BaseException:
        store.close()
        shutil.rmtree(project_dir, ignore_errors=True)
        raise
    return store
