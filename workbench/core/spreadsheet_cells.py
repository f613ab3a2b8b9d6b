"""CSV cells a spreadsheet cannot mistake for a formula (CSV injection, OWASP's advice: a leading single quote)."""

from __future__ import annotations

import re

#: What a spreadsheet reads as the start of a formula (=, +, -, @) or strips before reading one (tab, carriage return).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A plain number ("-3", "+2.5", "-12,5%") is no formula: left as it is, so it stays a number.
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?")


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet shows as written: a cell that would start a formula gets a leading ' (OWASP).

    An interview passage starting "- ja" or "=" is a quote, never something Excel or LibreOffice should calculate.
    """
    if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell
