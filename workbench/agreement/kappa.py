"""Percent agreement and the kappa family: Cohen, Scott, Fleiss (Gwet's generalisation), Conger, Brennan–Prediger.

All share one observed agreement where they can (the pairwise agreement of each unit with two or more values,
averaged over those units) and differ in the agreement they expect by chance. `ratings` is always coders × units.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np

from workbench.agreement._ratings import (
    CodedRatings,
    FloatArray,
    coded_ratings,
    require_categories,
    require_coders,
    require_pairable,
)
from workbench.agreement._sums import Entries, UnitSums, agreement_and_shares, column, pairwise_agreement
from workbench.agreement.errors import AgreementError, DegenerateRatings

Weights = Literal["linear", "quadratic"]

ONE_CATEGORY = "only one category was used, so chance agreement is certain (1) and the coefficient is 0/0"


def percent_agreement(ratings: object) -> float:
    """Observed agreement: the share of agreeing coder pairs per unit, averaged over units with two or more values.

    Returns a proportion in [0, 1] (multiply by 100 for a percentage). With two coders it is the share of units
    both coded on which they agree; one category only is not degenerate here (everyone agrees: 1.0).

    Parameters
    ----------
    ratings : array_like, coders × units
        Category labels or numbers; None or NaN where a coder gave no value.
    """
    return percent_agreement_sums(ratings).value()


def percent_agreement_sums(ratings: object) -> UnitSums:
    """percent_agreement as sums over units."""
    coded = coded_ratings(ratings)
    require_coders(coded, "percent agreement")
    _, parts = pairwise_agreement(coded)
    require_pairable(len(parts[0][0]), "percent agreement")

    def finish(totals: FloatArray) -> FloatArray:
        share: FloatArray = totals[..., 0] / totals[..., 1]
        return share

    return UnitSums.of("percent agreement", coded.unit_count, parts, 2, finish, "no unit was coded by two coders")


def cohen_kappa(
    ratings: object, weights: Weights | None = None, categories: Sequence[Hashable] | None = None
) -> float:
    """Cohen's kappa (1960) for two coders, or weighted kappa (1968) with linear or quadratic disagreement weights.

    Only units both coders rated count. Weights grow with the distance between category positions in `categories`
    (given, or the sorted observed values): |i − j| (linear) or (i − j)² (quadratic), as scikit-learn and R's irr do.

    Parameters
    ----------
    ratings : array_like, 2 × units
        Two coders' category labels or numbers; None or NaN where a coder gave no value.
    weights : {None, "linear", "quadratic"}
        None for unweighted kappa.
    categories : sequence, optional
        Every category in order; only its order and length matter.
    """
    return cohen_kappa_sums(ratings, weights, categories).value()


def cohen_kappa_sums(
    ratings: object, weights: Weights | None = None, categories: Sequence[Hashable] | None = None
) -> UnitSums:
    """cohen_kappa as sums over units: the two coders' contingency table."""
    coded, parts = _two_coder_table(ratings, categories, "Cohen's kappa")
    category_count = coded.category_count
    disagreement = _disagreement_weights(category_count, weights)

    def finish(totals: FloatArray) -> FloatArray:
        table = totals.reshape(*totals.shape[:-1], category_count, category_count)
        first = table.sum(axis=-1)
        second = table.sum(axis=-2)
        observed = (table * disagreement).sum(axis=(-2, -1))
        expected = (first[..., :, np.newaxis] * second[..., np.newaxis, :] * disagreement).sum(axis=(-2, -1))
        # Disagreements as counts: the tables' totals cancel between observed (n) and expected (n²) once scaled.
        kappa: FloatArray = 1 - observed * table.sum(axis=(-2, -1)) / expected
        return kappa

    return UnitSums.of("Cohen's kappa", coded.unit_count, parts, category_count**2, finish, ONE_CATEGORY)


def scott_pi(ratings: object) -> float:
    """Scott's pi (1955) for two coders: chance agreement from the two coders' pooled category proportions.

    Only units both coders rated count (for more coders, or to keep units one coder rated in the proportions, use
    fleiss_kappa, its generalisation).

    Parameters
    ----------
    ratings : array_like, 2 × units
        Two coders' category labels or numbers; None or NaN where a coder gave no value.
    """
    return scott_pi_sums(ratings).value()


def scott_pi_sums(ratings: object) -> UnitSums:
    """scott_pi as sums over units: the two coders' contingency table."""
    coded, parts = _two_coder_table(ratings, None, "Scott's pi")
    category_count = coded.category_count

    def finish(totals: FloatArray) -> FloatArray:
        table = totals.reshape(*totals.shape[:-1], category_count, category_count)
        count = table.sum(axis=(-2, -1))
        observed = np.trace(table, axis1=-2, axis2=-1) / count
        pooled = (table.sum(axis=-1) + table.sum(axis=-2)) / (2 * count[..., np.newaxis])
        expected = (pooled**2).sum(axis=-1)
        pi: FloatArray = (observed - expected) / (1 - expected)
        return pi

    return UnitSums.of("Scott's pi", coded.unit_count, parts, category_count**2, finish, ONE_CATEGORY)


def fleiss_kappa(ratings: object) -> float:
    """Fleiss' kappa (1971) for any number of coders, with missing values as Gwet (2014) generalises it.

    Observed agreement averages each unit's pairwise agreement over units with two or more values; chance agreement
    is Σ π_k², π_k the share of category k per unit averaged over every unit with at least one value. Without
    missing values this is Fleiss' kappa; with two coders and no missing values it is Scott's pi.

    Parameters
    ----------
    ratings : array_like, coders × units
        Category labels or numbers; None or NaN where a coder gave no value.
    """
    return fleiss_kappa_sums(ratings).value()


