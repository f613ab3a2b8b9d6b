"""Inter-coder agreement statistics, numpy-vectorised, on ratings given as a coders × units table.

`ratings` is a 2-D array-like (list of lists, numpy array or pandas DataFrame) whose rows are coders and columns
units; a cell holds a category label or number, None or NaN where that coder gave the unit no value. Every
statistic returns a float.

Degenerate input has one policy: the statistic raises `DegenerateRatings`, a ValueError whose `reason` says why in
a sentence a report can show beside a NaN. It happens for a single coder, for no unit with two or more values, and
for a single category (chance agreement certain: every kappa and alpha would be 0/0) — never a silent 0 or 1.
Percent agreement is the one exception to the last: with one category everyone agrees, and it says 1.0.
Input the statistics cannot read at all (not 2-D, labels where numbers are needed, a value outside `categories`)
raises `AgreementError`, the ValueError DegenerateRatings derives from.

bootstrap_interval(statistic, ratings, level=0.95, resamples=1000, seed=0) gives a percentile interval for any of
them by resampling units; the package's own statistics resample all at once from their sums over units.
weighted(statistic, ratings, weights) gives a statistic where unit j stands for weights[j] identical units.
"""

from __future__ import annotations

from workbench.agreement._ratings import ratings_from_category_counts, ratings_from_contingency
from workbench.agreement.bootstrap import bootstrap_interval, weighted
from workbench.agreement.errors import AgreementError, DegenerateRatings
from workbench.agreement.gwet import gwet_ac1
from workbench.agreement.kappa import (
    brennan_prediger,
    cohen_kappa,
    conger_kappa,
    fleiss_kappa,
    percent_agreement,
    scott_pi,
)
from workbench.agreement.krippendorff import Distance, krippendorff_alpha
from workbench.agreement.unitizing import unitizing_alpha

__all__ = [
    "AgreementError",
    "DegenerateRatings",
    "Distance",
    "bootstrap_interval",
    "brennan_prediger",
    "cohen_kappa",
    "conger_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "ratings_from_category_counts",
    "ratings_from_contingency",
    "scott_pi",
    "unitizing_alpha",
    "weighted",
]
