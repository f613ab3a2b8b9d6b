"""Agreement speed: Krippendorff's alpha on a million units against the `krippendorff` package, and the demo's
agreement report at every unit kind.

1. Alpha, nominal, on 1,000,000 units × 3 coders, 5 categories, 5 % of values missing (seeded): our
   `krippendorff_alpha` against `krippendorff.alpha` on the same float array with NaN, in the same run (median of
   several runs each after a warm-up), with both values (they must agree to 1e-9) and each one's peak memory
   (tracemalloc). Target: ours ≤ 0.5× theirs.
2. The Huis van Herstel demo (onderzoeker1 against onderzoeker2, every code): `agreement_report` at every unit kind,
   cold (the first call, which loads spaCy's sentencizer for sentence units) and warm (median), against the least a
   report must do: read both coders' codings once (one SQL query) and count, per code, the documents where both
   coders used it. Target: every unit kind together under 1 s warm.

Run from the repository root: `python bench/agreement_bench.py [--units N] [--repeat K]`. Exits 1 when the values
differ or a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from workbench.agreement import krippendorff_alpha
from workbench.core.comparison.model import UnitKind
from workbench.core.comparison.report import agreement_report
from workbench.core.store import Store

CODERS = ["onderzoeker1", "onderzoeker2"]
ALPHA_TARGET = 0.5
DEMO_TARGET_S = 1.0


def ratings(units: int, seed: int = 0) -> np.ndarray[Any, np.dtype[np.float64]]:
    """3 coders × units of 5 categories, each coder agreeing with a true category 80 % of the time, 5 % missing."""
    generator = np.random.default_rng(seed)
    truth = generator.integers(0, 5, units)
    values = np.where(generator.random((3, units)) < 0.8, truth, generator.integers(0, 5, (3, units))).astype(np.float64)
    values[generator.random(values.shape) < 0.05] = np.nan
    return values


def timed(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds of `repeat` runs after one warm-up, and the last result."""
    result = run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_mb(run: Callable[[], object]) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def alpha_bench(units: int, repeat: int) -> bool:
    import krippendorff  # type: ignore[import-untyped]

    data = ratings(units)
    ours_run = lambda: krippendorff_alpha(data, level="nominal")  # noqa: E731
    theirs_run = lambda: krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")  # noqa: E731
    ours_s, ours = timed(ours_run, repeat)
    theirs_s, theirs = timed(theirs_run, repeat)
    equal = abs(float(ours) - float(theirs)) <= 1e-9  # type: ignore[arg-type]
    ratio = ours_s / theirs_s
    print(f"Krippendorff's alpha, nominal, {units:,} units × 3 coders, 5 % missing (float array with NaN to both)")
    print(f"  {'':<34}{'median':>10}{'peak':>10}  value")
    print(f"  {'workbench.agreement':<34}{ours_s * 1000:>8.0f}ms{peak_mb(ours_run):>8.0f}MB  {ours!r}")
    print(f"  {'krippendorff ' + krippendorff.__version__ if hasattr(krippendorff, '__version__') else 'krippendorff':<34}"
          f"{theirs_s * 1000:>8.0f}ms{peak_mb(theirs_run):>8.0f}MB  {theirs!r}")
    print(f"  ratio ours / krippendorff: {ratio:.2f}× (target ≤ {ALPHA_TARGET}×); values equal to 1e-9: {equal}")
    return equal and ratio <= ALPHA_TARGET


def baseline(store: Store) -> int:
    """Read both coders' codings in one query and count, per code, the documents both coders used it in."""
    from sqlalchemy import select

    from workbench.core import schema

    c, k = schema.codings, schema.coders
    with store.reading() as conn:
        rows = conn.execute(
            select(c.c.document_id, c.c.code_id, k.c.name).join(k, k.c.id == c.c.coder_id).where(k.c.name.in_(CODERS))
        ).all()
    by_code: dict[str, dict[str, set[int]]] = {}
    for document_id, code_id, coder in rows:
        by_code.setdefault(code_id, {}).setdefault(coder, set()).add(document_id)
    both = Counter({code: len(set.intersection(*coders.values())) for code, coders in by_code.items() if len(coders) == 2})
    return sum(both.values())


def demo_bench(repeat: int) -> bool:
    from workbench.demos.huis_van_herstel import build_huis_van_herstel
    from workbench.locations import shipped_corpora_dir

    with tempfile.TemporaryDirectory() as temp:
        store = build_huis_van_herstel(shipped_corpora_dir() / "huis_van_herstel", Path(temp) / "demo")
        try:
            baseline_s, _ = timed(lambda: baseline(store), repeat)
            print("\nThe demo's agreement report, onderzoeker1 and onderzoeker2, every code (1,000 bootstrap resamples per row)")
            print(f"  {'unit':<12}{'cold':>10}{'warm':>10}{'rows':>6}{'units':>8}")
            total_warm = 0.0
            for unit in UnitKind:
                start = time.perf_counter()
                agreement_report(store, CODERS, unit)
                cold = time.perf_counter() - start
                warm, report = timed(lambda unit=unit: agreement_report(store, CODERS, unit), repeat)
                total_warm += warm
                rows = report.rows  # type: ignore[attr-defined]
                print(f"  {unit.value:<12}{cold * 1000:>8.0f}ms{warm * 1000:>8.0f}ms{len(rows):>6}{report.overall.units:>8}")  # type: ignore[attr-defined]
            print(f"  all units, warm: {total_warm * 1000:.0f} ms (target < {DEMO_TARGET_S * 1000:.0f} ms); "
                  f"baseline (one query, count per code) {baseline_s * 1000:.1f} ms, ratio {total_warm / baseline_s:.0f}×")
        finally:
            store.close()
    return total_warm < DEMO_TARGET_S


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    met = alpha_bench(args.units, args.repeat)
    met = demo_bench(args.repeat) and met
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