def fleiss_kappa_sums(ratings: object) -> UnitSums:
    """fleiss_kappa as sums over units."""
    coded = coded_ratings(ratings)
    parts = agreement_and_shares(coded, "Fleiss' kappa")
    category_count = coded.category_count

    def finish(totals: FloatArray) -> FloatArray:
        observed = totals[..., 0] / totals[..., 1]
        shares = totals[..., 2 : 2 + category_count] / totals[..., 2 + category_count, np.newaxis]
        expected = (shares**2).sum(axis=-1)
        kappa: FloatArray = (observed - expected) / (1 - expected)
        return kappa

    return UnitSums.of("Fleiss' kappa", coded.unit_count, parts, category_count + 3, finish, ONE_CATEGORY)


def conger_kappa(ratings: object) -> float:
    """Conger's kappa (1980): Fleiss' observed agreement, chance agreement averaged over Cohen-style coder pairs.

    Chance agreement is Σ_k (p̄_k² − s²_k / r), p_gk the share of coder g's values in category k, p̄_k its mean and
    s²_k its variance over the r coders (Gwet 2014, missing values allowed). With two coders and no missing values it
    is Cohen's kappa.

    Parameters
    ----------
    ratings : array_like, coders × units
        Category labels or numbers; None or NaN where a coder gave no value.
    """
    return conger_kappa_sums(ratings).value()


def conger_kappa_sums(ratings: object) -> UnitSums:
    """conger_kappa as sums over units: pairwise agreement, and each coder's count per category."""
    coded = coded_ratings(ratings)
    require_coders(coded, "Conger's kappa")
    _, agreement = pairwise_agreement(coded)
    require_pairable(len(agreement[0][0]), "Conger's kappa")
    coder_count, category_count = coded.coder_count, coded.category_count
    silent = [str(coder) for coder in range(coder_count) if not coded.present[coder].any()]
    if silent:
        raise DegenerateRatings(f"coder(s) {', '.join(silent)} (row numbers from 0) gave no value", "Conger's kappa")
    coder, unit = np.nonzero(coded.present)
    ones = np.ones(len(unit))
    by_category = (unit.astype(np.intp), 2 + coder * category_count + coded.codes[coder, unit], ones)
    by_coder = (unit.astype(np.intp), (2 + coder_count * category_count + coder).astype(np.intp), ones)
    parts = [*agreement, by_category, by_coder]

    def finish(totals: FloatArray) -> FloatArray:
        observed = totals[..., 0] / totals[..., 1]
        per_category = totals[..., 2 : 2 + coder_count * category_count]
        per_category = per_category.reshape(*totals.shape[:-1], coder_count, category_count)
        shares = per_category / totals[..., 2 + coder_count * category_count :, np.newaxis]
        mean = shares.mean(axis=-2)
        variance = shares.var(axis=-2, ddof=1)
        expected = (mean**2 - variance / coder_count).sum(axis=-1)
        kappa: FloatArray = (observed - expected) / (1 - expected)
        return kappa

    term_count = 2 + coder_count * (category_count + 1)
    return UnitSums.of("Conger's kappa", coded.unit_count, parts, term_count, finish, ONE_CATEGORY)


def brennan_prediger(ratings: object, categories: Sequence[Hashable] | None = None) -> float:
    """Brennan and Prediger's (1981) kappa: Fleiss' observed agreement, chance agreement 1/q.

    q is len(categories) when given, else the number of categories observed.

    Parameters
    ----------
    ratings : array_like, coders × units
        Category labels or numbers; None or NaN where a coder gave no value.
    categories : sequence, optional
        Every category coders could choose, observed or not.
    """
    return brennan_prediger_sums(ratings, categories).value()


def brennan_prediger_sums(ratings: object, categories: Sequence[Hashable] | None = None) -> UnitSums:
    """brennan_prediger as sums over units."""
    coded = coded_ratings(ratings, categories)
    require_coders(coded, "Brennan–Prediger's kappa")
    _, parts = pairwise_agreement(coded)
    require_pairable(len(parts[0][0]), "Brennan–Prediger's kappa")
    require_categories(coded, "Brennan–Prediger's kappa")
    expected = 1 / coded.category_count

    def finish(totals: FloatArray) -> FloatArray:
        kappa: FloatArray = (totals[..., 0] / totals[..., 1] - expected) / (1 - expected)
        return kappa

    return UnitSums.of("Brennan–Prediger's kappa", coded.unit_count, parts, 2, finish, ONE_CATEGORY)


def _two_coder_table(ratings: object, categories: Sequence[Hashable] | None, statistic: str) -> tuple[CodedRatings, list[Entries]]:
    """Entries that sum to two coders' contingency table (term i·q + j: coder 1 said i, coder 2 said j)."""
    coded = coded_ratings(ratings, categories)
    require_coders(coded, statistic, exactly=2)
    both = np.flatnonzero(coded.present.all(axis=0))
    require_pairable(len(both), statistic)
    first, second = coded.codes[0, both], coded.codes[1, both]
    units, _, ones = column(both, 0, np.ones(len(both)))
    return coded, [(units, (first * coded.category_count + second).astype(np.intp), ones)]


def _disagreement_weights(category_count: int, weights: Weights | None) -> FloatArray:
    positions = np.arange(category_count, dtype=np.float64)
    distance: FloatArray = np.abs(positions[:, np.newaxis] - positions[np.newaxis, :]).astype(np.float64)
    if weights is None:
        return (distance > 0).astype(np.float64)
    if weights == "linear":
        return distance
    if weights == "quadratic":
        return distance**2
    raise AgreementError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")
