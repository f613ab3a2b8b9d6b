"""Agreement between coders per code and overall, at one unit kind: the report a senior researcher puts in a methods appendix.

Per code, each unit is rated present or absent by every coder (binary), and the row gives the units, % agreement
(pairwise), Cohen's kappa (two coders) or Fleiss' kappa (three or more), Krippendorff's alpha (nominal) with a
bootstrap interval over units, Gwet's AC1 and how many units each coder gave the code. The overall row pools
every (unit, code) pair of the rows. With a theme, each unit's value is the one code under the theme a coder gave
(or "none"): the report's own coding, one item per answer, and the report has one row, the theme's.

Per unit kind:
- character: per code, the characters of the compared documents, counted from coded runs into a 2 × 2 table
  (three coders or more: characters by how many coders coded them), as NVivo's coding comparison; no interval,
  since neighbouring characters are not independent units.
- continuum: Krippendorff's unitizing alpha over the compared documents' characters laid end to end (each coder's
  overlapping codings of one code merged first); the other statistics do not apply, and there is no interval.
- segment: per code only % agreement is defined (every unit is a passage someone coded, so there is no unit that
  neither coder coded and chance agreement has no meaning); the overall row compares which code each coder gave
  each segment (or none), where chance is defined.
- document: also code frequency per document (MAXQDA's variant 2): `frequency_percent` is the % of documents in
  which the coders applied the code equally often (pairwise), `frequency_alpha` Krippendorff's alpha (interval)
  on those counts.
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from workbench.core.codebook import Codebook
from workbench.core.comparison.model import AgreementReport, CodeAgreement, ComparedUnit, UnitKind
from workbench.core.comparison.units import (
    ComparedDocument,
    Comparison,
    check_overlap,
    compared_units,
    disagreements,
    documents_for,
    load_comparison,
    segment_groups,
    units_of,
)
from workbench.core.store import Store
from workbench.errors import AgreementError

__all__ = ["THEME_UNITS", "agreement_report", "compared_units", "disagreements"]

NAN = float("nan")
NONE = "none"
#: Unit kinds where a unit can take one category within a theme.
THEME_UNITS = (UnitKind.ANSWER, UnitKind.TURN, UnitKind.SENTENCE, UnitKind.PARAGRAPH, UnitKind.RESPONDENT, UnitKind.DOCUMENT)
#: How many left-out documents a note names before it says "…".
_NAMED = 5

Ratings = npt.NDArray[Any]


@dataclass(frozen=True)
class _Measured:
    units: int
    percent: float
    kappa: float
    alpha: float
    alpha_low: float
    alpha_high: float
    ac1: float
    note: str


def agreement_report(
    store: Store,
    coders: Sequence[str],
    unit: UnitKind,
    code_ids: Collection[str] | None = None,
    *,
    theme: str | None = None,
    overlap: float = 0.9,
    resamples: int = 1000,
    seed: int = 0,
) -> AgreementReport:
    """Agreement of the coders per code (or within one theme) and overall at one unit kind, weakest code first."""
    check_overlap(overlap)
    if theme is not None and code_ids:
        raise AgreementError("compare codes or one theme, not both")
    if theme is not None and unit not in THEME_UNITS:
        raise AgreementError(f"one category per unit within a theme works on {', '.join(THEME_UNITS)} units, not on {unit}")
    if resamples < 1:
        raise AgreementError(f"resamples {resamples} must be at least 1")
    comparison = load_comparison(store, coders, [theme] if theme is not None else code_ids, unit)
    measure = functools.partial(_measure, resamples=resamples, seed=seed)
    notes = list(_scope_notes(comparison, unit))
    rows: tuple[CodeAgreement, ...]
    if theme is not None:
        row, theme_notes = _theme_row(comparison, unit, theme, measure)
        rows, overall = (row,), row
        notes += theme_notes
    else:
        rows, overall, kind_notes = _code_rows(comparison, unit, code_ids or (), overlap, measure)
        notes += kind_notes
    return AgreementReport(
        coders=comparison.coders, unit=unit, rows=rows, overall=overall, overlap=overlap, notes=tuple(notes), theme=theme,
        documents=len(documents_for(comparison, unit)), left_out=comparison.left_out, resamples=resamples,
    )


Measure = Callable[..., _Measured]


def _code_rows(
    comparison: Comparison, unit: UnitKind, asked: Collection[str], overlap: float, measure: Measure
) -> tuple[tuple[CodeAgreement, ...], CodeAgreement, list[str]]:
    documents = documents_for(comparison, unit)
    used = {c.code_id for d in documents for c in d.codings}
    # An asked-for code nobody used gets a row saying so, unless it only stands for the codes below it (a theme).
    unused_asked = {code_id for code_id in asked if not comparison.book.children(code_id)} - used
    row_codes = _ordered(comparison.book, used | unused_asked)
    if not used:
        raise AgreementError(f"{' and '.join(comparison.coders)} applied none of the compared codes in the documents they both coded")
    if unit is UnitKind.CHARACTER:
        rows, overall = _character_rows(comparison, documents, row_codes, measure)
        return _sorted(comparison.book, rows), overall, ["no interval at character level: neighbouring characters are not independent"]
    if unit is UnitKind.CONTINUUM:
        rows, overall = _continuum_rows(comparison, documents, row_codes)
        note = "alpha is Krippendorff's unitizing alpha over the documents' characters; % agreement, kappa and AC1 do not apply"
        return _sorted(comparison.book, rows), overall, [note]
    if unit is UnitKind.SEGMENT:
        rows, overall = _segment_rows(comparison, documents, row_codes, overlap, measure)
        note = (
            f"a coding agrees when another coder has the same code on a coding overlapping it by at least {overlap:.0%} of the "
            "longer of the two; per code only % agreement is defined, the overall row compares the code each coder gave each segment"
        )
        return _sorted(comparison.book, rows), overall, [note]
    found = units_of(comparison, unit)
    present = _presence(found, comparison.coders, row_codes)
    frequencies = _frequencies(documents, comparison.coders, row_codes) if unit is UnitKind.DOCUMENT else None
    rows = []
    for index, code_id in enumerate(row_codes):
        ratings = present[:, :, index]
        frequency = (NAN, NAN) if frequencies is None else _frequency(frequencies[:, :, index])
        rows.append(_row(comparison, code_id, ratings, measure(ratings, unused=code_id not in used), frequency=frequency))
    # The overall row pools the codes someone used: a code nobody used would only add agreement on its absence.
    pooled_codes = [index for index, code_id in enumerate(row_codes) if code_id in used]
    pooled = present[:, :, pooled_codes].reshape(len(comparison.coders), -1)
    frequency = (NAN, NAN) if frequencies is None else _frequency(frequencies[:, :, pooled_codes].reshape(len(comparison.coders), -1))
    overall = _row(comparison, "", pooled, measure(pooled), frequency=frequency)
    notes = []
    if frequencies is not None:
        notes.append("frequency: % of documents where the coders applied the code equally often, and alpha (interval) on the counts")
    return _sorted(comparison.book, rows), overall, notes


def _presence(found: Sequence[ComparedUnit], coders: Sequence[str], code_ids: Sequence[str]) -> npt.NDArray[np.int8]:
    """coders × units × codes: 1 where the coder gave the unit the code."""
    column = {code_id: index for index, code_id in enumerate(code_ids)}
    present = np.zeros((len(coders), len(found), len(code_ids)), dtype=np.int8)
    for unit_index, compared in enumerate(found):
        for coder_index, coder in enumerate(coders):
            for code_id in compared.codes[coder]:
                if code_id in column:
                    present[coder_index, unit_index, column[code_id]] = 1
    return present


def _frequencies(documents: Sequence[ComparedDocument], coders: Sequence[str], code_ids: Sequence[str]) -> npt.NDArray[np.int64]:
    """coders × documents × codes: how many codings of the code each coder made in the document."""
    column = {code_id: index for index, code_id in enumerate(code_ids)}
    row = {coder: index for index, coder in enumerate(coders)}
    counts = np.zeros((len(coders), len(documents), len(code_ids)), dtype=np.int64)
    for document_index, compared in enumerate(documents):
        for coding in compared.codings:
            if coding.code_id in column:
                counts[row[coding.coder], document_index, column[coding.code_id]] += 1
    return counts


def _frequency(counts: Ratings) -> tuple[float, float]:
    """% of documents with equal counts (pairwise) and alpha (interval) on the counts: MAXQDA's variant 2."""
    from workbench.agreement import krippendorff_alpha, percent_agreement

    return (
        _attempt(lambda: 100 * percent_agreement(counts), []),
        _attempt(lambda: krippendorff_alpha(counts, level="interval"), []),
    )


