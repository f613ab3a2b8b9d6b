"""A team on a PostgreSQL server exports the same quote workbook and codings dump as a researcher with a project file.

Both stream from the store (two queries read side by side in one transaction: server-side cursors on a server).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from workbench.core.codebook import codebook
from workbench.core.codings import write_project_codings
from workbench.core.quotes import quote_columns, quote_rows
from workbench.core.store import Store
from workbench.exporters.quote_export import export_quotes

pytestmark = pytest.mark.backends


def _sheet_rows(path: Path) -> list[dict[str, str]]:
    values = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    header = [str(name) for name in values[0]]
    return [{name: "" if value is None else str(value) for name, value in zip(header, line, strict=True)} for line in values[1:]]


def test_the_quotes_and_codings_of_the_report_demo_are_the_same_on_either_backend(
    report_demo: Store, hvh: Store, tmp_path: Path
) -> None:
    expected = quote_rows(hvh)  # the project file's
    written = export_quotes(report_demo, tmp_path / "citaten.xlsx")
    assert written.rows == len(expected) > 100
    assert _sheet_rows(written.path) == expected
    assert tuple(next(iter(load_workbook(written.path, read_only=True).active.iter_rows(values_only=True)))) == quote_columns(expected)

    coder = expected[0]["coder"]
    theme = next(code.id for code in codebook(hvh).children(None))
    narrowed = export_quotes(report_demo, tmp_path / "mine.xlsx", coder=coder, code_ids=[theme])
    assert _sheet_rows(narrowed.path) == quote_rows(hvh, coder=coder, code_ids=[theme]) != []

    dumps = []
    for store in (report_demo, hvh):
        out = io.StringIO()
        write_project_codings(store, out, "jsonl")
        # The demos were built at different moments: all but the codings' creation time must agree.
        dumps.append([{**json.loads(line), "created": ""} for line in out.getvalue().splitlines()])
    assert dumps[0] == dumps[1] != []
