"""Krippendorff's unitizing alpha (_uα): agreement on where units begin and end on a continuum, and what they are.

Each coder cuts the continuum (here: a document's characters) into segments of categories; for each category the
rest of the continuum is that coder's gaps. Observed disagreement compares every two coders' sections that overlap:
two segments by their squared differences in begin and end, a segment lying wholly in the other coder's gap by its
squared length. Expected disagreement considers every way of placing the same segments on the continuum. Formulas
as Krippendorff (1995; Content Analysis, 2nd ed. 2004, ch. 11) and DKPro Agreement's KrippendorffAlphaUnitizingAgreement
(Meyer et al. 2014); α = 1 − Σ_c D_o(c) / Σ_c D_e(c) over the categories used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from workbench.agreement._ratings import FloatArray
from workbench.agreement.errors import AgreementError, DegenerateRatings

Segment = tuple[Hashable, int, int, Hashable]  # coder, begin, length, category
IntArray = npt.NDArray[np.int64]
STATISTIC = "unitizing alpha"


def unitizing_alpha(
    continuum: tuple[int, int], segments: Iterable[Segment], *, coders: Sequence[Hashable] | None = None
) -> float:
    """Krippendorff's _uα over a continuum of characters.

    Parameters
    ----------
    continuum : (begin, length)
        The stretch every coder read, e.g. (0, len(text)).
    segments : iterable of (coder, begin, length, category)
        What each coder marked. Overlapping segments of one coder and category are merged into one (touching ones stay
        two units, as Krippendorff counts them).
    coders : sequence, optional
        Every coder compared, including one who marked nothing (default: the coders in `segments`).

    Returns
    -------
    float
        _uα; 1 when every coder marked the same segments with the same categories.
    """
    begin, length = _continuum(continuum)
    by_category = _segments_by_category(segments, begin, begin + length)
    marking = {coder for per_coder in by_category.values() for coder in per_coder}
    everyone = list(dict.fromkeys(coders)) if coders is not None else sorted(marking, key=repr)
    unknown = marking - set(everyone)
    if unknown:
        raise AgreementError(f"segments name coders not among `coders`: {', '.join(sorted(map(repr, unknown)))}")
    if len(everyone) < 2:
        raise DegenerateRatings(f"there is only {len(everyone)} coder; agreement needs two or more", STATISTIC)
    if not by_category:
        raise DegenerateRatings("no coder marked any segment", STATISTIC)
    observed = expected = 0.0
    for per_coder in by_category.values():
        units = [_merged(per_coder.get(coder, [])) for coder in everyone]
        observed += _observed_disagreement(units, length)
        expected += _expected_disagreement(units, begin, length)
    return 1.0 - observed / expected


def _continuum(continuum: tuple[int, int]) -> tuple[int, int]:
    begin, length = continuum
    if int(length) != length or int(begin) != begin or length <= 0:
        raise AgreementError(f"continuum must be (begin, length) in whole characters, length > 0; got {continuum!r}")
    return int(begin), int(length)


def _segments_by_category(segments: Iterable[Segment], begin: int, end: int) -> dict[Hashable, dict[Hashable, list[tuple[int, int]]]]:
    by_category: dict[Hashable, dict[Hashable, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for segment in segments:
        coder, start, size, category = segment
        if int(start) != start or int(size) != size or size <= 0:
            raise AgreementError(f"segment {segment!r}: begin and length must be whole characters, length > 0")
        if start < begin or start + size > end:
            raise AgreementError(f"segment {segment!r} lies outside the continuum [{begin}, {end})")
        by_category[category][coder].append((int(start), int(start + size)))
    return by_category


def _merged(spans: list[tuple[int, int]]) -> tuple[IntArray, IntArray]:
    """Sorted begins and ends, overlapping spans joined."""
    merged: list[list[int]] = []
    for start, stop in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stop)
        else:
            merged.append([start, stop])
    array = np.asarray(merged, dtype=np.int64).reshape(-1, 2)
    return array[:, 0], array[:, 1]


def _observed_disagreement(units: list[tuple[IntArray, IntArray]], length: int) -> float:
    """D_o for one category: every coder pair's disagreement, over m(m − 1) L²."""
    coder_count = len(units)
    total = 0.0
    for first in range(coder_count):
        for second in range(first + 1, coder_count):
            total += 2 * _pair_disagreement(units[first], units[second])
    return total / (coder_count * (coder_count - 1) * float(length) ** 2)


def _pair_disagreement(first: tuple[IntArray, IntArray], second: tuple[IntArray, IntArray]) -> float:
    """Overlapping segments: (b₁ − b₂)² + (e₁ − e₂)²; a segment inside the other coder's gap: its length squared."""
    begins, ends = first
    other_begins, other_ends = second
    low = np.searchsorted(other_ends, begins, side="right")  # first other segment ending after this one begins
    high = np.searchsorted(other_begins, ends, side="left")  # other segments beginning before this one ends
    overlaps = np.maximum(high - low, 0)
    mine = np.repeat(np.arange(len(begins)), overlaps)
    starts = np.repeat(low, overlaps)
    theirs = starts + np.arange(len(mine)) - np.repeat(np.cumsum(overlaps) - overlaps, overlaps)
    paired = ((begins[mine] - other_begins[theirs]) ** 2 + (ends[mine] - other_ends[theirs]) ** 2).astype(np.float64).sum()
    alone = float((((ends - begins) ** 2)[overlaps == 0]).astype(np.float64).sum())
    other_low = np.searchsorted(ends, other_begins, side="right")
    other_high = np.searchsorted(begins, other_ends, side="left")
    other_alone = float((((other_ends - other_begins) ** 2)[other_high <= other_low]).astype(np.float64).sum())
    return float(paired) + alone + other_alone


def _expected_disagreement(units: list[tuple[IntArray, IntArray]], begin: int, length: int) -> float:
    """D_e for one category: each segment against every placement among the segments and gaps of all coders."""
    coder_count = len(units)
    lengths = np.concatenate([(ends - begins) for begins, ends in units]).astype(np.float64)
    gaps = np.sort(np.concatenate([_gaps(begins, ends, begin, begin + length) for begins, ends in units]).astype(np.float64))
    segment_count = len(lengths)
    # Σ over gaps g ≥ l of (g − l + 1), from suffix sums of the sorted gaps.
    first_fitting = np.searchsorted(gaps, lengths, side="left")
    suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])
    fitting = len(gaps) - first_fitting
    placements = suffix[first_fitting] - fitting * (lengths - 1)
    within = (segment_count - 1) * (2 * lengths**3 - 3 * lengths**2 + lengths) / 3
    numerator = 2 / length * float((within + lengths**2 * placements).sum())
    total = coder_count * float(length)
    return numerator / (total * (total - 1) - float((lengths * (lengths - 1)).sum()))


def _gaps(begins: IntArray, ends: IntArray, start: int, stop: int) -> FloatArray:
    """Lengths of the stretches between a coder's segments (and the continuum's ends), empty ones left out."""
    edges_begin = np.concatenate([[start], ends])
    edges_end = np.concatenate([begins, [stop]])
    sizes = (edges_end - edges_begin).astype(np.float64)
    result: FloatArray = sizes[sizes > 0]
    return result
