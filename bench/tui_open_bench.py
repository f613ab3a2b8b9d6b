"""Opening the demo in the TUI and a document in the coding screen, against the same layout fed from memory.

The baseline composes a project screen (header, a tree of the same document names, footer) and pushes a
screen with the document's text as a Static, all from memory; the measured side opens the real project
from its store and the real coding screen. The ratio is what the store, progress and units add.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree

RUNS = 7
SIZE = (140, 40)


class TextScreen(Screen[None]):
    """The baseline's document screen: the text as one Static."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.text)
        yield Footer()


class InMemoryApp(App[None]):
    """The baseline: a tree of document names, then a document's text, from memory."""

    def __init__(self, names: list[str], text: str) -> None:
        super().__init__()
        self.names, self.text = names, text

    def compose(self) -> ComposeResult:
        yield Header()
        tree: Tree[str] = Tree("Documents")
        for name in self.names:
            tree.root.add_leaf(name)
        tree.root.expand()
        yield tree
        yield Footer()


async def _time_in_memory(names: list[str], text: str) -> float:
    start = time.perf_counter()
    app = InMemoryApp(names, text)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.push_screen(TextScreen(text))
        await pilot.pause()
    return time.perf_counter() - start


async def _time_workbench(project: Path, document: str) -> float:
    from workbench.core.store import Store
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.messages import OpenDocument

    start = time.perf_counter()
    store = Store.open(project)
    app = WorkbenchApp(store, coder="onderzoeker1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.post_message(OpenDocument(document))
        await pilot.pause()
        await pilot.pause()
    store.close()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["WORKBENCH_HOME"] = home
        from workbench.core.corpus import document_summaries, get_document
        from workbench.core.store import Store
        from workbench.demos.user_copy import ensure_user_demo

        project = ensure_user_demo()
        with Store.open(project) as store:
            summaries = document_summaries(store)
            # The demo's longest document, looked up rather than named: a renamed demo file must not break the bench.
            document = max(summaries, key=lambda s: s.length).name
            names = [s.name for s in summaries]
            text = get_document(store, document).text
        asyncio.run(_time_in_memory(names, text))  # warm imports for both sides
        asyncio.run(_time_workbench(project, document))
        baseline = statistics.median(asyncio.run(_time_in_memory(names, text)) for _ in range(RUNS))
        measured = statistics.median(asyncio.run(_time_workbench(project, document)) for _ in range(RUNS))
    print(f"baseline  same screens filled from memory             median {baseline * 1000:7.1f} ms over {RUNS} runs")
    print(f"measured  demo opened from its store, document coded  median {measured * 1000:7.1f} ms over {RUNS} runs")
    print(f"ratio     {measured / baseline:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
