"""Ratings on which a statistic is undefined raise DegenerateRatings with the reason; unreadable ones AgreementError."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import pytest

from workbench.agreement import (
    AgreementError,
    DegenerateRatings,
    bootstrap_interval,
    brennan_prediger,
    cohen_kappa,
    conger_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    unitizing_alpha,
)

NAN = float("nan")
EVERY_STATISTIC: list[Callable[[object], float]] = [
    percent_agreement,
    cohen_kappa,
    scott_pi,
    fleiss_kappa,
    conger_kappa,
    brennan_prediger,
    gwet_ac1,
    krippendorff_alpha,
]
CHANCE_CORRECTED = [statistic for statistic in EVERY_STATISTIC if statistic is not percent_agreement]


@pytest.mark.parametrize("statistic", EVERY_STATISTIC, ids=lambda statistic: statistic.__name__)
def test_a_single_coder_is_degenerate_and_says_so(statistic: Callable[[object], float]) -> None:
    with pytest.raises(DegenerateRatings, match="only 1 coder") as raised:
        statistic([["a", "b", "a", "c"]])
    assert "two or more" in raised.value.reason


@pytest.mark.parametrize("statistic", EVERY_STATISTIC, ids=lambda statistic: statistic.__name__)
def test_no_unit_coded_twice_is_degenerate_and_says_so(statistic: Callable[[object], float]) -> None:
    ratings = [["a", None, "b", NAN], [None, "b", NAN, "a"]]
    with pytest.raises(DegenerateRatings, match="no unit was coded by two or more coders"):
        statistic(ratings)


@pytest.mark.parametrize("statistic", CHANCE_CORRECTED, ids=lambda statistic: statistic.__name__)
def test_one_category_only_is_degenerate_not_a_silent_one_or_zero(statistic: Callable[[object], float]) -> None:
    ratings = [["present", "present", "present"], ["present", "present", "present"]]
    with pytest.raises(DegenerateRatings) as raised:
        statistic(ratings)
    assert "category" in raised.value.reason or "same" in raised.value.reason
    assert isinstance(raised.value, ValueError)


def test_percent_agreement_on_one_category_is_full_agreement() -> None:
    """Everyone said the same thing: agreement is observed, not chance-corrected, so it is simply 1."""
    assert percent_agreement([["x", "x", "x"], ["x", "x", None]]) == 1.0


def test_ac1_and_brennan_prediger_are_defined_on_one_used_category_when_the_categories_are_given() -> None:
    """With the possible categories known, chance agreement is no longer certain: the coefficients exist."""
    ratings = [["yes", "yes", "yes"], ["yes", "yes", "yes"]]
    assert brennan_prediger(ratings, categories=["yes", "no"]) == 1.0
    assert gwet_ac1(ratings, categories=["yes", "no"]) == 1.0


def test_degenerate_ratings_name_the_statistic_in_the_message() -> None:
    with pytest.raises(DegenerateRatings) as raised:
        krippendorff_alpha([[1, 1], [1, 1]])
    assert str(raised.value).startswith("Krippendorff's alpha is undefined: ")
    assert raised.value.statistic == "Krippendorff's alpha"


def test_two_coder_statistics_refuse_three_coders_with_a_pointer_to_the_multi_coder_ones() -> None:
    ratings = [["a", "b"], ["a", "b"], ["a", "a"]]
    for statistic in (cohen_kappa, scott_pi):
        with pytest.raises(AgreementError, match="exactly 2 coders.*fleiss_kappa"):
            statistic(ratings)


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ([1, 2, 3], "2-D"),
        ([[[1], [2]], [[1], [2]]], "2-D"),
        ([[1, 2, 3], [1, 2]], "rectangular"),
        ([[1.0, float("inf")], [1.0, 2.0]], "infinite"),
    ],
)
def test_unreadable_ratings_raise_agreement_error(ratings: object, message: str) -> None:
    with pytest.raises(AgreementError, match=message):
        fleiss_kappa(ratings)


def test_interval_and_ratio_alpha_refuse_labels_and_ordinal_labels_need_an_order() -> None:
    labels = [["low", "high", "mid"], ["low", "mid", "mid"]]
    for level in ("interval", "ratio"):
        with pytest.raises(AgreementError, match="needs numbers"):
            krippendorff_alpha(labels, level=level)  # type: ignore[arg-type]
    with pytest.raises(AgreementError, match="categories"):
        krippendorff_alpha(labels, level="ordinal")
    assert krippendorff_alpha(labels, level="ordinal", categories=["low", "mid", "high"]) > 0


def test_a_rating_outside_the_given_categories_is_named() -> None:
    with pytest.raises(AgreementError, match="'maybe' is not among the categories"):
        cohen_kappa([["yes", "maybe"], ["yes", "no"]], categories=["yes", "no"])


def test_unknown_weights_and_levels_are_refused() -> None:
    with pytest.raises(AgreementError, match="weights"):
        cohen_kappa([[1, 2], [1, 2]], weights="cubic")  # type: ignore[arg-type]
    with pytest.raises(AgreementError, match="level"):
        krippendorff_alpha([[1, 2], [1, 2]], level="circular")  # type: ignore[arg-type]


def test_conger_kappa_names_a_coder_who_gave_no_value() -> None:
    ratings = [["a", "b", "a"], ["a", "b", "b"], [None, None, None]]
    with pytest.raises(DegenerateRatings, match="coder.*2.*gave no value"):
        conger_kappa(ratings)


def test_unitizing_alpha_degenerate_and_unreadable_inputs() -> None:
    with pytest.raises(DegenerateRatings, match="no coder marked any segment"):
        unitizing_alpha((0, 100), [], coders=["a", "b"])
    with pytest.raises(DegenerateRatings, match="only 1 coder"):
        unitizing_alpha((0, 100), [("a", 0, 10, "x")])
    with pytest.raises(AgreementError, match="outside the continuum"):
        unitizing_alpha((0, 100), [("a", 95, 10, "x"), ("b", 0, 10, "x")])
    with pytest.raises(AgreementError, match="length > 0"):
        unitizing_alpha((0, 100), [("a", 5, 0, "x"), ("b", 0, 10, "x")])
    with pytest.raises(AgreementError, match="not among `coders`"):
        unitizing_alpha((0, 100), [("a", 5, 5, "x"), ("z", 0, 10, "x")], coders=["a", "b"])


def test_bootstrap_interval_is_undefined_when_most_resamples_are() -> None:
    """Two coders overlap on two units only, one per category: most resamples miss one of them, and kappa with it."""
    first = ["yes", "no"] + ["yes"] * 28
    second: list[str | None] = ["yes", "no"] + [None] * 28
    assert cohen_kappa([first, second]) == 1.0
    with pytest.raises(DegenerateRatings, match="of 500 bootstrap resamples had a defined value"):
        bootstrap_interval(cohen_kappa, [first, second], resamples=500)


def test_bootstrap_interval_refuses_a_level_outside_zero_and_one() -> None:
    with pytest.raises(AgreementError, match="level"):
        bootstrap_interval(partial(cohen_kappa), [[1, 2], [1, 2]], level=95)


def test_pandas_missing_markers_count_as_missing() -> None:
    """pd.NA and None in a DataFrame are missing values: only the units both coders rated remain."""
    frame = pd.DataFrame([["a", pd.NA, "b", "a", "b"], ["a", "b", None, "b", "b"]], dtype=object)
    assert percent_agreement(frame) == percent_agreement([["a", "a", "b"], ["a", "b", "b"]])
