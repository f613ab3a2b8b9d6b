"""Bootstrap intervals resample units, are reproducible from their seed, and the vectorised path equals the plain one."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pytest

from tests.agreement.test_cross_checks import random_ratings
from workbench.agreement import (
    bootstrap_interval,
    brennan_prediger,
    cohen_kappa,
    conger_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    weighted,
)

STATISTICS: list[tuple[Callable[..., float], int | None]] = [
    (percent_agreement, None),
    (fleiss_kappa, None),
    (conger_kappa, None),
    (brennan_prediger, None),
    (gwet_ac1, None),
    (krippendorff_alpha, None),
    (partial(krippendorff_alpha, level="interval"), None),
    (partial(krippendorff_alpha, level="ordinal"), None),
    (cohen_kappa, 2),
    (partial(cohen_kappa, weights="quadratic"), 2),
    (scott_pi, 2),
]


def _name(case: tuple[Callable[..., float], int | None]) -> str:
    statistic = case[0]
    if isinstance(statistic, partial):
        return f"{statistic.func.__name__}({statistic.keywords})"
    return statistic.__name__


@pytest.mark.parametrize("case", STATISTICS, ids=_name)
def test_vectorised_bootstrap_equals_computing_the_statistic_on_every_resample(case: tuple[Callable[..., float], int | None]) -> None:
    """The package's statistics resample from their sums over units; a wrapper hides that and is called per resample.

    Both draw the same units from the same seed, so the intervals must be the same.
    """
    statistic, coders = case
    ratings = random_ratings(3, coders=coders)

    def opaque(resampled: object) -> float:
        return statistic(resampled)

    fast = bootstrap_interval(statistic, ratings, resamples=300, seed=11)
    plain = bootstrap_interval(opaque, ratings, resamples=300, seed=11)
    assert fast == pytest.approx(plain, abs=1e-9)


def test_the_same_seed_gives_the_same_interval_and_another_seed_another() -> None:
    ratings = random_ratings(5)
    first = bootstrap_interval(krippendorff_alpha, ratings, seed=1)
    assert bootstrap_interval(krippendorff_alpha, ratings, seed=1) == first
    assert bootstrap_interval(krippendorff_alpha, ratings, seed=2) != first


def test_the_interval_holds_the_estimate_and_narrows_as_units_grow() -> None:
    """More units, same coders and process: a narrower 95 % interval around alpha."""
    generator = np.random.default_rng(7)
    widths = []
    for unit_count in (60, 2400):
        truth = generator.integers(0, 4, unit_count)
        noise = generator.integers(0, 4, (3, unit_count))
        ratings = np.where(generator.random((3, unit_count)) < 0.7, truth, noise).astype(float)
        low, high = bootstrap_interval(krippendorff_alpha, ratings)
        assert low <= krippendorff_alpha(ratings) <= high
        widths.append(high - low)
    assert widths[1] < widths[0] / 3


def test_a_wider_level_gives_a_wider_interval() -> None:
    ratings = random_ratings(9)
    low_90, high_90 = bootstrap_interval(fleiss_kappa, ratings, level=0.90)
    low_99, high_99 = bootstrap_interval(fleiss_kappa, ratings, level=0.99)
    assert low_99 < low_90 < high_90 < high_99


def test_resamples_are_coders_by_units_drawn_from_the_units_with_a_value() -> None:
    """What a statistic sees: every coder, as many units as had any value, only units that had one."""
    ratings = [[1.0, 2.0, np.nan, 1.0, 2.0], [1.0, 2.0, np.nan, 2.0, np.nan]]
    seen: list[np.ndarray] = []

    def recording(resampled: object) -> float:
        array = np.asarray(resampled, dtype=float)
        seen.append(array)
        return float(np.nanmean(array))

    bootstrap_interval(recording, ratings, resamples=50)
    assert len(seen) == 50
    assert all(array.shape == (2, 4) for array in seen)
    assert not any(np.isnan(array).all(axis=0).any() for array in seen)


@pytest.mark.parametrize("case", STATISTICS, ids=_name)
def test_a_weighted_unit_counts_as_that_many_identical_units(case: tuple[Callable[..., float], int | None]) -> None:
    """Character agreement weighs a coded run by its characters; that must equal repeating the run's column."""
    statistic, coders = case
    ratings = random_ratings(5, coders=coders)
    weights = np.random.default_rng(5).integers(0, 4, ratings.shape[1])
    weights[:2] = 1  # keep the columns that make every coder rate something
    assert weighted(statistic, ratings, weights) == pytest.approx(statistic(np.repeat(ratings, weights, axis=1)), abs=1e-12)
