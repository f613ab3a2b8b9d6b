"""Each statistic reproduces values published in the literature or in established packages' documentation and tests."""

from __future__ import annotations

import numpy as np
import pytest

from tests.agreement.published import (
    ANXIETY_RATERS_2_3,
    FLEISS_1971,
    GWET_3X3_ABSTRACTORS,
    GWET_4_RATERS,
    GWET_4X4_DIAGNOSIS,
    GWET_5_OBSERVERS,
    KRIPPENDORFF_2004_CONTINUUM,
    KRIPPENDORFF_2004_SEGMENTS,
    KRIPPENDORFF_2011,
    NVIVO_CHARACTERS,
    SAS_3X3,
    WIKIPEDIA_ALPHA,
    WIKIPEDIA_FLEISS,
    krippendorff_1995_segments,
)
from workbench.agreement import (
    brennan_prediger,
    cohen_kappa,
    conger_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    ratings_from_category_counts,
    ratings_from_contingency,
    scott_pi,
    unitizing_alpha,
)


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_alpha_reproduces_krippendorff_2011_at_every_level(level: str, published: float) -> None:
    """Krippendorff (2011) "Computing Krippendorff's alpha-reliability", the example with missing values.

    The four values as he prints them (also the `krippendorff` package's docstring and irrCAC's tests).
    """
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level=level), 3) == published


def test_krippendorff_alpha_reproduces_the_krippendorff_package_documentation() -> None:
    """The `krippendorff` package (0.9.0) docstring and tests: Wikipedia's example, nominal 0.691358, interval 0.810845."""
    assert round(krippendorff_alpha(WIKIPEDIA_ALPHA, level="nominal"), 6) == 0.691358
    assert round(krippendorff_alpha(WIKIPEDIA_ALPHA, level="interval"), 6) == 0.810845


def test_ordinal_alpha_on_labels_follows_the_order_of_the_given_categories() -> None:
    """The `krippendorff` package's test_string_labels_ordinal_with_domain: 2011's example as labels, ordinal .815."""
    words = ["very low", "low", "mid", "high", "very high"]
    labels = [[None if value != value else words[int(value) - 1] for value in row] for row in KRIPPENDORFF_2011]
    assert round(krippendorff_alpha(labels, level="ordinal", categories=words), 3) == 0.815
    assert round(krippendorff_alpha(labels, level="nominal"), 3) == 0.743


def test_fleiss_kappa_reproduces_fleiss_1971_table_1() -> None:
    """Fleiss (1971) Table 1, 30 patients, 6 psychiatrists: κ = .430 (R irr's kappam.fleiss: 0.4302445)."""
    ratings = ratings_from_category_counts(FLEISS_1971)
    assert ratings.shape == (6, 30)
    assert fleiss_kappa(ratings) == pytest.approx(0.4302445, abs=5e-8)


def test_fleiss_kappa_reproduces_the_wikipedia_example_statsmodels_tests() -> None:
    """Wikipedia's Fleiss' kappa example (14 raters, 10 subjects): κ = 0.210, as statsmodels' test_fleiss_kappa asserts."""
    assert round(fleiss_kappa(ratings_from_category_counts(WIKIPEDIA_FLEISS)), 3) == 0.210


@pytest.mark.parametrize(
    ("statistic", "published"),
    [
        (percent_agreement, 0.818),
        (fleiss_kappa, 0.761),
        (gwet_ac1, 0.775),
        (conger_kappa, 0.763),
        (brennan_prediger, 0.773),
        (krippendorff_alpha, 0.743),
    ],
)
def test_multi_coder_coefficients_reproduce_gwets_handbook_on_krippendorffs_data(statistic: object, published: float) -> None:
    """Gwet (2014) Handbook of Inter-Rater Reliability, `cac.raw4raters` (Krippendorff's 2011 data), as irrCAC's tests
    assert (pa .818; Fleiss .761; AC1 .775; Conger .763; Brennan–Prediger .773; Krippendorff .743).
    """
    assert callable(statistic)
    assert round(statistic(GWET_4_RATERS), 3) == published


@pytest.mark.parametrize(
    ("statistic", "published"),
    [
        (percent_agreement, 0.616),
        (fleiss_kappa, 0.458),
        (gwet_ac1, 0.497),
        (conger_kappa, 0.469),
        (brennan_prediger, 0.487),
        (krippendorff_alpha, 0.481),
    ],
)
def test_multi_coder_coefficients_reproduce_gwets_five_observers_with_missing_values(statistic: object, published: float) -> None:
    """Gwet (2014) `cac.raw5obs`, 5 observers with missing values, as irrCAC's tests assert."""
    assert callable(statistic)
    assert round(statistic(GWET_5_OBSERVERS), 3) == published


@pytest.mark.parametrize(
    ("table", "weights", "published"),
    [
        (GWET_3X3_ABSTRACTORS, None, 0.796),
        (GWET_3X3_ABSTRACTORS, "linear", 0.843),
        (GWET_3X3_ABSTRACTORS, "quadratic", 0.892),
        (GWET_4X4_DIAGNOSIS, None, 0.432),
        (GWET_4X4_DIAGNOSIS, "linear", 0.407),
        (GWET_4X4_DIAGNOSIS, "quadratic", 0.383),
    ],
)
def test_cohen_kappa_reproduces_gwets_contingency_tables(table: list[list[int]], weights: str | None, published: float) -> None:
    """Gwet (2014) `cont3x3abstractors` and `cont4x4diagnosis`, weighted and not, as irrCAC's table tests assert."""
    assert round(cohen_kappa(ratings_from_contingency(table), weights=weights), 3) == published  # type: ignore[arg-type]


