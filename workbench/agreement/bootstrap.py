"""Bootstrap intervals for any agreement statistic here: resample units with replacement, seeded, reproducible."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from workbench.agreement._ratings import MISSING, FloatArray, IndexArray, coded_ratings
from workbench.agreement._sums import UnitSums
from workbench.agreement.errors import AgreementError, DegenerateRatings
from workbench.agreement.gwet import gwet_ac1, gwet_ac1_sums
from workbench.agreement.kappa import (
    brennan_prediger,
    brennan_prediger_sums,
    cohen_kappa,
    cohen_kappa_sums,
    conger_kappa,
    conger_kappa_sums,
    fleiss_kappa,
    fleiss_kappa_sums,
    percent_agreement,
    percent_agreement_sums,
    scott_pi,
    scott_pi_sums,
)
from workbench.agreement.krippendorff import krippendorff_alpha, krippendorff_alpha_sums

# The statistics whose resamples are computed all at once from their sums over units (see _sums.py).
_AS_SUMS: Mapping[Callable[..., float], Callable[..., UnitSums]] = MappingProxyType(
    {
        percent_agreement: percent_agreement_sums,
        cohen_kappa: cohen_kappa_sums,
        scott_pi: scott_pi_sums,
        fleiss_kappa: fleiss_kappa_sums,
        conger_kappa: conger_kappa_sums,
        brennan_prediger: brennan_prediger_sums,
        gwet_ac1: gwet_ac1_sums,
        krippendorff_alpha: krippendorff_alpha_sums,
    }
)
# Memory per batch of resamples for the multiplicity matrix (resamples × units).
_BATCH_CELLS = 2_000_000


def bootstrap_interval(
    statistic: Callable[..., float], ratings: object, *, level: float = 0.95, resamples: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap interval of `statistic` on `ratings`, resampling units (columns) with replacement.

    Any statistic of this package (or a functools.partial of one, e.g. partial(krippendorff_alpha, level="ordinal"))
    is resampled all at once from its per-unit sums; any other callable of ratings is called once per resample.
    Units with no value at all are not resampled. A resample on which the statistic is undefined (say, only one
    category drawn) is left out; when more than half are, the interval is undefined too.

    Parameters
    ----------
    statistic : callable
        ratings → float, e.g. krippendorff_alpha or cohen_kappa.
    ratings : array_like, coders × units
        As the statistic takes it.
    level : float
        Coverage, 0 < level < 1.
    resamples : int
        Number of bootstrap resamples.
    seed : int
        Seed of the generator: the same seed and data give the same interval.

    Returns
    -------
    (low, high)
    """
    if not 0 < level < 1:
        raise AgreementError(f"level must lie between 0 and 1, got {level!r}")
    if resamples < 1:
        raise AgreementError(f"resamples must be at least 1, got {resamples!r}")
    # Resampling N units with replacement only matters through how often each distinct unit (its column of values)
    # is drawn: a multinomial over the distinct columns, weighted by how many units share each. Per-code agreement
    # has a handful of distinct columns however many units, so this is the same distribution at a fraction of the work.
    table = _as_array(ratings)
    codes = coded_ratings(table).codes
    rated = np.flatnonzero((codes != MISSING).any(axis=0))
    first, shared = _distinct_columns(codes[:, rated])
    patterns = table[:, rated[first]]
    sums = _as_sums(statistic, patterns)
    generator = np.random.default_rng(seed)
    values = np.concatenate(list(_resampled_values(statistic, patterns, sums, shared, len(rated), resamples, generator)))
    defined = values[np.isfinite(values)]
    name = getattr(sums, "statistic", "") or getattr(statistic, "__name__", "the statistic")
    if len(defined) * 2 < resamples:
        raise DegenerateRatings(f"only {len(defined)} of {resamples} bootstrap resamples had a defined value", name)
    tail = (1 - level) / 2
    low, high = np.quantile(defined, [tail, 1 - tail])
    return float(low), float(high)


