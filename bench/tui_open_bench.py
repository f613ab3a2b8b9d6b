"""Time to open the demo project in the TUI and show a document, against the same layout fed from memory.

The baseline composes the very widgets of the documents screen with the same document list, text and
highlighting already in memory, so the ratio is what opening the store and querying it adds to Textual's
own cost of drawing that screen.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static

RUNS = 7


class InMemoryApp(App[None]):
    """The baseline: the documents screen's widgets, filled from memory instead of from the store."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "workbench" / "tui" / "workbench.tcss")

    def __init__(self, names: list[str], text: Text, codings: list[Text]) -> None:
        super().__init__()
        self.names, self.text, self.codings = names, text, codings

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(*self.names, id="documents")
            with Vertical(id="reader"):
                yield Static(self.names[0], id="document-title")
                with VerticalScroll(id="text-scroll"):
                    yield Static(self.text, id="document-text")
            yield OptionList(*self.codings, id="codings")
        yield Footer()


async def _time_in_memory(app: InMemoryApp) -> float:
    start = time.perf_counter()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("down")
        await pilot.pause()
    return time.perf_counter() - start


def _in_memory_copy(project: Path) -> InMemoryApp:
    from workbench.core.codebook import codebook
    from workbench.core.codings import coded_segments
    from workbench.core.corpus import document_summaries, get_document
    from workbench.core.store import Store
    from workbench.tui.widgets.document_text import highlighted

    with Store.open(project) as store:
        names = [s.name for s in document_summaries(store)]
        segments = coded_segments(store, names[0])
        text = highlighted(get_document(store, names[0]), segments, codebook(store))
    return InMemoryApp(names, text, [Text(s.code_name) for s in segments])


async def _time_workbench(project: Path) -> float:
    from workbench.core.store import Store
    from workbench.tui.app import WorkbenchApp

    start = time.perf_counter()
    store = Store.open(project)
    async with WorkbenchApp(store).run_test(size=(140, 40)) as pilot:
        await pilot.press("down")
        await pilot.pause()
    store.close()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["WORKBENCH_HOME"] = home
        from workbench.demo import ensure_user_demo

        project = ensure_user_demo()
        asyncio.run(_time_in_memory(_in_memory_copy(project)))  # warm imports for both sides
        asyncio.run(_time_workbench(project))
        baseline = statistics.median(asyncio.run(_time_in_memory(_in_memory_copy(project))) for _ in range(RUNS))
        measured = statistics.median(asyncio.run(_time_workbench(project)) for _ in range(RUNS))
    print(f"baseline  same screen filled from memory            median {baseline * 1000:7.1f} ms over {RUNS} runs")
    print(f"measured  demo project opened from its store        median {measured * 1000:7.1f} ms over {RUNS} runs")
    print(f"ratio     {measured / baseline:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
