"""Keypress-to-repaint time of CodedText on a 10,000-word transcript with 300 codings, against a plain Static.

Each sample runs from just before `pilot.press(...)` (or the apply-code call) to the last screen update that
follows it: the app's `_display` is wrapped to note when the compositor hands over a finished frame, and the
bench waits until no further frame comes before taking the next sample. Baselines are timed in the same run:
the same presses scrolling a plain `Static` of the same text without highlights, and for apply-code the way
the old `DocumentText` does it (`Static.update` with the whole text re-highlighted).
"""

from __future__ import annotations

import asyncio
import functools
import random
import re
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static

from workbench.core.store import Store
from workbench.tui.colors import code_style
from workbench.tui.widgets.coded_text import CodedText, Highlight

SIZE = (120, 40)
WORDS = 10_000
HIGHLIGHTS = 300
MOVES = 200
APPLIES = 100
TARGET_MS = 50.0
SETTLE_S = 0.03  # no new frame for this long means the repaint is done (not counted in the samples)
COLOURS = ["#2e7d32", "#c62828", "#1565c0", "#f9a825", "#6a1b9a", "#00838f", "#ef6c00", "#4e342e", "#ad1457", "#9e9d24"]
VOCABULARY = (
    "ik je het de een en dat is niet wel ook maar dan wat hier echt heel goed naar met voor van op in te "
    "begeleiding contact personeel gezien herstel huis groep gesprek medewerker deelnemer vertrouwen rust "
    "structuur dagbesteding financiën schulden woning gemeente zorg hulpverlener afspraak week maand jaar "
    "eigenlijk gewoon misschien natuurlijk moeilijk makkelijk fijn lastig belangrijk samen alleen thuis "
    "zeggen denken voelen helpen werken praten luisteren veranderen proberen begrijpen geholpen gehoord "
    "naïef café één coördinator reünie ideeën zo’n m’n “echt” ‘soms’"
).split()


def transcript(word_count: int, seed: int = 7) -> str:
    """A Dutch-like interview: I:/R: turns of sentences, answers split into paragraphs, "\\r\\n" line breaks."""
    rng = random.Random(seed)
    turns: list[str] = []
    written = 0
    while written < word_count:
        question = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(6, 14)))
        turns.append(f"I: {question.capitalize()}?")
        paragraphs = []
        for _ in range(rng.randint(1, 3)):
            sentences = []
            for _ in range(rng.randint(2, 6)):
                length = rng.randint(6, 22)
                sentences.append(" ".join(rng.choice(VOCABULARY) for _ in range(length)).capitalize() + ".")
                written += length
            paragraphs.append(" ".join(sentences))
        turns.append("R: " + "\r\n\r\n".join(paragraphs))
        written += len(question.split())
    return "\r\n".join(turns) + "\r\n"


def sentence_units(text: str) -> list[tuple[int, int]]:
    """Sentences (and questions) as units, the way the coding screen moves through a transcript."""
    return [match.span() for match in re.finditer(r"[^\s.?!][^.?!\r\n]*[.?!]", text)]


def highlights(text: str, count: int, seed: int = 11) -> list[Highlight]:
    """`count` codings of 3 to 40 words at word boundaries, some overlapping."""
    rng = random.Random(seed)
    words = [match.span() for match in re.finditer(r"\w+", text)]
    spans = []
    for index in range(count):
        first = rng.randrange(len(words) - 41)
        last = first + rng.randint(2, 39)
        spans.append(Highlight(words[first][0], words[last][1], rng.choice(COLOURS), f"code {index}"))
    return spans


def highlighted_text(text: str, spans: list[Highlight]) -> Text:
    """The document as one Rich Text with every coding stylised, as DocumentText renders it."""
    rich_text = Text(text)
    for span in spans:
        rich_text.stylize(code_style(span.color), span.start, span.end)
    return rich_text


