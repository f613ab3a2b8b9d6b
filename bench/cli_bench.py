"""`workbench --help` start-up time against a bare interpreter start, in one run."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15


def _median_seconds(argv: list[str]) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    baseline = _median_seconds([sys.executable, "-c", "pass"])
    help_time = _median_seconds([sys.executable, "-m", "workbench", "--help"])
    print(f"baseline  python -c pass        median {baseline * 1000:7.1f} ms over {RUNS} runs")
    print(f"measured  workbench --help      median {help_time * 1000:7.1f} ms over {RUNS} runs")
    print(f"ratio     {help_time / baseline:.2f}x the bare interpreter; target < 500 ms absolute: {'met' if help_time < 0.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
