"""Checks of a downloaded workbook: every figure stored as a number, never as text that looks like one."""

import io
import re

from openpyxl import load_workbook

NUMBER_AS_TEXT = re.compile(r"^\s*[-+]?£?-?[\d,]*\.?\d+\s*(%|points)?\s*$")


def text_numbers(body: bytes) -> list[str]:
    """Each cell (sheet!cell) holding a number written as text, such as "£1,234", "42.9%" or "900008.0"."""
    book = load_workbook(io.BytesIO(body))
    return [f"{sheet.title}!{cell.coordinate}" for sheet in book.worksheets for row in sheet.iter_rows(min_row=2)
            for cell in row if isinstance(cell.value, str) and NUMBER_AS_TEXT.match(cell.value)]


def numeric_columns(body: bytes) -> dict[str, dict[str, int]]:
    """For each sheet, each header with a unit in brackets and how many of its cells are numbers."""
    book = load_workbook(io.BytesIO(body))
    found: dict[str, dict[str, int]] = {}
    for sheet in book.worksheets:
        headers = [cell.value for cell in sheet[1]]
        for number, header in enumerate(headers, start=1):
            if isinstance(header, str) and "(" in header:
                cells = [row[number - 1].value for row in sheet.iter_rows(min_row=2)]
                found.setdefault(sheet.title, {})[header] = sum(isinstance(value, int | float) for value in cells)
    return found