class FrameClock:
    """Notes the time of every finished frame the app hands to its driver."""

    def __init__(self, app: App[Any]) -> None:
        self.frames = 0
        self.last = 0.0
        display = app._display

        def timed_display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                self.frames += 1
                self.last = time.perf_counter()
            display(screen, renderable)

        app._display = timed_display  # type: ignore[method-assign]

    async def time(self, action: Callable[[], Awaitable[None]]) -> float:
        """Milliseconds from the start of `action` to the last frame it caused."""
        before = self.frames
        start = time.perf_counter()
        await action()
        waited = time.perf_counter()
        while self.frames == before and time.perf_counter() - waited < 1.0:
            await asyncio.sleep(0.001)
        seen = self.frames
        while True:
            await asyncio.sleep(SETTLE_S)
            if self.frames == seen:
                break
            seen = self.frames
        return (max(self.last, start) - start) * 1000


class CodedApp(App[None]):
    """The widget under test, alone on the screen."""

    def __init__(self, text: str, spans: list[Highlight]) -> None:
        super().__init__()
        self.text, self.spans = text, spans

    def compose(self) -> ComposeResult:
        yield CodedText()

    def on_mount(self) -> None:
        widget = self.query_one(CodedText)
        widget.load(self.text, sentence_units(self.text))
        widget.set_highlights(self.spans)
        widget.focus()


class StaticApp(App[None]):
    """The baseline: the same text in a plain Static inside a scrolling container."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.text, markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()


async def press_samples(app: App[None], keys: list[str]) -> list[float]:
    """Time each key press in `keys` from press to repaint."""
    samples = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock = FrameClock(app)
        for key in keys[:5]:  # warm caches and the first layout, untimed
            await pilot.press(key)
        await pilot.pause()
        for key in keys:
            samples.append(await clock.time(functools.partial(_press, pilot, key)))
    return samples


async def _press(pilot: Pilot[None], key: str) -> None:
    """Press `key` and let the app handle it."""
    await pilot.press(key)
    await pilot.pause()


async def apply_samples(text: str, spans: list[Highlight]) -> list[float]:
    """Time apply-code: the highlights plus a new one at the selection, after moving to the next sentence."""
    app = CodedApp(text, spans)
    samples = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock = FrameClock(app)
        widget = app.query_one(CodedText)
        current = list(spans)
        for index in range(APPLIES):
            await pilot.press("down")
            await pilot.pause()
            current = current + [Highlight(*widget.selection, COLOURS[index % len(COLOURS)], "new")]

            async def apply(spans_now: list[Highlight] = current) -> None:
                widget.set_highlights(spans_now)
                await pilot.pause()

            samples.append(await clock.time(apply))
    return samples


async def restyle_samples(text: str, spans: list[Highlight]) -> list[float]:
    """The apply-code baseline: re-highlight the whole text into a Static, as DocumentText does."""
    app = StaticApp(text)
    samples = []
    units = sentence_units(text)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock = FrameClock(app)
        static = app.query_one(Static)
        current = list(spans)
        for index in range(APPLIES):
            current = current + [Highlight(*units[index], COLOURS[index % len(COLOURS)], "new")]

            async def apply(spans_now: list[Highlight] = current) -> None:
                static.update(highlighted_text(text, spans_now))
                await pilot.pause()

            samples.append(await clock.time(apply))
    return samples


def _bench_project(folder: Path, text: str, codings: int) -> Store:
    """A real project: the transcript imported with its turns, 20 codes and `codings` codings by one coder."""
    from workbench.core.codebook import add_codes
    from workbench.core.codings import add_coding
    from workbench.core.corpus import add_document
    from workbench.core.model import Code, DocumentKind
    from workbench.importers.turns import detect_turns

    store = Store.create(folder / "bench", "bench")
    add_document(store, name="interview", text=text, kind=DocumentKind.TRANSCRIPT, actor="bench", turns=detect_turns(text))
    codes = [Code(id="dim", name="Succesfactoren", color="#2e7d32")]
    codes += [Code(id=f"code-{n}", name=f"Code {n}", parent_id="dim") for n in range(20)]
    add_codes(store, codes, "bench", "bench codebook")
    rng = random.Random(5)
    sentences = sentence_units(text)
    for start, end in rng.sample(sentences, codings):
        add_coding(store, document="interview", start=start, end=end, code_id=f"code-{rng.randrange(20)}", coder="bench")
    return store


async def screen_samples(text: str, codings: int) -> tuple[list[float], list[float]]:
    """The real coding screen on a real project: move-selection presses and quick-key apply-code presses."""
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.messages import OpenDocument

    moves: list[float] = []
    applies: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        store = _bench_project(Path(folder), text, codings)
        app = WorkbenchApp(store, coder="bench")
        async with app.run_test(size=SIZE) as pilot:
            app.post_message(OpenDocument("interview"))
            await pilot.pause()
            await pilot.press("g", "g")  # turn → paragraph → sentence
            await app.workers.wait_for_complete()
            await pilot.pause()
            clock = FrameClock(app)
            for _ in range(5):
                await pilot.press("down")
            for _ in range(100):
                moves.append(await clock.time(functools.partial(_press, pilot, "down")))
            for number in range(50):
                await _press(pilot, "down")
                applies.append(await clock.time(functools.partial(_press, pilot, str(number % 9 + 1))))
        store.close()
    return moves, applies


def summary(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(name: str, ours: list[float], baseline: list[float], baseline_name: str) -> None:
    """Print one scenario's numbers with its baseline and ratio."""
    median, p95 = summary(ours)
    base_median, base_p95 = summary(baseline)
    verdict = "ok" if median <= TARGET_MS else "OVER TARGET"
    print(f"{name}  (n={len(ours)})")
    print(f"  CodedText        median {median:7.1f} ms   p95 {p95:7.1f} ms   target ≤ {TARGET_MS:.0f} ms median: {verdict}")
    print(f"  {baseline_name:<16} median {base_median:7.1f} ms   p95 {base_p95:7.1f} ms")
    print(f"  ratio (ours / baseline): median {median / base_median:4.2f}×   p95 {p95 / base_p95:4.2f}×")


