"""Every statistic here as sums over units, so that its value and a thousand bootstrap resamples share one computation.

Each unit contributes a few numbers (its agreeing pairs, its category counts, its coincidences); the statistic is a
function of their totals. The contributions are kept sparse, as (unit, term, value) entries: the value is `finish`
of the totals, and a bootstrap resample is `finish` of the totals weighted by how often it drew each unit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from workbench.agreement._ratings import CodedRatings, FloatArray, IndexArray, require_coders, require_pairable
from workbench.agreement.errors import DegenerateRatings

# Entries handled per bincount when resampling; bounds the memory of one chunk of resamples (about 100 MB).
_CHUNK_ENTRIES = 4_000_000

Entries = tuple[IndexArray, IndexArray, FloatArray]  # per entry: its unit, its term, its value


@dataclass(frozen=True)
class UnitSums:
    """A statistic as `finish(totals)`, where totals sum sparse per-unit contributions (unit, term, value)."""

    statistic: str  # its name, for messages
    unit_count: int
    blocks: tuple[Entries, ...]  # (units, terms, values) per entry, in blocks as built (no copy to concatenate them)
    term_count: int
    finish: Callable[[FloatArray], FloatArray]  # totals (..., term_count) → statistic (...), NaN where undefined
    undefined: str  # why `finish` gives NaN on the full data, said to the user

    @classmethod
    def of(
        cls,
        statistic: str,
        unit_count: int,
        blocks: Sequence[Entries],
        term_count: int,
        finish: Callable[[FloatArray], FloatArray],
        undefined: str,
    ) -> UnitSums:
        """Sums from blocks of entries (units, terms, values)."""
        return cls(statistic, unit_count, tuple(blocks), term_count, finish, undefined)

    def totals(self) -> FloatArray:
        """Every term summed over all units."""
        totals = np.zeros(self.term_count)
        for _, terms, values in self.blocks:
            totals += np.bincount(terms, weights=values, minlength=self.term_count)
        return totals

    def value(self, weights: FloatArray | None = None) -> float:
        """The statistic on the full data, or with unit j counted weights[j] times; DegenerateRatings where undefined."""
        totals = self.totals() if weights is None else self.resampled_totals(weights[np.newaxis, :])[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            result = float(self.finish(totals))
        if not np.isfinite(result):
            raise DegenerateRatings(self.undefined, self.statistic)
        return result

    def resampled_totals(self, multiplicity: FloatArray) -> FloatArray:
        """Every term's total for each row of `multiplicity` (rows × units: how often each unit counts)."""
        rows = multiplicity.shape[0]
        offsets = np.arange(rows)[:, np.newaxis] * self.term_count
        totals = np.zeros(rows * self.term_count)
        for units, terms, values in self.blocks:
            index = (offsets + terms[np.newaxis, :]).ravel()
            totals += np.bincount(index, weights=(multiplicity[:, units] * values[np.newaxis, :]).ravel(), minlength=len(totals))
        return totals.reshape(rows, self.term_count)

    def resampled(self, multiplicity: FloatArray) -> FloatArray:
        """The statistic for each row of `multiplicity` (resamples × units: how often each unit was drawn)."""
        results = np.empty(multiplicity.shape[0])
        entry_count = sum(len(terms) for _, terms, _ in self.blocks)
        per_chunk = max(1, _CHUNK_ENTRIES // max(1, entry_count))
        for start in range(0, multiplicity.shape[0], per_chunk):
            chunk = multiplicity[start : start + per_chunk]
            totals = self.resampled_totals(chunk)
            with np.errstate(divide="ignore", invalid="ignore"):
                results[start : start + chunk.shape[0]] = self.finish(totals)
        return results


def column(units: IndexArray, term: int, values: FloatArray) -> Entries:
    """Per-unit values that all go into one term."""
    return units.astype(np.intp), np.full(len(units), term, dtype=np.intp), values.astype(np.float64)


def pairwise_agreement(coded: CodedRatings) -> tuple[FloatArray, list[Entries]]:
    """Units × categories counts, and per pairable unit its share of agreeing coder pairs (term 0) and a 1 (term 1).

    Averaging the first over the second is the observed agreement of Fleiss, Gwet, Brennan–Prediger and Conger (and
    the pairwise percent agreement): Σ_k n_uk (n_uk − 1) / (n_u (n_u − 1)) over units with n_u ≥ 2 values.
    """
    counts = coded.category_counts()
    per_unit = counts.sum(axis=1)
    pairable = np.flatnonzero(per_unit >= 2)
    pairs = per_unit[pairable] * (per_unit[pairable] - 1)
    agreeing = (counts[pairable] * (counts[pairable] - 1)).sum(axis=1)
    return counts, [column(pairable, 0, agreeing / pairs), column(pairable, 1, np.ones(len(pairable)))]


def category_shares(counts: FloatArray, first_term: int) -> list[Entries]:
    """Per rated unit, the share of its values in each category (terms first_term…+q−1) and a 1 (term first_term+q).

    Their average over rated units is the category proportion π_k behind Fleiss' and Gwet's chance agreement
    (Gwet 2014: units with a single value count too).
    """
    per_unit = counts.sum(axis=1)
    rated = np.flatnonzero(per_unit >= 1)
    shares = counts[rated] / per_unit[rated, np.newaxis]
    units, columns = np.nonzero(shares)
    category_count = counts.shape[1]
    return [
        (rated[units].astype(np.intp), (columns + first_term).astype(np.intp), shares[units, columns]),
        column(rated, first_term + category_count, np.ones(len(rated))),
    ]


def agreement_and_shares(coded: CodedRatings, statistic: str) -> list[Entries]:
    """Entries for pairwise agreement (terms 0, 1) and category shares (terms 2 … q+2): Fleiss' and Gwet's sums."""
    require_coders(coded, statistic)
    counts, agreement = pairwise_agreement(coded)
    require_pairable(len(agreement[0][0]), statistic)
    return agreement + category_shares(counts, 2)
