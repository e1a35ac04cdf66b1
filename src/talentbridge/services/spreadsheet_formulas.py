"""Spreadsheets run formulas: a CSV or XLSX text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written with a leading ``'`` (the OWASP CSV-injection rule), so ``=HYPERLINK(...)`` from a résumé
shows as text in Excel instead of running. Reading CSV and XLSX takes that one ``'`` off again (also before a
``'``, so a value that really starts with ``'=`` survives), which keeps export → import a round trip. JSON Lines
and Parquet are not spreadsheets and are written as they are.
"""

from __future__ import annotations

__all__ = ["FORMULA_TRIGGERS", "neutralize_formula", "restore_formula"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(text: str) -> str:
    """``text`` as a spreadsheet cell that cannot run: a leading ``'`` before a formula trigger (and before a
    ``'`` that :func:`restore_formula` would otherwise take off)."""
    if text.startswith(FORMULA_TRIGGERS) or (text[:1] == "'" and text[1:2] in (*FORMULA_TRIGGERS, "'")):
        return "'" + text
    return text


def restore_formula(text: str) -> str:
    """The inverse of :func:`neutralize_formula` (``restore_formula(neutralize_formula(t)) == t`` for every t)."""
    if text[:1] == "'" and text[1:2] in (*FORMULA_TRIGGERS, "'") and len(text) > 1:
        return text[1:]
    return text
