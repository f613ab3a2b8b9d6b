"""Ratings come as lists, numpy arrays or DataFrames, labels or numbers; the helpers build them from tables of counts."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tests.agreement.published import FLEISS_1971, GWET_4X4_DIAGNOSIS, KRIPPENDORFF_2011
from workbench.agreement import (
    AgreementError,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    ratings_from_category_counts,
    ratings_from_contingency,
)


def test_lists_arrays_and_dataframes_of_the_same_ratings_give_the_same_alpha() -> None:
    as_list = KRIPPENDORFF_2011
    as_array = np.array(KRIPPENDORFF_2011)
    as_frame = pd.DataFrame(as_array, index=["A", "B", "C", "D"])
    as_objects = [[None if value != value else value for value in row] for row in KRIPPENDORFF_2011]
    values = {krippendorff_alpha(ratings) for ratings in (as_list, as_array, as_frame, as_objects)}
    assert len(values) == 1


def test_labels_and_numbers_give_the_same_nominal_statistics() -> None:
    names = {1: "geen", 2: "weinig", 3: "wat", 4: "veel", 5: "alles"}
    labels = [[None if value != value else names[int(value)] for value in row] for row in KRIPPENDORFF_2011]
    frame = pd.DataFrame(labels)
    for statistic in (krippendorff_alpha, fleiss_kappa, gwet_ac1):
        assert statistic(labels) == pytest.approx(statistic(KRIPPENDORFF_2011), abs=1e-12)
        assert statistic(frame) == pytest.approx(statistic(KRIPPENDORFF_2011), abs=1e-12)


def test_weighted_kappa_on_labels_weighs_by_the_order_of_the_given_categories() -> None:
    """Linear weights count positions in `categories`: the same labels in another order weigh disagreements otherwise."""
    numbers = [[1, 2, 3, 3, 1, 2, 2, 3], [1, 3, 3, 2, 1, 1, 2, 3]]
    words = ["laag", "midden", "hoog"]
    labels = [[words[value - 1] for value in row] for row in numbers]
    in_order = cohen_kappa(labels, weights="linear", categories=words)
    assert in_order == pytest.approx(cohen_kappa(numbers, weights="linear"), abs=1e-12)
    assert cohen_kappa(labels, weights="linear", categories=["midden", "laag", "hoog"]) != pytest.approx(in_order)


def test_ratings_from_contingency_reproduce_the_table() -> None:
    ratings = ratings_from_contingency(GWET_4X4_DIAGNOSIS)
    table = np.zeros((4, 4), dtype=int)
    np.add.at(table, (ratings[0], ratings[1]), 1)
    assert table.tolist() == GWET_4X4_DIAGNOSIS
    with pytest.raises(AgreementError, match="square"):
        ratings_from_contingency([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(AgreementError, match="non-negative whole numbers"):
        ratings_from_contingency([[1, -2], [3, 4]])


def test_ratings_from_category_counts_reproduce_the_counts_and_leave_unrated_places_missing() -> None:
    ratings = ratings_from_category_counts(FLEISS_1971)
    counts = [[int(np.sum(ratings[:, unit] == category)) for category in range(5)] for unit in range(30)]
    assert counts == FLEISS_1971
    uneven = ratings_from_category_counts([[2, 1], [0, 1], [1, 1]])
    assert uneven.shape == (3, 3)
    assert np.isnan(uneven[:, 1]).sum() == 2
    assert np.isnan(uneven[:, 2]).sum() == 1


def test_importing_the_statistics_loads_no_front_end_nor_pandas() -> None:
    """The package is headless and light: no Textual, no Rich, and pandas only if the caller brings a DataFrame."""
    probe = "import sys, workbench.agreement; print(sorted(m for m in ('textual', 'rich', 'pandas') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