def _theme_row(comparison: Comparison, unit: UnitKind, theme: str, measure: Measure) -> tuple[CodeAgreement, list[str]]:
    """One row: each unit's category is the code under the theme a coder gave it, "none", or a combination of codes."""
    found = units_of(comparison, unit)
    scope = comparison.code_ids or frozenset()
    values = [[_category(compared.codes[coder] & scope) for compared in found] for coder in comparison.coders]
    ratings = np.array(values, dtype=object)
    combined = sum(1 for compared in found if any(len(compared.codes[c] & scope) > 1 for c in comparison.coders))
    counts = {coder: sum(value != NONE for value in own) for coder, own in zip(comparison.coders, values, strict=True)}
    measured = measure(ratings, unused=not any(counts.values()))
    code = comparison.book.get(theme)
    row = CodeAgreement(
        code_id=theme, name=code.name, path=tuple(comparison.book.path(theme)), units=measured.units, percent=measured.percent,
        kappa=measured.kappa, alpha=measured.alpha, alpha_low=measured.alpha_low, alpha_high=measured.alpha_high, ac1=measured.ac1,
        counts=counts, note=measured.note,
    )
    notes = [f"each unit's category is the code under {theme!r} a coder gave it, or {NONE!r}"]
    if combined:
        notes.append(f"{combined} units got more than one code under the theme from a coder; each combination counts as a category")
    return row, notes


