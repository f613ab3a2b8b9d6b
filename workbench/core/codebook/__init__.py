"""The codebook: the code tree (`tree`), edits (`edit`), its YAML file (`yaml_file`), keeping a linked file in
step (`sync`), and exchange with other tools (`qdc`) and reports (`appendix`)."""

from __future__ import annotations

from workbench.core.codebook.tree import (
    COLOR,
    Codebook,
    add_code,
    add_codes,
    code_from_row,
    code_row,
    codebook,
    load_codebook,
    validate_code,
)

__all__ = ["COLOR", "Codebook", "add_code", "add_codes", "code_from_row", "code_row", "codebook", "load_codebook", "validate_code"]
