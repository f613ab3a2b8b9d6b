"""The Word export of the demo's tables renders as a page a reader would see (LibreOffice + pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from workbench.core.crosstabs import build_any
from workbench.core.store import Store
from workbench.core.tables_file import read_tables
from workbench.exporters import write_tables

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")

pytestmark = pytest.mark.skipif(
    SOFFICE is None or PDFTOPPM is None, reason="LibreOffice (soffice) and pdftoppm are needed to render; .ci/run installs them"
)


def test_the_word_tables_render_to_a_page_with_caption_and_counts(hvh: Store, tmp_path: Path) -> None:
    definitions = [d for d in read_tables(hvh.project_dir / "tables.yaml") if d.id in ("6.6", "9.1")]
    (docx_path,) = write_tables(build_any(hvh, definitions), tmp_path / "tabellen.docx", "docx")
    subprocess.run([str(SOFFICE), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "tabellen.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Tabel 6.6. Wat helpt de deelnemers T1 (n=17)" in text
    assert "Aantal (n)" in text and "M.b.t. werkwijze – inhoudelijk" in text
    subprocess.run([str(PDFTOPPM), "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    page = next(tmp_path.glob("page*.png"))
    assert page.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and page.stat().st_size > 5000
