"""Krippendorff's alpha for nominal, ordinal, interval and ratio data, missing values allowed (Krippendorff 2011).

α = 1 − D_o / D_e from the coincidence matrix o: each unit with m_u ≥ 2 values adds 1/(m_u − 1) for every ordered
pair of its values (from different coders). The matrix is built with np.bincount over the coders' value pairs, so a
million units cost a few passes over arrays and no Python loop over units. A level of measurement is a distance
(Krippendorff's δ²) between every two values; any callable of the `Distance` shape may stand in for the four.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from types import MappingProxyType
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from workbench.agreement._ratings import CodedRatings, FloatArray, coded_ratings, require_coders, require_pairable
from workbench.agreement._sums import Entries, UnitSums
from workbench.agreement.errors import AgreementError

Level = Literal["nominal", "ordinal", "interval", "ratio"]

NO_VARIATION = "all pairable values are the same, so there is no variation to agree on (D_e = 0)"


class Distance(Protocol):
    """Krippendorff's squared difference δ² between every two values of the domain."""

    def __call__(self, values: FloatArray, counts: FloatArray) -> FloatArray:
        """Distances between the ordered values.

        Parameters
        ----------
        values : ndarray, shape (q,)
            The categories in order: their numbers, or positions 0…q−1 for labels.
        counts : ndarray, shape (..., q)
            How many pairable values fell in each category (n_c; one row per bootstrap resample).

        Returns
        -------
        ndarray, shape (q, q) or (..., q, q)
            δ²(c, k), zero on the diagonal.
        """
        ...


def nominal_distance(values: FloatArray, counts: FloatArray) -> FloatArray:
    """0 for equal values, 1 otherwise."""
    return 1.0 - np.eye(len(values))


def ordinal_distance(values: FloatArray, counts: FloatArray) -> FloatArray:
    """(Σ_{g=c}^{k} n_g − (n_c + n_k) / 2)²: how many values lie between c and k, so it depends on the counts."""
    through: FloatArray = np.cumsum(counts, axis=-1, dtype=np.float64)
    before: FloatArray = through - counts
    # For c ≤ k the values from c through k are through_k − before_c; the other order gives something smaller.
    between = np.maximum(
        through[..., np.newaxis, :] - before[..., :, np.newaxis], through[..., :, np.newaxis] - before[..., np.newaxis, :]
    )
    result: FloatArray = np.square(between - (counts[..., :, np.newaxis] + counts[..., np.newaxis, :]) / 2)
    return result


def interval_distance(values: FloatArray, counts: FloatArray) -> FloatArray:
    """(c − k)²."""
    result: FloatArray = np.square(values[:, np.newaxis] - values[np.newaxis, :])
    return result


def ratio_distance(values: FloatArray, counts: FloatArray) -> FloatArray:
    """((c − k) / (c + k))², 0 where c + k = 0."""
    total = values[:, np.newaxis] + values[np.newaxis, :]
    difference = values[:, np.newaxis] - values[np.newaxis, :]
    ratio = np.divide(difference, total, out=np.zeros_like(total), where=total != 0)
    result: FloatArray = np.square(ratio)
    return result


LEVELS: Mapping[str, Distance] = MappingProxyType(
    {"nominal": nominal_distance, "ordinal": ordinal_distance, "interval": interval_distance, "ratio": ratio_distance}
)
_NUMERIC_LEVELS = ("interval", "ratio")
#: Up to this many categories the full coincidence matrix (q² terms, one entry per coder pair) is the faster sum;
#: beyond it nominal alpha keeps only margins and diagonal (q + 1 terms, three entries per coder pair).
_FEW_CATEGORIES = 16
# Beyond this many distinct values the q × q coincidence matrix itself gets too large to hold.
_MAX_CATEGORIES = 4096


def krippendorff_alpha(
    ratings: object, level: Level | Distance = "nominal", categories: Sequence[Hashable] | None = None
) -> float:
    """Krippendorff's alpha, by Krippendorff's own definitions; missing values allowed.

    Parameters
    ----------
    ratings : array_like, coders × units
        Category labels or numbers; None or NaN where a coder gave no value.
    level : {"nominal", "ordinal", "interval", "ratio"} or Distance
        Level of measurement; interval and ratio need numbers, ordinal labels need `categories` for their order.
    categories : sequence, optional
        The value domain in order (default: the sorted observed values).

    Returns
    -------
    float
        α; 1 is perfect agreement, 0 agreement at chance. Krippendorff reads α ≥ .800 as reliable, ≥ .667 as tentative.
    """
    return krippendorff_alpha_sums(ratings, level, categories).value()