async def run() -> None:
    """Build the corpus, run every scenario and print the results."""
    text = transcript(WORDS)
    spans = highlights(text, HIGHLIGHTS)
    word_count = len(re.findall(r"\w+", text))
    print(
        f"transcript: {word_count} words, {len(text)} characters, {len(sentence_units(text))} sentences, "
        f"{len(spans)} highlights; terminal {SIZE[0]}×{SIZE[1]}"
    )
    started = time.perf_counter()
    moves = ["down"] * (MOVES - 40) + ["L"] * 20 + ["H"] * 20
    ours_moves = await press_samples(CodedApp(text, spans), moves)
    static_moves = await press_samples(StaticApp(text), ["down"] * MOVES)
    ours_applies = await apply_samples(text, spans)
    static_applies = await restyle_samples(text, spans)
    report("move selection (160 × down, 20 × extend, 20 × shrink)", ours_moves, static_moves, "Static, scroll")
    report("apply code (set_highlights with one more span)", ours_applies, static_applies, "Static.update")
    screen_moves, screen_applies = await screen_samples(text, HIGHLIGHTS)
    print("the whole coding screen on a real project (store write, codings panel, quick keys included):")
    report("  move selection (100 × down)", screen_moves, static_moves, "Static, scroll")
    report("  apply code by quick key (50 ×)", screen_applies, static_applies, "Static.update")
    print(f"total bench time {time.perf_counter() - started:.1f} s")


async def run_screen_only() -> None:
    """Only the whole-screen scenario (quick check while tuning): `python bench/tui_bench.py --screen`."""
    text = transcript(WORDS)
    screen_moves, screen_applies = await screen_samples(text, HIGHLIGHTS)
    for name, samples in (("move selection", screen_moves), ("apply code", screen_applies)):
        median, p95 = summary(samples)
        print(f"{name:<16} median {median:6.1f} ms   p95 {p95:6.1f} ms   (n={len(samples)})")


def main() -> None:
    """Run the bench (`--screen`: only the whole coding screen)."""
    import sys

    asyncio.run(run_screen_only() if "--screen" in sys.argv[1:] else run())


if __name__ == "__main__":
    main()