def _distinct_columns(codes: IndexArray) -> tuple[IndexArray, IndexArray]:
    """Where each distinct column of coded ratings first occurs and how many columns share it, in the columns' order.

    Each column is read as one number, the coders' codes its digits (first coder most significant), so the distinct
    columns come out in the same order as numpy's row-wise unique gives them, from a sort of plain integers: a row-wise
    unique sorts structured rows and took most of an agreement report on 25,000 answers.
    """
    base = int(codes.max(initial=MISSING)) + 2  # codes run from MISSING (-1) up
    if base ** codes.shape[0] >= 2**62:  # more digits than an integer holds: the row-wise way
        _, first, shared = np.unique(codes.T, axis=0, return_index=True, return_counts=True)
        return first, shared
    keys = np.zeros(codes.shape[1], dtype=np.int64)
    for row in codes:
        keys = keys * base + (row.astype(np.int64) + 1)
    _, first, shared = np.unique(keys, return_index=True, return_counts=True)
    return first, shared


def weighted(statistic: Callable[..., float], ratings: object, weights: Sequence[float]) -> float:
    """The statistic on ratings in which unit j stands for weights[j] identical units (a table of counts, say).

    Exact, and as fast as the number of distinct units: NVivo-style character agreement over a million characters
    is a 2 × 2 table, not a million columns. DegenerateRatings where the statistic is undefined.
    """
    counts = np.asarray(weights, dtype=np.float64)
    table = _as_array(ratings)
    if counts.shape != (table.shape[1],) or (counts < 0).any():
        raise AgreementError(f"weights must be one non-negative number per unit ({table.shape[1]}), got shape {counts.shape}")
    kept = np.flatnonzero(counts > 0)
    table, counts = table[:, kept], counts[kept]
    sums = _as_sums(statistic, table)
    if sums is not None:
        return sums.value(counts)
    if not np.all(counts == np.round(counts)):
        raise AgreementError("weights of a statistic outside this package must be whole numbers")
    return float(statistic(np.repeat(table, counts.astype(np.intp), axis=1)))


def _as_sums(statistic: Callable[..., float], ratings: object) -> UnitSums | None:
    """The statistic's sums over units, when it is one of ours (possibly with keyword options bound by partial)."""
    keywords: dict[str, object] = {}
    function: object = statistic
    if isinstance(statistic, functools.partial) and not statistic.args:
        function, keywords = statistic.func, dict(statistic.keywords)
    builder = _AS_SUMS.get(function) if callable(function) else None
    return builder(ratings, **keywords) if builder is not None else None


def _resampled_values(
    statistic: Callable[..., float],
    patterns: npt.NDArray[Any],
    sums: UnitSums | None,
    shared: IndexArray,
    unit_count: int,
    resamples: int,
    generator: np.random.Generator,
) -> list[FloatArray]:
    """The statistic on each resample (NaN where undefined), in batches that bound memory.

    `patterns` holds each distinct unit once and `shared` how many units have it; a resample draws `unit_count`
    units, i.e. a multinomial count per pattern.
    """
    batch = max(1, _BATCH_CELLS // max(1, len(shared)))
    weights = shared / shared.sum() if len(shared) else shared.astype(np.float64)
    results: list[FloatArray] = []
    for start in range(0, resamples, batch):
        count = min(batch, resamples - start)
        multiplicity = generator.multinomial(unit_count, weights, size=count) if len(shared) else np.zeros((count, 0))
        if sums is not None:
            results.append(sums.resampled(multiplicity.astype(np.float64)))
        else:
            results.append(
                np.array([_defined_or_nan(statistic, np.repeat(patterns, drawn, axis=1)) for drawn in multiplicity])
            )
    return results


def _defined_or_nan(statistic: Callable[..., float], ratings: npt.NDArray[Any]) -> float:
    try:
        return float(statistic(ratings))
    except DegenerateRatings:
        return float("nan")


def _as_array(ratings: object) -> npt.NDArray[Any]:
    """Ratings as a 2-D array whose columns can be indexed, keeping labels and missing values as given."""
    to_numpy = getattr(ratings, "to_numpy", None)
    if callable(to_numpy):
        return np.asarray(to_numpy())
    if isinstance(ratings, np.ndarray):
        return ratings
    return np.asarray(ratings, dtype=object)
