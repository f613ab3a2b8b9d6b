"""On seeded random ratings of many shapes, with missing values, every statistic equals an established package's.

The packages are test-only dependencies, each with its own conventions:
- `krippendorff` (0.9.0) takes reliability data coders × units, NaN missing, the sorted observed values as domain;
- `irrCAC` takes a DataFrame units × raters; its Fleiss' kappa with missing values is Gwet's (2014) generalisation,
  its `categories` default to the sorted observed values, and it rounds to `digits` (we ask for 15);
- `statsmodels`' fleiss_kappa takes units × categories counts of a complete design (no missing values) and its
  cohens_kappa a contingency table, weighted by category position with wt="linear" or "quadratic";
- `scikit-learn`'s cohen_kappa_score takes the two coders' labels for units both rated (no missing values).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import krippendorff
import numpy as np
import pandas as pd
import pytest
from irrCAC.raw import CAC
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, to_table
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

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
)

# irrCAC sets a value on a slice of the DataFrame we give it; pandas warns, the result is right.
pytestmark = pytest.mark.filterwarnings("ignore:A value is trying to be set on a copy:Warning")

SEEDS = range(24)
TOLERANCE = 1e-9


def random_ratings(seed: int, *, coders: int | None = None, complete: bool = False) -> np.ndarray:
    """Coders × units of category values that agree more than chance, some values missing (NaN), in a seeded shape."""
    generator = np.random.default_rng(seed)
    coder_count = coders if coders is not None else int(generator.integers(2, 7))
    unit_count = int(generator.integers(8, 400))
    category_count = int(generator.integers(2, 8))
    # Category values that are not 0…q−1: interval and ratio distances must use the values, kappa weights the positions.
    values = np.sort(generator.choice(np.arange(1, 40), size=category_count, replace=False)).astype(np.float64)
    truth = generator.integers(0, category_count, unit_count)
    agrees = generator.random((coder_count, unit_count)) < generator.uniform(0.3, 0.95)
    codes = np.where(agrees, truth, generator.integers(0, category_count, (coder_count, unit_count)))
    ratings = values[codes]
    if not complete:
        ratings[generator.random(ratings.shape) < generator.uniform(0.0, 0.4)] = np.nan
        ratings[:, 0] = values[0]  # every coder rates something, and at least one unit is pairable
        ratings[:, 1] = values[-1]
    return ratings


def _irrcac(ratings: np.ndarray, method: str, **options: object) -> float:
    frame = pd.DataFrame(ratings.T, columns=[f"coder{index}" for index in range(ratings.shape[0])])
    return float(getattr(CAC(frame, digits=15, **options), method)()["est"]["coefficient_value"])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_alpha_equals_the_krippendorff_package(seed: int, level: str) -> None:
    """α at each level equals krippendorff.alpha on the same reliability data, to 1e-9."""
    ratings = random_ratings(seed)
    expected = krippendorff.alpha(reliability_data=ratings, level_of_measurement=level)
    assert krippendorff_alpha(ratings, level=level) == pytest.approx(expected, abs=TOLERANCE)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", SEEDS)
def test_nominal_alpha_over_many_categories_and_its_bootstrap_equal_the_full_coincidence_matrix(seed: int) -> None:
    """Codes as categories (dozens of them) take nominal α's margins-and-diagonal sums; the package and the q² sums agree."""
    generator = np.random.default_rng(seed)
    truth = generator.integers(0, 60, 300)
    ratings = np.where(generator.random((3, 300)) < 0.7, truth, generator.integers(0, 60, (3, 300))).astype(np.float64)
    ratings[generator.random(ratings.shape) < 0.2] = np.nan
    expected = krippendorff.alpha(reliability_data=ratings, level_of_measurement="nominal")
    assert krippendorff_alpha(ratings, level="nominal") == pytest.approx(expected, abs=TOLERANCE)
    as_matrix = partial(krippendorff_alpha, level=lambda values, counts: (values[:, None] != values[None, :]).astype(float))
    assert as_matrix(ratings) == pytest.approx(expected, abs=TOLERANCE)
    assert bootstrap_interval(partial(krippendorff_alpha, level="nominal"), ratings, resamples=200, seed=seed) == pytest.approx(
        bootstrap_interval(as_matrix, ratings, resamples=200, seed=seed), abs=1e-9
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_nominal_alpha_on_labels_equals_the_krippendorff_package_on_numbers(seed: int) -> None:
    """The same ratings as labels (None missing) give the package's nominal α on the numbers."""
    ratings = random_ratings(seed)
    labels = [[None if np.isnan(value) else f"code {value:g}" for value in row] for row in ratings]
    expected = krippendorff.alpha(reliability_data=ratings, level_of_measurement="nominal")
    assert krippendorff_alpha(labels) == pytest.approx(expected, abs=TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("ours", "method"),
    [
        (fleiss_kappa, "fleiss"),
        (gwet_ac1, "gwet"),
        (conger_kappa, "conger"),
        (brennan_prediger, "bp"),
        (krippendorff_alpha, "krippendorff"),
    ],
)
def test_multi_coder_coefficients_equal_irrcac(seed: int, ours: Callable[[object], float], method: str) -> None:
    """Fleiss (Gwet's generalisation for missing values), AC1, Conger, Brennan–Prediger and α equal irrCAC's."""
    ratings = random_ratings(seed)
    assert ours(ratings) == pytest.approx(_irrcac(ratings, method), abs=TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS)
def test_percent_agreement_equals_irrcacs_observed_agreement(seed: int) -> None:
    """Pairwise percent agreement is irrCAC's p_a (the observed agreement of its Fleiss' kappa)."""
    ratings = random_ratings(seed)
    frame = pd.DataFrame(ratings.T)
    expected = CAC(frame, digits=15).fleiss()["est"]["pa"]
    assert percent_agreement(ratings) == pytest.approx(expected, abs=TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS[:8])
def test_ac1_and_brennan_prediger_count_unused_categories_when_given(seed: int) -> None:
    """With `categories` naming more than were used, q grows for AC1 and Brennan–Prediger, as irrCAC's `categories`."""
    ratings = random_ratings(seed)
    observed = sorted(set(ratings[~np.isnan(ratings)].tolist()))
    categories = [*observed, 100.0, 200.0]
    assert gwet_ac1(ratings, categories=categories) == pytest.approx(
        _irrcac(ratings, "gwet", categories=categories), abs=TOLERANCE
    )
    assert brennan_prediger(ratings, categories=categories) == pytest.approx(
        _irrcac(ratings, "bp", categories=categories), abs=TOLERANCE
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_fleiss_kappa_equals_statsmodels_on_complete_designs(seed: int) -> None:
    """Without missing values (statsmodels has no notion of them) Fleiss' kappa equals statsmodels' fleiss_kappa."""
    ratings = random_ratings(seed, complete=True)
    counts, _ = aggregate_raters(ratings.T)
    assert fleiss_kappa(ratings) == pytest.approx(statsmodels_fleiss_kappa(counts), abs=TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_kappa_equals_statsmodels_and_scikit_learn(seed: int, weights: str | None) -> None:
    """Cohen's kappa, unweighted and weighted, equals statsmodels' cohens_kappa and scikit-learn's cohen_kappa_score."""
    ratings = random_ratings(seed, coders=2)
    both = ~np.isnan(ratings).any(axis=0)
    first, second = ratings[0, both], ratings[1, both]
    table, _ = to_table(np.column_stack([first, second]))
    expected_statsmodels = cohens_kappa(table, wt=weights, return_results=False)
    expected_sklearn = cohen_kappa_score(first, second, weights=weights)
    ours = cohen_kappa(ratings, weights=weights)  # type: ignore[arg-type]
    assert ours == pytest.approx(expected_statsmodels, abs=TOLERANCE)
    assert ours == pytest.approx(expected_sklearn, abs=TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS)
def test_two_coder_special_cases_agree_with_each_other(seed: int) -> None:
    """Two coders, no missing values: Scott's pi is Fleiss' kappa, Conger's kappa is Cohen's, percent agreement is the
    share of equal ratings."""
    ratings = random_ratings(seed, coders=2, complete=True)
    assert scott_pi(ratings) == pytest.approx(fleiss_kappa(ratings), abs=TOLERANCE)
    assert conger_kappa(ratings) == pytest.approx(cohen_kappa(ratings), abs=TOLERANCE)
    assert percent_agreement(ratings) == pytest.approx(float(np.mean(ratings[0] == ratings[1])), abs=TOLERANCE)