def _category(codes: frozenset[str]) -> str:
    return "+".join(sorted(codes)) if codes else NONE


def _character_rows(
    comparison: Comparison, documents: Sequence[ComparedDocument], code_ids: Sequence[str], measure: Measure
) -> tuple[list[CodeAgreement], CodeAgreement]:
    """Per code, characters counted by which coders coded them (from the coded runs' lengths), NVivo's comparison."""
    coders = comparison.coders
    total = sum(len(d.document.text) for d in documents)
    wanted = set(code_ids)
    used = {c.code_id for d in documents for c in d.codings}
    # code → pattern (present per coder) → characters
    patterns: dict[str, Counter[tuple[bool, ...]]] = defaultdict(Counter)
    for compared in units_of(comparison, UnitKind.CHARACTER):
        length = compared.end - compared.start
        for code_id in set().union(*compared.codes.values()) & wanted:
            patterns[code_id][tuple(code_id in compared.codes[coder] for coder in coders)] += length
    rows = []
    pooled: Counter[tuple[bool, ...]] = Counter()
    for code_id in code_ids:
        counted = Counter(patterns[code_id])
        counted[(False,) * len(coders)] += total - sum(counted.values())
        if code_id in used:
            pooled.update(counted)
        ratings, weights = _character_ratings(counted)
        measured = measure(ratings, interval=False, unused=code_id not in used, weights=weights)
        counts = {coder: sum(n for pattern, n in counted.items() if pattern[i]) for i, coder in enumerate(coders)}
        rows.append(_row(comparison, code_id, None, measured, counts=counts))
    ratings, weights = _character_ratings(pooled)
    counts = {coder: sum(n for pattern, n in pooled.items() if pattern[i]) for i, coder in enumerate(coders)}
    overall = _row(comparison, "", None, measure(ratings, interval=False, weights=weights), counts=counts)
    return rows, overall


def _character_ratings(counted: Mapping[tuple[bool, ...], int]) -> tuple[Ratings, list[int]]:
    """Each pattern of coders who coded a run of characters as one unit (1 coded, 0 not), weighted by its characters."""
    patterns = sorted(counted)
    ratings = np.array([[int(pattern[i]) for pattern in patterns] for i in range(len(patterns[0]))] if patterns else [[]])
    return ratings, [counted[pattern] for pattern in patterns]


