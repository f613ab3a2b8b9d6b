"""Ratings as the statistics read them: a coders × units matrix of category indices, -1 where a coder gave no value."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
import numpy.typing as npt

from workbench.agreement.errors import AgreementError, DegenerateRatings

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]

MISSING = -1
# Integer-valued numbers within this span are coded by a lookup table (one pass) instead of a sort (np.unique).
_DIRECT_SPAN = 1 << 20


@dataclass(frozen=True)
class CodedRatings:
    """Ratings coded as category indices: `codes[coder, unit]` indexes `values`, MISSING where there is no value."""

    codes: IndexArray
    values: npt.NDArray[Any]  # the category behind each index, ordered: numbers (float64) or labels (object)
    numeric: bool  # True when every category is a number

    @property
    def coder_count(self) -> int:
        """Rows: coders."""
        return int(self.codes.shape[0])

    @property
    def unit_count(self) -> int:
        """Columns: units."""
        return int(self.codes.shape[1])

    @property
    def category_count(self) -> int:
        """Categories: the given ones, or the distinct values observed."""
        return len(self.values)

    @property
    def present(self) -> npt.NDArray[np.bool_]:
        """Where a coder gave a unit a value."""
        present: npt.NDArray[np.bool_] = self.codes != MISSING
        return present

    def values_per_unit(self) -> IndexArray:
        """How many coders gave each unit a value."""
        counts: IndexArray = np.count_nonzero(self.present, axis=0).astype(np.intp)
        return counts

    def category_counts(self) -> FloatArray:
        """Units × categories: how many coders gave each unit each category (Fleiss' n_ij)."""
        coder, unit = np.nonzero(self.present)
        flat = unit * self.category_count + self.codes[coder, unit]
        counts = np.bincount(flat, minlength=self.unit_count * self.category_count)
        return counts.reshape(self.unit_count, self.category_count).astype(np.float64)

    def positions(self) -> FloatArray:
        """The categories as numbers: their values when numeric, else their positions 0…q−1 (all nominal needs)."""
        if self.numeric:
            return np.asarray(self.values, dtype=np.float64)
        return np.arange(self.category_count, dtype=np.float64)


def coded_ratings(ratings: object, categories: Sequence[Hashable] | None = None) -> CodedRatings:
    """Read a coders × units array-like (lists, numpy array, pandas DataFrame; None or NaN missing) as category indices."""
    array = _as_2d_array(ratings)
    if array.dtype.kind in "iuf":
        coded = _code_numbers(array.astype(np.float64, copy=False))
    elif array.dtype.kind == "b":
        coded = _code_numbers(array.astype(np.float64))
    else:
        coded = _code_labels(array.astype(object, copy=False))
    return coded if categories is None else _recode(coded, categories)


def require_coders(coded: CodedRatings, statistic: str, *, exactly: int | None = None) -> None:
    """Refuse ratings of a single coder (degenerate), or of the wrong number of coders for a two-coder statistic."""
    if coded.coder_count < 2:
        raise DegenerateRatings(f"there is only {coded.coder_count} coder; agreement needs two or more", statistic)
    if exactly is not None and coded.coder_count != exactly:
        raise AgreementError(
            f"{statistic} compares exactly {exactly} coders, got {coded.coder_count}; use fleiss_kappa, conger_kappa or "
            "krippendorff_alpha for more"
        )


def require_pairable(pairable_units: int, statistic: str) -> None:
    """Refuse ratings in which no unit has two values to compare."""
    if pairable_units == 0:
        raise DegenerateRatings("no unit was coded by two or more coders", statistic)


def require_categories(coded: CodedRatings, statistic: str) -> None:
    """Refuse a chance model over fewer than two categories (1/q or π(1−π)/(q−1) would be 1 or 0/0)."""
    if coded.category_count < 2:
        raise DegenerateRatings(
            f"there is {coded.category_count} category; give every possible category in `categories`", statistic
        )


def ratings_from_contingency(table: object) -> npt.NDArray[np.int64]:
    """Two coders' ratings (2 × N, category index 0…q−1) from a square table of counts: rows coder 1, columns coder 2."""
    counts = _counts(table, "contingency table")
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise AgreementError(f"a contingency table must be square (q × q), got shape {counts.shape}")
    category_count = counts.shape[0]
    cells = np.repeat(np.arange(category_count * category_count), counts.ravel())
    ratings: npt.NDArray[np.int64] = np.stack([cells // category_count, cells % category_count]).astype(np.int64)
    return ratings


def ratings_from_category_counts(counts: object) -> FloatArray:
    """Ratings (coders × units, category index 0…q−1) from units × categories counts of raters, Fleiss style.

    Coder m of a unit is simply its m-th rating, so the rows carry no coder identity: fine for Fleiss' kappa, AC1,
    Brennan–Prediger and Krippendorff's alpha, meaningless for coder-specific statistics (Cohen, Conger). A unit
    rated by fewer raters than the most-rated unit gets missing values (NaN) in the remaining rows.
    """
    matrix = _counts(counts, "category counts")
    if matrix.ndim != 2:
        raise AgreementError(f"category counts must be units × categories, got shape {matrix.shape}")
    unit_count, category_count = matrix.shape
    per_unit = matrix.sum(axis=1)
    coder_count = int(per_unit.max(initial=0))
    categories = np.repeat(np.tile(np.arange(category_count), unit_count), matrix.ravel())
    units = np.repeat(np.arange(unit_count), per_unit)
    # The m-th rating of a unit is its rank among that unit's ratings.
    first_of_unit = np.concatenate([[0], np.cumsum(per_unit)[:-1]])
    rows = np.arange(len(units)) - np.repeat(first_of_unit, per_unit)
    ratings = np.full((coder_count, unit_count), np.nan)
    ratings[rows, units] = categories
    return ratings


def _counts(table: object, what: str) -> npt.NDArray[np.int64]:
    try:
        array = np.asarray(table, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise AgreementError(f"{what} must be a rectangular table of counts ({error})") from error
    if not np.all(np.isfinite(array)) or np.any(array < 0) or np.any(array != np.round(array)):
        raise AgreementError(f"{what} must hold non-negative whole numbers")
    return array.astype(np.int64)


def _as_2d_array(ratings: object) -> npt.NDArray[Any]:
    dtypes = getattr(ratings, "dtypes", None)
    to_numpy = getattr(ratings, "to_numpy", None)
    if dtypes is not None and callable(to_numpy):  # a pandas DataFrame: pd.NA and NaT become None, numbers stay fast
        numeric = all(getattr(dtype, "kind", "O") in "iufb" for dtype in dtypes)
        array = to_numpy(dtype=np.float64, na_value=np.nan) if numeric else to_numpy(dtype=object, na_value=None)
    elif isinstance(ratings, np.ndarray):
        array = ratings
    else:
        try:
            # Lists become object arrays so that NaN beside labels stays NaN (numpy would turn it into the string "nan").
            array = np.asarray(ratings, dtype=object)
        except ValueError as error:
            raise AgreementError(f"ratings must be a rectangular coders × units table ({error})") from error
    if array.ndim == 1 and array.dtype == object and any(isinstance(row, (list, tuple, np.ndarray)) for row in array):
        raise AgreementError("ratings must be a rectangular coders × units table: its rows differ in length")
    if array.ndim != 2:
        raise AgreementError(f"ratings must be 2-D, coders × units (rows are coders); got {array.ndim}-D")
    return np.asarray(array)


def _code_numbers(array: FloatArray) -> CodedRatings:
    missing = np.isnan(array)
    present = array[~missing]
    if np.isinf(present).any():
        raise AgreementError("ratings hold an infinite value")
    codes = np.full(array.shape, MISSING, dtype=np.intp)
    if present.size == 0:
        return CodedRatings(codes, np.empty(0, dtype=np.float64), numeric=True)
    low, high = float(present.min()), float(present.max())
    if high - low < _DIRECT_SPAN and np.array_equal(present, np.floor(present)):
        offsets = (present - low).astype(np.intp)
        seen = np.bincount(offsets, minlength=int(high - low) + 1) > 0
        lookup = np.cumsum(seen) - 1
        codes[~missing] = lookup[offsets]
        values = low + np.flatnonzero(seen).astype(np.float64)
    else:
        values, inverse = np.unique(present, return_inverse=True)
        codes[~missing] = inverse
    return CodedRatings(codes, values, numeric=True)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _code_labels(array: npt.NDArray[Any]) -> CodedRatings:
    flat = array.ravel()
    missing = np.fromiter((_is_missing(value) for value in flat), dtype=bool, count=flat.size)
    present = flat[~missing]
    if all(_is_number(value) for value in present):
        numbers = np.full(flat.size, np.nan)
        numbers[~missing] = np.asarray(present, dtype=np.float64)
        return _code_numbers(numbers.reshape(array.shape))
    try:
        distinct = list(dict.fromkeys(present.tolist()))
    except TypeError as error:
        raise AgreementError(f"ratings must be hashable labels or numbers ({error})") from error
    try:
        distinct.sort()
    except TypeError:
        pass  # labels of mixed types have no order; nominal statistics don't need one, weighted ones take `categories`
    index = {value: position for position, value in enumerate(distinct)}
    codes = np.full(flat.size, MISSING, dtype=np.intp)
    codes[~missing] = np.fromiter((index[value] for value in present.tolist()), dtype=np.intp, count=present.size)
    values = np.empty(len(distinct), dtype=object)
    values[:] = distinct
    return CodedRatings(codes.reshape(array.shape), values, numeric=False)


def _recode(coded: CodedRatings, categories: Sequence[Hashable]) -> CodedRatings:
    ordered = list(categories)
    try:
        index = {category: position for position, category in enumerate(ordered)}
    except TypeError as error:
        raise AgreementError(f"categories must be hashable ({error})") from error
    if len(index) != len(ordered):
        raise AgreementError("categories must not repeat a category")
    lookup = np.empty(coded.category_count + 1, dtype=np.intp)
    lookup[-1] = MISSING  # codes of -1 (missing) index the last slot
    for position, value in enumerate(coded.values.tolist()):
        if value not in index:
            raise AgreementError(f"rating {value!r} is not among the categories {ordered!r}")
        lookup[position] = index[value]
    numeric = all(_is_number(category) for category in ordered)
    values: npt.NDArray[Any]
    if numeric:
        values = np.asarray(ordered, dtype=np.float64)
    else:
        values = np.empty(len(ordered), dtype=object)
        values[:] = ordered
    return CodedRatings(lookup[coded.codes], values, numeric=numeric)
