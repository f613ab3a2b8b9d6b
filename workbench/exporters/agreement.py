"""Agreement reports out: a readable text table, JSON, Word (a methods appendix), Excel and a PNG chart of alpha per code.

`write_agreement(report, out, fmt)` is the one way to write a file; the format comes from the file name by
`agreement_format_of`. The Word, Excel and chart writers live in `_agreement_docx`, `_agreement_xlsx` and
`_agreement_chart` and load their packages lazily; the Dutch wording they share (captions, headers, the note
under the table, numbers with a decimal comma) is here.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.core.comparison.model import AgreementReport, CodeAgreement, UnitKind
from workbench.core.text import shorten
from workbench.exporters import ExportError, _write_atomically

#: Every agreement format, in the order a front end offers them; "table" is the text table.
AGREEMENT_FORMATS = ("table", "json", "docx", "xlsx", "png")
_EXTENSIONS = {".txt": "table", ".json": "json", ".docx": "docx", ".xlsx": "xlsx", ".png": "png"}
#: What is shown where a statistic is undefined.
MISSING = "–"
_CODE_WIDTH = 48

#: Unit kinds as a Dutch report names them (singular).
UNIT_NL = {
    UnitKind.ANSWER: "antwoord", UnitKind.TURN: "spreekbeurt", UnitKind.SENTENCE: "zin", UnitKind.PARAGRAPH: "alinea",
    UnitKind.RESPONDENT: "respondent", UnitKind.DOCUMENT: "document", UnitKind.SEGMENT: "gecodeerd segment",
    UnitKind.CHARACTER: "teken", UnitKind.CONTINUUM: "continuüm van tekens",
}
COUNTS_HEADER = "Gecodeerd (n)"
READING_NL = {"reliable": "betrouwbaar", "tentative": "voorlopig", "unreliable": "onvoldoende", "undefined": MISSING}
_UNIT_RULE_NL = {
    UnitKind.RESPONDENT: "Een respondent noemt een code als een codeur die code ergens in zijn of haar documenten toekende.",
    UnitKind.DOCUMENT: (
        "Per document: kende de codeur de code toe (bestaan), en hoe vaak (frequentie: % documenten met even vaak "
        "toegekend en α op intervalniveau over de aantallen)."
    ),
    UnitKind.CHARACTER: (
        "Elk teken van elk vergeleken document is een eenheid; geen interval, omdat naburige tekens niet onafhankelijk zijn."
    ),
    UnitKind.CONTINUUM: "α is Krippendorffs unitizing-α (uα) over de tekens van de vergeleken documenten achter elkaar.",
}
_SPAN_RULE_NL = (
    "Een codering telt voor een eenheid als ze minstens de helft van de eenheid beslaat of als minstens de helft "
    "van de codering binnen de eenheid valt."
)


def agreement_format_of(path: Path) -> str:
    """The format a file name asks for by its ending (".docx" → "docx", ".txt" → "table"), or an ExportError."""
    suffix = path.suffix.lower()
    if suffix not in _EXTENSIONS:
        what = suffix or "a name without an extension"
        raise ExportError(f"{path}: cannot tell the agreement format from {what} (choose {', '.join(_EXTENSIONS)})")
    return _EXTENSIONS[suffix]


def write_agreement(report: AgreementReport, out: Path, fmt: str, *, replace: bool = False) -> Path:
    """Write the report as "table" (text), "json", "docx", "xlsx" or "png" to `out`, atomically; the path written.

    An existing file is replaced only with `replace`.
    """
    kind = fmt.lower().lstrip(".")
    writers: dict[str, Callable[[AgreementReport, Path], object]] = {
        "table": lambda r, path: path.write_text(agreement_table(r), encoding="utf-8"),
        "json": lambda r, path: path.write_text(json.dumps(report_as_json(r), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"),
        "docx": _docx,
        "xlsx": _xlsx,
        "png": _png,
    }
    if kind not in writers:
        raise ExportError(f"{out}: unknown agreement format {fmt!r} (choose {', '.join(AGREEMENT_FORMATS)})")
    if kind == "png":
        from workbench.exporters._agreement_chart import chart_problem

        problem = chart_problem(report)
        if problem is not None:
            raise ExportError(f"{out}: {problem}")
    def write(temp: Path) -> None:
        writers[kind](report, temp)

    _write_atomically(out, kind, write, replace)
    return out


def _docx(report: AgreementReport, path: Path) -> None:
    from workbench.exporters._agreement_docx import write_docx

    write_docx(report, path)


def _xlsx(report: AgreementReport, path: Path) -> None:
    from workbench.exporters._agreement_xlsx import write_xlsx

    write_xlsx(report, path)


def _png(report: AgreementReport, path: Path) -> None:
    from workbench.exporters._agreement_chart import write_chart

    write_chart(report, path)


# -- JSON ------------------------------------------------------------------------------------------------


def report_as_json(report: AgreementReport) -> dict[str, Any]:
    """The report's fields as JSON values: every row with its reading, NaN as null."""
    return {
        "coders": list(report.coders), "unit": report.unit.value, "theme": report.theme, "overlap": report.overlap,
        "documents": report.documents, "left_out": list(report.left_out), "resamples": report.resamples,
        "notes": list(report.notes), "rows": [_row_json(row) for row in report.rows], "overall": _row_json(report.overall),
    }


