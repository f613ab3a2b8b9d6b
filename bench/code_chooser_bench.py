"""Per-keystroke time and peak memory of the code chooser, against a bare substring filter timed in the same run.

Each of the issue's queries is typed letter by letter ("v", "vr", … "vrijheden") into a fresh `CodeFinder`, as a
newly opened chooser sees it, on the Huis van Herstel codebook (187 codes) and on a generated one of 2,000 codes
in three levels. One keystroke is `search(limit=SHOWN_LIMIT)` plus `count`, what the widget asks for. The baseline
is the least a filter can do: keep the codes whose casefolded name contains every typed word, in codebook order
(no ranking, no typos, no themes). Peak memory (tracemalloc) covers building the index and typing every query.

The widget part types the same queries into a `CodeChooser` in a headless app on the 2,000 codes and times each
refill (rank, build the options, fill the list), against an `OptionList` refilled with the baseline's matches as
plain one-line options, capped at the same number.

Run with the project's Python from the repository root: `python bench/code_chooser_bench.py`.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.generated_codebook

from tests.generated_codebook import generated_codes  # noqa: E402
from workbench.core.codebook import Codebook  # noqa: E402
from workbench.core.codebook.find import CodeFinder  # noqa: E402
from workbench.core.codebook.yaml_file import read_codebook_file  # noqa: E402
from workbench.locations import shipped_codebook  # noqa: E402
from workbench.tui.widgets.code_chooser import SHOWN_LIMIT, CodeChooser  # noqa: E402

QUERIES = ("vrijheden", "contact met", "vriend", "steun", "onder", "vrijheiden")
TARGET_MS = 20.0
ROUNDS = 5
SIZE = (120, 40)


def keystrokes() -> list[str]:
    """Every prefix of every query, in typing order."""
    return [query[:length] for query in QUERIES for length in range(1, len(query) + 1)]


def substring_filter(book: Codebook) -> Callable[[str], list[str]]:
    """The baseline: codes whose casefolded name holds every typed word, in codebook order."""
    names = [(code.id, code.name.casefold()) for _, code in book.walk()]

    def matching(query: str) -> list[str]:
        words = query.casefold().split()
        return [code_id for code_id, name in names if all(word in name for word in words)]

    return matching


def type_into_finder(book: Codebook, samples: list[float] | None = None) -> None:
    """Type every query into a fresh CodeFinder each, as a newly opened chooser; note each keystroke's seconds."""
    for query in QUERIES:
        finder = CodeFinder(book)
        for length in range(1, len(query) + 1):
            started = time.perf_counter()
            finder.search(query[:length], limit=SHOWN_LIMIT)
            finder.count(query[:length])
            if samples is not None:
                samples.append(time.perf_counter() - started)


def type_into_baseline(book: Codebook, samples: list[float] | None = None) -> None:
    """Type every query into the bare substring filter; note each keystroke's seconds."""
    matching = substring_filter(book)
    for typed in keystrokes():
        started = time.perf_counter()
        matching(typed)
        if samples is not None:
            samples.append(time.perf_counter() - started)


def peak_mb(run: Callable[[], None]) -> float:
    """Peak traced memory of `run`, in MB (a separate pass: tracing slows every allocation)."""
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def build_seconds(book: Codebook) -> float:
    """The median time to index the codebook, paid once when a chooser opens."""
    times = []
    for _ in range(5):
        started = time.perf_counter()
        CodeFinder(book)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class ChooserApp(App[None]):
    """The widget alone, as a dialog shows it."""

    def __init__(self, book: Codebook) -> None:
        super().__init__()
        self.book = book

    def compose(self) -> ComposeResult:
        yield CodeChooser(self.book)


class BaselineApp(App[None]):
    """An input and an OptionList refilled with the substring filter's matches as plain options."""

    def __init__(self, book: Codebook) -> None:
        super().__init__()
        self.matching = substring_filter(book)
        self.names = {code.id: code.name for code in book.codes}

    def compose(self) -> ComposeResult:
        yield Input()
        yield OptionList()

    def refill(self) -> None:
        """What the baseline does on each keystroke."""
        matches = self.matching(self.query_one(Input).value)[:SHOWN_LIMIT]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self.names[code_id] for code_id in matches)
        if matches:
            options.highlighted = 0

    def on_input_changed(self) -> None:
        self.refill()