def _continuum_rows(
    comparison: Comparison, documents: Sequence[ComparedDocument], code_ids: Sequence[str]
) -> tuple[list[CodeAgreement], CodeAgreement]:
    """Unitizing alpha per code, and over all codes as categories, on the documents' characters laid end to end."""
    from workbench.agreement import unitizing_alpha

    by_code: dict[str, list[tuple[str, int, int, str]]] = defaultdict(list)
    offset = 0
    for compared in documents:
        for coding in compared.codings:
            by_code[coding.code_id].append((coding.coder, offset + coding.start, coding.length, coding.code_id))
        offset += len(compared.document.text)
    continuum = (0, offset)

    def row(code_id: str, segments: list[tuple[str, int, int, str]]) -> CodeAgreement:
        notes: list[str] = []
        if segments:
            alpha = _attempt(lambda: unitizing_alpha(continuum=continuum, segments=segments, coders=comparison.coders), notes)
        else:
            alpha = NAN
            notes.append("no coder used this code in the compared documents")
        counts = {coder: _covered(segments, coder) for coder in comparison.coders}
        measured = _Measured(offset, NAN, NAN, alpha, NAN, NAN, NAN, notes[0] if notes else "")
        return _row(comparison, code_id, None, measured, counts=counts)

    rows = [row(code_id, by_code.get(code_id, [])) for code_id in code_ids]
    overall = row("", [segment for code_id in code_ids for segment in by_code.get(code_id, [])])
    return rows, overall


def _covered(segments: Sequence[tuple[str, int, int, str]], coder: str) -> int:
    """Characters one coder coded with any of the segments' codes, each character once."""
    covered, reach = 0, -1
    for begin, length in sorted((begin, length) for who, begin, length, _ in segments if who == coder):
        end = begin + length
        covered += max(0, end - max(begin, reach))
        reach = max(reach, end)
    return covered


def _segment_rows(
    comparison: Comparison, documents: Sequence[ComparedDocument], code_ids: Sequence[str], overlap: float, measure: Measure
) -> tuple[list[CodeAgreement], CodeAgreement]:
    """Per code, % agreement over matched groups of codings; overall, the code (or none) each coder gave each group."""
    coders = comparison.coders
    groups = [g for d in documents for g in segment_groups(d, coders, overlap)]
    by_code: dict[str, list[list[int]]] = defaultdict(list)
    for group in groups:
        by_code[group.code_id].append([int(group.has(coder)) for coder in coders])
    rows = []
    for code_id in code_ids:
        own = by_code.get(code_id, [])
        ratings = np.array(own, dtype=np.int8).T.reshape(len(coders), len(own))
        measured = measure(ratings, unused=not own, only_percent="per code only % agreement is defined: every segment is a coded passage")
        rows.append(_row(comparison, code_id, ratings, measured))
    wanted = set(code_ids)
    chosen = [g for g in groups if g.code_id in wanted]
    values = np.array([[g.code_id if g.has(coder) else NONE for g in chosen] for coder in coders], dtype=object)
    counts = {coder: sum(g.has(coder) for g in chosen) for coder in coders}
    overall = _row(comparison, "", None, measure(values.reshape(len(coders), len(chosen)), unused=not chosen), counts=counts)
    return rows, overall


def _measure(
    ratings: Ratings, *, resamples: int, seed: int, interval: bool = True, unused: bool = False, only_percent: str = "",
    weights: Sequence[int] | None = None,
) -> _Measured:
    """Every statistic of one row; one that is undefined is NaN and the first reason becomes the row's note.

    `only_percent` says why only % agreement is computed, when that is so; with `weights`, unit j of the ratings
    stands for weights[j] identical units (the characters of a coded run), and there is no interval.
    """
    from workbench.agreement import (
        DegenerateRatings,
        bootstrap_interval,
        cohen_kappa,
        fleiss_kappa,
        gwet_ac1,
        krippendorff_alpha,
        percent_agreement,
    )

    if weights is not None:
        return _measure_weighted(ratings, weights, unused)
    units = int(ratings.shape[1]) if ratings.ndim == 2 else 0
    if unused or units == 0:
        reason = "no coder used this code in these units" if unused else "no units"
        return _Measured(units, NAN, NAN, NAN, NAN, NAN, NAN, reason)
    notes: list[str] = []
    percent = 100 * _attempt(lambda: percent_agreement(ratings), notes)
    if only_percent:
        return _Measured(units, percent, NAN, NAN, NAN, NAN, NAN, notes[0] if notes else only_percent)
    two = ratings.shape[0] == 2
    kappa = _attempt(lambda: cohen_kappa(ratings) if two else fleiss_kappa(ratings), notes)
    nominal = functools.partial(krippendorff_alpha, level="nominal")
    alpha = _attempt(lambda: nominal(ratings), notes)
    low = high = NAN
    if interval and not math.isnan(alpha):
        try:
            low, high = (float(v) for v in bootstrap_interval(nominal, ratings, level=0.95, resamples=resamples, seed=seed))
        except DegenerateRatings as exc:
            notes.append(f"no interval: {exc}")
    ac1 = _attempt(lambda: gwet_ac1(ratings), notes)
    return _Measured(units, percent, kappa, alpha, low, high, ac1, notes[0] if notes else "")