def _row_json(row: CodeAgreement) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in dataclasses.fields(row):
        value = getattr(row, item.name)
        if isinstance(value, float) and math.isnan(value):
            value = None
        elif isinstance(value, tuple):
            value = list(value)
        elif item.name == "counts":
            value = dict(value)
        values[item.name] = value
    values["reading"] = row.reading
    return values


# -- the text table --------------------------------------------------------------------------------------


def _number(value: float, decimals: int) -> str:
    return MISSING if math.isnan(value) else f"{value:.{decimals}f}"


def _interval(row: CodeAgreement, decimals: int = 2, separator: str = ", ", number: Callable[[float, int], str] = _number) -> str:
    if math.isnan(row.alpha_low) or math.isnan(row.alpha_high):
        return ""
    return f"[{number(row.alpha_low, decimals)}{separator}{number(row.alpha_high, decimals)}]"


def kappa_name(report: AgreementReport) -> str:
    """Which kappa the report gives: Cohen's for two coders, Fleiss' for more."""
    return "Cohen's kappa" if len(report.coders) == 2 else "Fleiss' kappa"


def agreement_table(report: AgreementReport) -> str:
    """The report as a readable text table: code, units, %, kappa, alpha [interval], AC1, reading, each coder's count."""
    frequency = report.unit is UnitKind.DOCUMENT
    alpha_name = "uα" if report.unit is UnitKind.CONTINUUM else "α"
    header = ["code", "units", "%", "κ", alpha_name, "95 % interval", "AC1", "reading", *report.coders]
    if frequency:
        header += ["freq %", "freq α"]
    rows = list(report.rows) if report.theme is None else []
    rows.append(report.overall if report.theme is None else report.rows[0])

    def cells(row: CodeAgreement) -> list[str]:
        values = [
            row_label(row), str(row.units), _number(row.percent, 1), _number(row.kappa, 3), _number(row.alpha, 3),
            _interval(row, 3), _number(row.ac1, 3), row.reading, *(str(row.counts.get(coder, 0)) for coder in report.coders),
        ]
        if frequency:
            values += [_number(row.frequency_percent, 1), _number(row.frequency_alpha, 3)]
        return values

    table = [header] + [cells(row) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    left = {0, 5, 7}  # code, interval and reading read left-aligned; numbers right

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) if i in left else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))).rstrip()

    coders = " and ".join(report.coders) if len(report.coders) == 2 else ", ".join(report.coders)
    scope = f"theme {report.theme}, one category per {report.unit}" if report.theme else f"per code, unit: {report.unit}"
    title = [
        f"Agreement of {coders}, {scope}; {report.documents} document{'' if report.documents == 1 else 's'} compared",
        _statistics_line(report),
        "",
    ]
    body = [line(header)] + [line(values) for values in table[1:-1]]
    if len(table) > 2:
        body.append(line(["-" * w for w in widths]))
    body.append(line(table[-1]))
    notes = _row_notes(report) + list(report.notes)
    tail = ["", "notes:", *(f"  {note}" for note in notes)] if notes else []
    return "\n".join(title + body + tail) + "\n"