@pytest.mark.parametrize(("table", "published"), [(GWET_3X3_ABSTRACTORS, 0.796), (GWET_4X4_DIAGNOSIS, 0.430)])
def test_scott_pi_reproduces_gwets_contingency_tables(table: list[list[int]], published: float) -> None:
    """Gwet (2014) contingency tables: Scott's pi .796 and .430, as irrCAC's test_scott asserts."""
    assert round(scott_pi(ratings_from_contingency(table)), 3) == published


def test_cohen_kappa_reproduces_the_sas_example_in_statsmodels_tests() -> None:
    """SAS PROC FREQ output in statsmodels' tests: simple κ 0.4842, weighted κ (linear weights) 0.4701."""
    ratings = ratings_from_contingency(SAS_3X3)
    assert round(cohen_kappa(ratings), 4) == 0.4842
    assert round(cohen_kappa(ratings, weights="linear"), 4) == 0.4701


@pytest.mark.parametrize(("weights", "published"), [(None, -0.006289308), ("linear", 0.1459075), ("quadratic", 0.2520325)])
def test_weighted_kappa_reproduces_r_irr_on_the_anxiety_data(weights: str | None, published: float) -> None:
    """R irr's kappa2(anxiety[, 2:3]) unweighted, "equal" and "squared" (statsmodels' test_cohens_kappa_irr).

    Score 5 is never used, so the weights run over the positions of the observed scores 1, 2, 3, 4, 6, as irr does.
    """
    assert cohen_kappa(ANXIETY_RATERS_2_3, weights=weights) == pytest.approx(published, abs=5e-8)  # type: ignore[arg-type]


def test_nvivo_coding_comparison_example_from_its_contingency_of_characters() -> None:
    """NVivo's coding comparison help: 1,000 characters, 50 coded by both, 75 by A only, 75 by B only → 85 %, κ 0.314."""
    ratings = ratings_from_contingency(NVIVO_CHARACTERS)
    assert ratings.shape == (2, 1000)
    assert percent_agreement(ratings) == pytest.approx(0.85)
    assert round(cohen_kappa(ratings), 3) == 0.314


def test_unitizing_alpha_reproduces_krippendorff_2004_example() -> None:
    """Krippendorff (2004) Content Analysis p. 254, as DKPro Agreement's Krippendorff2004Test: _uα 0.8591 ± 0.0005;
    category c alone .7286, category k alone 1 (both coders marked k identically).
    """
    assert unitizing_alpha(KRIPPENDORFF_2004_CONTINUUM, KRIPPENDORFF_2004_SEGMENTS) == pytest.approx(0.8591, abs=5e-4)
    only_c = [segment for segment in KRIPPENDORFF_2004_SEGMENTS if segment[3] == "c"]
    only_k = [segment for segment in KRIPPENDORFF_2004_SEGMENTS if segment[3] == "k"]
    assert unitizing_alpha(KRIPPENDORFF_2004_CONTINUUM, only_c) == pytest.approx(0.7286, abs=1e-4)
    assert unitizing_alpha(KRIPPENDORFF_2004_CONTINUUM, only_k) == 1.0


@pytest.mark.parametrize(
    ("category", "published", "tolerance"), [("A", 0.553, 0.005), ("B", -0.926, 0.005), ("C", 0.679, 0.02), ("D", 0.066, 0.005)]
)
def test_unitizing_alpha_approaches_krippendorff_1995_on_a_long_continuum(category: str, published: float, tolerance: float) -> None:
    """Krippendorff (1995) p. 57, four coder pairs, each category on its own, continuum stretched 50,000-fold.

    Krippendorff's published values; DKPro Agreement's Krippendorff1995Test asserts them to ±0.02 and notes a small
    error in the original's expected disagreement, which shows in category C (ours .693; A, B and D agree to .005).
    """
    segments = [segment for segment in krippendorff_1995_segments(50_000) if segment[3] == category]
    assert unitizing_alpha((0, 24 * 50_000), segments) == pytest.approx(published, abs=tolerance)


def test_unitizing_alpha_reproduces_dkpro_agreements_own_example() -> None:
    """DKPro Agreement's UnitizingAgreementTest: one coder marks 1–9, the other three single characters: α = −0.7003."""
    segments = [(0, 1, 8, "A"), (1, 2, 1, "A"), (1, 4, 1, "A"), (1, 6, 1, "A")]
    assert unitizing_alpha((0, 10), segments) == pytest.approx(-0.7003, abs=1e-4)


def test_unitizing_alpha_counts_a_coder_who_marked_nothing() -> None:
    """A coder named in `coders` without segments disagrees with everything the others marked."""
    segments = [("a", 10, 20, "x"), ("b", 10, 20, "x")]
    assert unitizing_alpha((0, 100), segments) == 1.0
    assert unitizing_alpha((0, 100), segments, coders=["a", "b", "c"]) < 0.5
    assert np.isfinite(unitizing_alpha((0, 100), segments, coders=["a", "b", "c"]))