def _measure_weighted(ratings: Ratings, weights: Sequence[int], unused: bool) -> _Measured:
    from workbench.agreement import cohen_kappa, fleiss_kappa, gwet_ac1, krippendorff_alpha, percent_agreement, weighted

    units = int(sum(weights))
    if unused or units == 0:
        return _Measured(units, NAN, NAN, NAN, NAN, NAN, NAN, "no coder used this code in these units" if unused else "no units")
    notes: list[str] = []
    percent = 100 * _attempt(lambda: weighted(percent_agreement, ratings, weights), notes)
    kappa = _attempt(lambda: weighted(cohen_kappa if ratings.shape[0] == 2 else fleiss_kappa, ratings, weights), notes)
    alpha = _attempt(lambda: weighted(krippendorff_alpha, ratings, weights), notes)
    ac1 = _attempt(lambda: weighted(gwet_ac1, ratings, weights), notes)
    return _Measured(units, percent, kappa, alpha, NAN, NAN, ac1, notes[0] if notes else "")


def _attempt(statistic: Callable[[], float], notes: list[str]) -> float:
    """The statistic, or NaN with its reason noted when it is undefined on these ratings (one category, one coder…)."""
    from workbench.agreement import DegenerateRatings

    try:
        value = float(statistic())
    except DegenerateRatings as exc:
        notes.append(str(exc))
        return NAN
    return value


def _row(
    comparison: Comparison, code_id: str, ratings: Ratings | None, measured: _Measured, *,
    counts: Mapping[str, int] | None = None, frequency: tuple[float, float] = (NAN, NAN),
) -> CodeAgreement:
    if counts is None:
        counts = {coder: int(ratings[i].sum()) for i, coder in enumerate(comparison.coders)} if ratings is not None else {}
    name, path = ("all codes", ()) if not code_id else (comparison.book.get(code_id).name, tuple(comparison.book.path(code_id)))
    return CodeAgreement(
        code_id=code_id, name=name, path=path, units=measured.units, percent=measured.percent, kappa=measured.kappa,
        alpha=measured.alpha, alpha_low=measured.alpha_low, alpha_high=measured.alpha_high, ac1=measured.ac1,
        counts=dict(counts), note=measured.note, frequency_percent=frequency[0], frequency_alpha=frequency[1],
    )


def _ordered(book: Codebook, code_ids: Collection[str]) -> list[str]:
    """Codes in codebook order."""
    return [code.id for _, code in book.walk() if code.id in code_ids]


def _sorted(book: Codebook, rows: Sequence[CodeAgreement]) -> tuple[CodeAgreement, ...]:
    """Weakest alpha first, undefined alphas last; then lowest % agreement; then codebook order."""
    order = {code_id: index for index, code_id in enumerate(_ordered(book, {r.code_id for r in rows}))}

    def key(row: CodeAgreement) -> tuple[bool, float, bool, float, int]:
        alpha_missing, percent_missing = math.isnan(row.alpha), math.isnan(row.percent)
        return (alpha_missing, 0.0 if alpha_missing else row.alpha, percent_missing, 0.0 if percent_missing else row.percent,
                order[row.code_id])

    return tuple(sorted(rows, key=key))


def _scope_notes(comparison: Comparison, unit: UnitKind) -> list[str]:
    notes = []
    if comparison.left_out:
        named = ", ".join(comparison.left_out[:_NAMED]) + (", …" if len(comparison.left_out) > _NAMED else "")
        notes.append(f"left out {_documents(len(comparison.left_out))} only some of the coders coded: {named}")
    compared = documents_for(comparison, unit)
    if len(compared) < comparison.all_count:
        notes.append(f"{unit} units exist in {len(compared)} of the {_documents(comparison.all_count)} all coders coded")
    return notes


def _documents(count: int) -> str:
    return f"{count} document" if count == 1 else f"{count} documents"