def _statistics_line(report: AgreementReport) -> str:
    """What the table's κ and α are; character and continuum units have no interval, so the line does not promise one."""
    if report.unit is UnitKind.CONTINUUM:
        return "uα is Krippendorff's unitizing alpha, without an interval"
    alpha = "α is Krippendorff's alpha (nominal)"
    if report.unit is UnitKind.CHARACTER:
        return f"κ is {kappa_name(report)}; {alpha}, without an interval"
    return f"κ is {kappa_name(report)}; {alpha} with its 95 % bootstrap interval ({report.resamples} resamples)"


def row_label(row: CodeAgreement, width: int = _CODE_WIDTH) -> str:
    """A row's code as a reader knows it: its theme and name ("M.b.t. team › Stabiel team"), cut to `width`.

    Code ids share long prefixes (dimension and theme), so cut ids all look alike; the name tells rows apart.
    """
    if not row.code_id:
        return "all codes"
    names = row.path[-2:] if row.path else (row.name or row.code_id,)
    if len(names) == 2:
        theme = shorten(names[0], max(8, width // 3))
        return shorten(f"{theme} › {names[1]}", width)
    return shorten(names[0], width)


def _row_notes(report: AgreementReport) -> list[str]:
    """Each row's note once: "code: note", or "3 codes: note" when several rows share it."""
    by_note: dict[str, list[str]] = {}
    for row in (*report.rows, report.overall):
        if row.note:
            by_note.setdefault(row.note, [])
            if row.code_id or "all codes" not in by_note[row.note]:
                by_note[row.note].append(row_label(row, 80))
    return [f"{codes[0] if len(codes) == 1 else f'{len(codes)} codes'}: {note}" for note, codes in by_note.items()]


# -- Dutch wording for the report formats (docx, xlsx, png) ----------------------------------------------------------


def dutch(value: float, decimals: int) -> str:
    """A number with a decimal comma, as a Dutch report prints it; "–" when undefined."""
    return MISSING if math.isnan(value) else f"{value:.{decimals}f}".replace(".", ",").replace("-", "−")


def interval_nl(row: CodeAgreement) -> str:
    """The alpha interval as "[0,61; 0,88]" ("" when undefined): a semicolon, since the comma is the decimal sign."""
    return _interval(row, 3, "; ", dutch)


def caption_nl(report: AgreementReport, number: str = "1") -> str:
    """The table's caption in the report's style: "Tabel 1. Interbeoordelaarsbetrouwbaarheid per code …"."""
    coders = " en ".join([", ".join(report.coders[:-1]), report.coders[-1]])
    unit = UNIT_NL[report.unit]
    if report.theme is not None:
        name = report.rows[0].name
        return f"Tabel {number}. Interbeoordelaarsbetrouwbaarheid binnen het thema ‘{name}’, één categorie per {unit} ({coders})"
    return f"Tabel {number}. Interbeoordelaarsbetrouwbaarheid per code, eenheid: {unit} ({coders})"


def headers_nl(report: AgreementReport, *, counts_apart: bool = False) -> list[str]:
    """Column headers in the report's Dutch conventions, short as the note explains them; each coder's count in one
    column ("Gecodeerd (n)", "4 / 3") or, `counts_apart`, a column per coder (a spreadsheet sorts them)."""
    alpha = "uα" if report.unit is UnitKind.CONTINUUM else "α"
    counts = list(report.coders) if counts_apart else [COUNTS_HEADER]
    headers = ["Code", "n", "%", "κ", alpha, "95%-BI", "AC1", "Oordeel", *counts]
    if report.unit is UnitKind.DOCUMENT:
        headers += ["Freq. %", "Freq. α"]
    return headers


def table_rows(report: AgreementReport) -> list[CodeAgreement]:
    """The rows an export lists, the overall row last (a theme report has one row)."""
    return [report.rows[0]] if report.theme is not None else [*report.rows, report.overall]


def row_label_nl(row: CodeAgreement) -> str:
    """A row's first cell: the code's theme and name ("M.b.t. team › Stabiel team"), "Alle codes samen" overall.

    Rows are sorted by α, not grouped under their themes as the report's tables are, so each names its theme.
    """
    if not row.code_id:
        return "Alle codes samen"
    return " › ".join(row.path[-2:]) if len(row.path) >= 2 else row.name


def cells_nl(report: AgreementReport, row: CodeAgreement) -> list[str]:
    """One row's cells as text with decimal commas, in the order of `headers_nl`."""
    values = [
        row_label_nl(row), str(row.units), dutch(row.percent, 1), dutch(row.kappa, 3), dutch(row.alpha, 3), interval_nl(row),
        dutch(row.ac1, 3), READING_NL[row.reading], " / ".join(str(row.counts.get(coder, 0)) for coder in report.coders),
    ]
    if report.unit is UnitKind.DOCUMENT:
        values += [dutch(row.frequency_percent, 1), dutch(row.frequency_alpha, 3)]
    return values


def note_nl(report: AgreementReport) -> str:
    """The note under the table, for a methods section: unit, statistics, reading, what was left out."""
    unit = UNIT_NL[report.unit]
    parts = [f"Noot. Eenheid: {unit}; {_documenten(report.documents)} vergeleken die alle codeurs codeerden."]
    if report.left_out:
        verb = "is" if len(report.left_out) == 1 else "zijn"
        parts.append(f"{_documenten(len(report.left_out))}, door slechts een deel van de codeurs gecodeerd, {verb} niet meegenomen.")
    if report.theme is not None:
        parts.append(
            f"Per {unit} is de categorie de code binnen het thema die een codeur gaf, of geen; gaf een codeur er meer, "
            "dan telt die combinatie als een eigen categorie."
        )
    if report.unit in (UnitKind.ANSWER, UnitKind.TURN, UnitKind.SENTENCE, UnitKind.PARAGRAPH):
        parts.append(_SPAN_RULE_NL)
    elif report.unit is UnitKind.SEGMENT:
        parts.append(
            f"Een codering stemt overeen als een andere codeur dezelfde code gaf op een codering die minstens "
            f"{report.overlap:.0%} van de langste van de twee overlapt (MAXQDA, variant 3); per code is alleen het "
            "percentage overeenstemming gedefinieerd, de totaalrij vergelijkt welke code elke codeur elk segment gaf."
        )
    elif report.unit in _UNIT_RULE_NL:
        parts.append(_UNIT_RULE_NL[report.unit])
    kappa = "Cohens kappa" if len(report.coders) == 2 else "Fleiss’ kappa"
    parts.append(
        f"n: aantal eenheden. %: percentage overeenstemming (paarsgewijs). κ: {kappa}. α: Krippendorffs alfa (nominaal) met "
        f"95%-betrouwbaarheidsinterval (BI; bootstrap over eenheden, {report.resamples} trekkingen). AC1: Gwets AC1. "
        f"Gecodeerd: aantal eenheden waaraan {' / '.join(report.coders)} "
        f"{'een code binnen het thema' if report.theme is not None else 'de code'} gaf. "
        "Oordeel volgens Krippendorff (2004): α ≥ 0,800 betrouwbaar, α ≥ 0,667 voorlopig, anders onvoldoende. "
        f"{MISSING}: niet te berekenen (bijvoorbeeld omdat maar één categorie voorkomt)."
    )
    return " ".join(parts)


def _documenten(count: int) -> str:
    return "1 document" if count == 1 else f"{count} documenten"
