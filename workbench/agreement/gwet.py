"""Gwet's AC1 (2008): agreement corrected for chance, where chance comes from how hard the units were to classify."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from workbench.agreement._ratings import FloatArray, coded_ratings, require_categories
from workbench.agreement._sums import UnitSums, agreement_and_shares


def gwet_ac1(ratings: object, categories: Sequence[Hashable] | None = None) -> float:
    """Gwet's first-order agreement coefficient AC1, for any number of coders, missing values allowed.

    Observed agreement as Fleiss' (pairwise, over units with two or more values); chance agreement
    Σ_k π_k (1 − π_k) / (q − 1), π_k as in Fleiss' kappa (Gwet 2014), q = len(categories) when given, else the
    number of categories observed. Unlike kappa it stays high when one category dominates and coders agree.

    Parameters
    ----------
    ratings : array_like, coders × units
        Category labels or numbers; None or NaN where a coder gave no value.
    categories : sequence, optional
        Every category coders could choose, observed or not.
    """
    return gwet_ac1_sums(ratings, categories).value()


def gwet_ac1_sums(ratings: object, categories: Sequence[Hashable] | None = None) -> UnitSums:
    """gwet_ac1 as sums over units."""
    coded = coded_ratings(ratings, categories)
    parts = agreement_and_shares(coded, "Gwet's AC1")
    require_categories(coded, "Gwet's AC1")
    category_count = coded.category_count

    def finish(totals: FloatArray) -> FloatArray:
        observed = totals[..., 0] / totals[..., 1]
        shares = totals[..., 2 : 2 + category_count] / totals[..., 2 + category_count, np.newaxis]
        expected = (shares * (1 - shares)).sum(axis=-1) / (category_count - 1)
        ac1: FloatArray = (observed - expected) / (1 - expected)
        return ac1

    return UnitSums.of("Gwet's AC1", coded.unit_count, parts, category_count + 3, finish, "chance agreement is 1")