def krippendorff_alpha_sums(
    ratings: object, level: Level | Distance = "nominal", categories: Sequence[Hashable] | None = None
) -> UnitSums:
    """krippendorff_alpha as sums over units: each unit's contribution to the coincidence matrix."""
    distance = _distance(level)
    coded = coded_ratings(ratings, categories)
    if isinstance(level, str) and level in _NUMERIC_LEVELS and not coded.numeric:
        raise AgreementError(f"{level} alpha needs numbers; the ratings hold labels")
    if isinstance(level, str) and level == "ordinal" and not coded.numeric and categories is None:
        raise AgreementError("ordinal alpha on labels needs `categories` to put them in order")
    require_coders(coded, "Krippendorff's alpha")
    category_count = coded.category_count
    if category_count > _MAX_CATEGORIES:
        raise AgreementError(f"Krippendorff's alpha takes at most {_MAX_CATEGORIES} distinct values, got {category_count}")
    present = coded.present
    per_unit = np.count_nonzero(present, axis=0)
    require_pairable(int(np.count_nonzero(per_unit >= 2)), "Krippendorff's alpha")
    weight = 1.0 / np.maximum(per_unit - 1, 1)
    if distance is nominal_distance and category_count > _FEW_CATEGORIES:
        return _nominal_sums(coded, present, weight)
    blocks: list[Entries] = []
    # One bincount term per ordered value pair (c, k); each unordered coder pair is counted once and mirrored in finish.
    for first in range(coded.coder_count):
        for second in range(first + 1, coded.coder_count):
            both = np.flatnonzero(present[first] & present[second])
            terms = coded.codes[first, both] * category_count + coded.codes[second, both]
            blocks.append((both.astype(np.intp), terms.astype(np.intp), weight[both]))
    values = coded.positions()

    def finish(totals: FloatArray) -> FloatArray:
        upper = totals.reshape(*totals.shape[:-1], category_count, category_count)
        coincidences = upper + np.swapaxes(upper, -2, -1)
        counts = coincidences.sum(axis=-1)
        total = counts.sum(axis=-1)[..., np.newaxis, np.newaxis]
        expected = (counts[..., :, np.newaxis] * counts[..., np.newaxis, :] - _diagonal(counts)) / (total - 1)
        delta = distance(values, counts)
        observed_disagreement = (coincidences * delta).sum(axis=(-2, -1))
        expected_disagreement = (expected * delta).sum(axis=(-2, -1))
        alpha: FloatArray = 1 - observed_disagreement / expected_disagreement
        return alpha

    return UnitSums.of("Krippendorff's alpha", coded.unit_count, blocks, category_count**2, finish, NO_VARIATION)


def _nominal_sums(coded: CodedRatings, present: npt.NDArray[np.bool_], weight: FloatArray) -> UnitSums:
    """Nominal alpha needs only the coincidences' diagonal and margins, q + 1 terms instead of q².

    With n_c the margins, n their sum and D the diagonal's sum: Do ∝ n − D and De ∝ (n² − Σ n_c²) / (n − 1), so
    α = 1 − (n − 1)(n − D) / (n² − Σ n_c²). A thousand bootstrap resamples over codes as categories (a hundred of
    them) then cost a thousand × a hundred numbers, not a thousand × ten thousand.
    """
    category_count = coded.category_count
    diagonal = category_count
    blocks: list[Entries] = []
    for first in range(coded.coder_count):
        for second in range(first + 1, coded.coder_count):
            both = np.flatnonzero(present[first] & present[second])
            units = both.astype(np.intp)
            mine, theirs = coded.codes[first, both], coded.codes[second, both]
            # Each coder pair adds its weight to both values' margins, and twice to the diagonal when they agree.
            blocks.append((units, mine.astype(np.intp), weight[both]))
            blocks.append((units, theirs.astype(np.intp), weight[both]))
            same = np.flatnonzero(mine == theirs)
            blocks.append((units[same], np.full(len(same), diagonal, dtype=np.intp), 2 * weight[both][same]))

    def finish(totals: FloatArray) -> FloatArray:
        counts = totals[..., :category_count]
        total = counts.sum(axis=-1)
        agreeing = totals[..., diagonal]
        alpha: FloatArray = 1 - (total - 1) * (total - agreeing) / (total**2 - (counts**2).sum(axis=-1))
        return alpha

    return UnitSums.of("Krippendorff's alpha", coded.unit_count, blocks, category_count + 1, finish, NO_VARIATION)


def _diagonal(counts: FloatArray) -> FloatArray:
    eye = np.eye(counts.shape[-1])
    result: FloatArray = counts[..., np.newaxis, :] * eye
    return result


def _distance(level: Level | Distance) -> Distance:
    if isinstance(level, str):
        if level not in LEVELS:
            raise AgreementError(f"level must be one of {', '.join(LEVELS)} or a distance function, got {level!r}")
        return LEVELS[level]
    if not callable(level):
        raise AgreementError(f"level must be one of {', '.join(LEVELS)} or a distance function, got {level!r}")
    return level
