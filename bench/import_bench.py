"""Importing N generated .docx transcripts into a project, against reading their paragraphs with bare python-docx.

Both sides read the same files in the same run; the ratio is what turn detection, exact-text assembly,
hashing and the store's transaction add. Target: <= 1.5x.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

SPEAKERS = ("I", "R")
WORDS = "het team helpt de deelnemers echt en zij voelen zich gezien bij Huis van Herstel café één".split()


def _make_transcripts(folder: Path, count: int, turns: int, seed: int = 7) -> list[Path]:
    import docx

    rng = random.Random(seed)
    paths = []
    for number in range(count):
        document = docx.Document()
        for index in range(turns):
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{SPEAKERS[index % 2]}:").bold = True
            paragraph.add_run(" " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40))) + f" ({number}.{index})")
        path = folder / f"interview_{number:03d}.docx"
        document.save(path)
        paths.append(path)
    return paths


def _bare_python_docx(paths: list[Path]) -> float:
    import docx

    start = time.perf_counter()
    for path in paths:
        "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return time.perf_counter() - start


def _workbench_import(paths: list[Path], project: Path) -> float:
    from workbench.core.store import Store
    from workbench.importers import failed, import_files

    start = time.perf_counter()
    with Store.create(project, "bench") as store:
        outcomes = import_files(store, paths, actor="bench")
    elapsed = time.perf_counter() - start
    assert not failed(outcomes), failed(outcomes)[0].error
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = _make_transcripts(folder, args.files, args.turns)
        _bare_python_docx(paths[:3])  # warm imports
        baseline = statistics.median(_bare_python_docx(paths) for _ in range(args.repeat))
        ours = statistics.median(_workbench_import(paths, folder / f"project{i}") for i in range(args.repeat))
    print(f"baseline  bare python-docx paragraphs   {baseline:6.2f} s for {args.files} transcripts of {args.turns} turns")
    print(f"measured  workbench import into store   {ours:6.2f} s")
    print(f"ratio     {ours / baseline:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
