"""Data sets from the literature and from established packages' documentation and tests, with where each comes from."""

from __future__ import annotations

NAN = float("nan")

#: Krippendorff (2011) "Computing Krippendorff's alpha-reliability", the example with missing values: 4 observers
#: (rows) × 12 units, as the `krippendorff` package's tests have it.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]

#: Gwet's (2014) handbook `cac.raw4raters` (irrCAC's raw_4raters, there units × raters): the same data, except that
#: the lone value of unit 12 stands under the third rater, not the second. Only rater-specific statistics (Conger's
#: kappa) can tell the two apart.
GWET_4_RATERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, NAN],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]

#: The example of Wikipedia's "Krippendorff's alpha" article, used in the docstring and tests of the `krippendorff`
#: package (0.9.0): 3 coders × 15 units, α nominal 0.691358, interval 0.810845.
WIKIPEDIA_ALPHA = [
    [NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
    [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
    [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4],
]

#: Fleiss (1971) Table 1: 30 patients × 5 diagnoses (depression, personality disorder, schizophrenia, neurosis,
#: other), how many of 6 psychiatrists chose each. R irr's kappam.fleiss(diagnoses) = 0.4302445 (recorded in
#: statsmodels' test_inter_rater.py).
FLEISS_1971 = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0], [2, 0, 4, 0, 0],
    [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6], [1, 0, 0, 5, 0], [1, 1, 0, 4, 0],
    [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1], [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0],
    [0, 2, 0, 4, 0], [1, 0, 2, 0, 3], [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0],
    [1, 0, 0, 4, 1], [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
]

#: The worked example of Wikipedia's "Fleiss' kappa" article (10 subjects, 14 raters, 5 categories): κ = 0.210,
#: asserted in statsmodels' test_fleiss_kappa.
WIKIPEDIA_FLEISS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]

#: Gwet (2014) handbook, `cac.raw5obs` (irrCAC's raw_5observers): 5 observers × 15 units, categories 0–3, missing
#: values. irrCAC's tests: Fleiss .458, AC1 .497, Conger .469, Brennan–Prediger .487, Krippendorff .481, pa .616.
GWET_5_OBSERVERS = [
    [1, 1, 2, NAN, 0, 0, 1, 1, 2, 2, NAN, 0, 1, 3, 1],
    [1, 1, 3, 0, 0, 0, 0, NAN, 2, 1, 1, 0, 2, 3, 1],
    [2, 0, 3, 0, 0, 0, 2, 2, 2, 1, 0, 0, 2, 2, 1],
    [NAN, 1, 3, NAN, NAN, NAN, NAN, 0, NAN, 1, 0, 0, 2, 2, NAN],
    [2, NAN, NAN, 0, 0, 0, 1, NAN, 2, NAN, NAN, NAN, NAN, 3, 1],
]

#: Gwet (2014) handbook contingency tables (irrCAC's table_cont3x3abstractors, table_cont4x4diagnosis); rows the
#: first rater. irrCAC's tests: 3×3 Cohen .796 (linear .843, quadratic .892), Scott .796; 4×4 Cohen .432 (linear
#: .407, quadratic .383), Scott .430.
GWET_3X3_ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
GWET_4X4_DIAGNOSIS = [[40, 4, 4, 17], [6, 25, 2, 13], [4, 1, 21, 12], [15, 5, 9, 45]]

#: The SAS PROC FREQ example in statsmodels' TestUnweightedCohens / TestWeightedCohens: κ 0.4842, weighted with
#: linear weights (statsmodels weights=[0, 1, 2]) 0.4701.
SAS_3X3 = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]

#: R irr's `anxiety` data, raters 2 and 3 (20 subjects, scores 1–6, 5 never used): kappa2 unweighted −0.006289308,
#: "equal" (linear) 0.1459075, "squared" (quadratic) 0.2520325 (recorded in statsmodels' test_cohens_kappa_irr).
ANXIETY_RATERS_2_3 = [
    [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
    [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
]

#: NVivo's coding comparison example: a 1,000-character source, 50 characters coded by both users, 75 by A only,
#: 75 by B only, 800 by neither → 85 % agreement, κ 0.314. Rows: user A coded / not; columns: user B coded / not.
NVIVO_CHARACTERS = [[50, 75], [75, 800]]

#: Krippendorff (2004), Content Analysis 2nd ed., p. 254, as DKPro Agreement's unitizing Krippendorff2004Test has
#: it: continuum (150, 300), two coders, categories c and k; _uα = 0.8591 (±0.0005), for c alone .7286, for k 1.
KRIPPENDORFF_2004_CONTINUUM = (150, 300)
KRIPPENDORFF_2004_SEGMENTS = [
    ("i", 225, 70, "c"), ("i", 370, 30, "c"), ("j", 220, 80, "c"), ("j", 355, 20, "c"), ("j", 400, 20, "c"),
    ("i", 180, 60, "k"), ("i", 300, 50, "k"), ("j", 180, 60, "k"), ("j", 300, 50, "k"),
]


def krippendorff_1995_segments(stretch: int) -> list[tuple[str, int, int, str]]:
    """Krippendorff (1995) p. 57, four pairs of coders on a continuum of 24 (A–D), every position times `stretch`.

    As DKPro Agreement's Krippendorff1995Test builds it; the published _uα per category are A .553, B −.926, C .679,
    D .066, which the formula approaches as the continuum grows (DKPro asserts them to ±0.02 at stretch 50,000).
    """
    marks = {
        "A": [("Bertha", 2, 8), ("Bertha", 14, 6), ("Bill", 4, 4), ("Bill", 15, 2)],
        "B": [("John", 0, 18)] + [("Jill", begin, size) for begin, size in [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]],
        "C": [("Gerret", begin, size) for begin, size in [(2, 6), (10, 2), (14, 4), (20, 2)]]
        + [("Gill", begin, size) for begin, size in [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)]],
        "D": [("Heather", begin, size) for begin, size in [(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)]]
        + [("Hill", begin, size) for begin, size in [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)]],
    }
    return [(coder, begin * stretch, size * stretch, category) for category, rows in marks.items() for coder, begin, size in rows]