async def _refill_times(app: App[None], owner: Callable[[App[None]], object], method: str) -> list[float]:
    """Type every query into `app` (clearing with ctrl+u after each) and time each call of `owner(app).<method>`."""
    samples: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        target = owner(app)
        original = getattr(target, method)

        def timed(*args: object) -> None:
            started = time.perf_counter()
            original(*args)
            samples.append(time.perf_counter() - started)

        setattr(target, method, timed)  # the instance attribute shadows the method the handler calls
        app.query_one(Input).focus()
        await pilot.pause()
        for query in QUERIES:
            await pilot.press(*query)
            await pilot.pause()
            await pilot.press("ctrl+u")
            await pilot.pause()
    return samples


async def time_widget(book: Codebook) -> tuple[list[float], list[float]]:
    """Seconds per refill of the real chooser and of the baseline list, for every keystroke (and each clear)."""
    chooser = await _refill_times(ChooserApp(book), lambda app: app.query_one(CodeChooser), "refilter")
    baseline = await _refill_times(BaselineApp(book), lambda app: app, "refill")
    return chooser, baseline


def _ms(samples: Sequence[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(samples) * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms  max {max(samples) * 1000:6.2f} ms"


def per_keystroke_medians(samples: Sequence[float]) -> list[tuple[str, float]]:
    """Each keystroke's median over the rounds (samples run keystroke by keystroke, round after round)."""
    typed = keystrokes()
    rounds = [samples[start : start + len(typed)] for start in range(0, len(samples), len(typed))]
    return [(key, statistics.median(times)) for key, times in zip(typed, zip(*rounds, strict=True), strict=True)]


def main() -> None:
    """Print the figures and whether every keystroke on the 2,000-code codebook stays under the target."""
    books = {
        "Huis van Herstel (187 codes)": Codebook(tuple(read_codebook_file(shipped_codebook()).codes)),
        "generated (2,000 codes)": Codebook(tuple(generated_codes(2000))),
    }
    print(f"{len(keystrokes())} keystrokes: every prefix of {', '.join(repr(q) for q in QUERIES)}; "
          f"{SHOWN_LIMIT} codes listed at most; {ROUNDS} rounds")
    slowest_large = ("", 0.0)
    for label, book in books.items():
        ours: list[float] = []
        base: list[float] = []
        for _ in range(ROUNDS):  # interleaved, so a busy moment on the machine hits both sides alike
            type_into_finder(book, ours)
            type_into_baseline(book, base)
        ours_peak, base_peak = peak_mb(partial(type_into_finder, book)), peak_mb(partial(type_into_baseline, book))
        build_ms = build_seconds(book) * 1000
        print(f"\n{label}")
        print(f"  CodeFinder           {_ms(ours)}   peak {ours_peak:5.1f} MB   index built per chooser in {build_ms:.1f} ms")
        print(f"  baseline (substring) {_ms(base)}   peak {base_peak:5.1f} MB")
        print(f"  ratio (median)       {statistics.median(ours) / statistics.median(base):5.1f}x")
        if len(book.codes) >= 2000:
            slowest_large = max(per_keystroke_medians(ours), key=lambda entry: entry[1])
    chooser, baseline = asyncio.run(time_widget(books["generated (2,000 codes)"]))
    print("\nwidget refill per keystroke (rank, build the options, fill the list), headless app, 2,000 codes")
    print(f"  CodeChooser.refilter {_ms(chooser)}")
    print(f"  baseline OptionList  {_ms(baseline)}")
    print(f"  ratio (median)       {statistics.median(chooser) / statistics.median(baseline):5.1f}x")
    key, seconds = slowest_large
    verdict = "yes" if seconds * 1000 < TARGET_MS else "NO"
    print(f"\nCodeFinder under {TARGET_MS:.0f} ms for every keystroke on 2,000 codes (median of the rounds): {verdict}"
          f" (slowest {key!r}: {seconds * 1000:.2f} ms)")


if __name__ == "__main__":
    main()
