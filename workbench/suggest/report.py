"""Suggestions and their evaluation as plain-text tables and JSON, for the command line and scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence

from workbench.core.text import shorten
from workbench.suggest.evaluate import Evaluation, Level, Method
from workbench.suggest.model import Suggestion, UnitSuggestions

#: Widths of the table's columns that hold names.
THEME_WIDTH, CODE_WIDTH = 44, 60
#: A unit's text is shown up to this many characters above its suggestions.
UNIT_EXCERPT = 90
PATH_SEPARATOR = " › "


def suggestion_record(suggestion: Suggestion) -> dict[str, object]:
    """A suggestion as a JSON object."""
    return {
        "code": suggestion.code_id, "name": suggestion.name, "theme_id": suggestion.theme_id, "theme": suggestion.theme,
        "path": list(suggestion.path), "score": suggestion.score, "source": suggestion.source.value, "evidence": list(suggestion.evidence),
    }


def _rows(suggestions: Sequence[Suggestion], indent: str = "") -> list[str]:
    if not suggestions:
        return [f"{indent}(no suggestions: no keyword matches and nothing learned applies)"]
    header = f"{indent}{'#':>2}  {'score':>5}  {'source':<7}  {'theme':<{THEME_WIDTH}}  {'code':<{CODE_WIDTH}}  evidence"
    lines = [header]
    for rank, s in enumerate(suggestions, start=1):
        # The theme with its dimension: "M.b.t. team" sits under three dimensions in the demo codebook.
        theme = shorten(PATH_SEPARATOR.join(s.path[: len(s.path) - 1] or s.path), THEME_WIDTH)
        code = shorten(f"{s.name} [{s.code_id}]", CODE_WIDTH)
        lines.append(
            f"{indent}{rank:>2}  {s.score:5.3f}  {s.source.value:<7}  {theme:<{THEME_WIDTH}}  {code:<{CODE_WIDTH}}  {', '.join(s.evidence)}"
        )
    return lines


def suggestions_table(suggestions: Sequence[Suggestion]) -> str:
    """Ranked suggestions for one text as an aligned table."""
    return "\n".join(_rows(suggestions)) + "\n"


def units_table(units: Sequence[UnitSuggestions], text: str, kind: str) -> str:
    """Every unit of a document with its excerpt and its ranked suggestions below it."""
    lines = []
    for number, unit in enumerate(units, start=1):
        excerpt = shorten(text[unit.start : unit.end], UNIT_EXCERPT)
        lines.append(f"{unit.document} · {kind} {number}/{len(units)} · {unit.start}-{unit.end} · “{excerpt}”")
        lines += _rows(unit.suggestions, indent="  ")
        lines.append("")
    return "\n".join(lines)


def units_json(units: Sequence[UnitSuggestions], text: str) -> str:
    """Every unit of a document with its text, suggestions and theme scores, as JSON."""
    records = [
        {
            "document": u.document, "start": u.start, "end": u.end, "text": text[u.start : u.end],
            "suggestions": [suggestion_record(s) for s in u.suggestions],
            "themes": [{"theme_id": t.theme_id, "name": t.name, "path": list(t.path), "score": t.score, "code": t.code_id,
                        "source": t.source.value, "evidence": list(t.evidence)} for t in u.themes],
        }
        for u in units
    ]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def text_json(text: str, suggestions: Sequence[Suggestion]) -> str:
    """Suggestions for a free text as JSON."""
    return json.dumps({"text": text, "suggestions": [suggestion_record(s) for s in suggestions]}, ensure_ascii=False, indent=2) + "\n"


def evaluation_table(evaluation: Evaluation, per_label: bool = False) -> str:
    """The cross-validation as a table: what was tested, then each method's measures, then (optionally) each label."""
    whose = f"the codings of {evaluation.coder}" if evaluation.coder else "every coder's codings"
    labels = "codes" if evaluation.level is Level.CODE else "themes"
    lines = [
        f"Suggestions cross-validated on {whose}: {evaluation.units} units of {evaluation.respondents} respondents, "
        f"{evaluation.folds} folds grouped by respondent; level {evaluation.level.value} ({evaluation.labels} {labels} in the units)",
        "",
        f"{'method':<15}  {'P@1':>5}  {'P@3':>5}  {'R@3':>5}  {'hit@3':>5}",
    ]
    for method, m in evaluation.overall.items():
        lines.append(f"{method.value:<15}  {m.precision_at_1:5.3f}  {m.precision_at_3:5.3f}  {m.recall_at_3:5.3f}  {m.hit_at_3:5.3f}")
    lines += [
        "",
        "P@k: share of the first k suggestions that are right; R@3: share of a unit's codes among the first 3; "
        "hit@3: units with a right one among the first 3.",
    ]
    if per_label:
        lines += ["", f"{'units':>5}  {'R@3 ours':>8}  {'keywords':>8}  {'majority':>8}  {'P@1 ours':>8}  {labels[:-1]}"]
        for row in evaluation.per_label:
            precision = "-" if row.precision_at_1 is None else f"{row.precision_at_1:.3f}"
            recall = row.recall_at_3
            lines.append(
                f"{row.units:>5}  {recall[Method.SUGGESTIONS]:8.3f}  {recall[Method.KEYWORDS]:8.3f}  {recall[Method.MAJORITY]:8.3f}  "
                f"{precision:>8}  {shorten(row.name, 70)} [{row.label}]"
            )
    return "\n".join(lines) + "\n"


def evaluation_json(evaluation: Evaluation) -> str:
    """The cross-validation as JSON."""
    record = {
        "level": evaluation.level.value, "coder": evaluation.coder, "folds": evaluation.folds, "respondents": evaluation.respondents,
        "units": evaluation.units, "labels": evaluation.labels,
        "overall": {
            method.value: {"precision_at_1": m.precision_at_1, "precision_at_3": m.precision_at_3, "recall_at_3": m.recall_at_3,
                           "hit_at_3": m.hit_at_3}
            for method, m in evaluation.overall.items()
        },
        "per_label": [
            {"label": r.label, "name": r.name, "units": r.units, "precision_at_1": r.precision_at_1,
             "recall_at_3": {method.value: value for method, value in r.recall_at_3.items()}}
            for r in evaluation.per_label
        ],
    }
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
