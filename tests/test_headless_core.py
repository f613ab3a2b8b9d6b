"""The core, importers and demo builder never load the UI: the TUI and CLI stay thin layers."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = ["workbench.core.store", "workbench.core.corpus", "workbench.core.codebook", "workbench.core.codings",
            "workbench.core.status", "workbench.core.codebook.yaml_file", "workbench.core.batch", "workbench.importers",
            "workbench.importers._tabular", "workbench.demos.starter", "workbench.demos.user_copy", "workbench.core.codebook.edit",
            "workbench.core.codebook.sync", "workbench.core.codebook.qdc", "workbench.core.codebook.appendix",
            "workbench.core.search", "workbench.core.units", "workbench.core.progress", "workbench.core.memos",
            "workbench.core.tables", "workbench.core.tables_file", "workbench.core.quotes", "workbench.exporters", "workbench.demos.huis_van_herstel"]


@pytest.mark.parametrize("module", HEADLESS)
def test_core_module_imports_without_textual_or_rich(module: str) -> None:
    probe = f"import sys, {module}; print([m for m in ('textual', 'rich') if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
