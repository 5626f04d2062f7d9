"""CSV files that a spreadsheet opens safely: a text cell that begins ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is read by Excel and its kin as a formula, so it is written with a leading single quote."""

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value, with a text that a spreadsheet would read as a formula escaped by a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell made safe (numbers, even negative ones, stay numbers)."""
    text = [name for name in frame.columns if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name])]
    if not text:
        return frame
    return frame.assign(**{str(name): frame[name].map(safe_cell) for name in text})


#: Excel number formats by the unit a header (or a row's ``unit`` cell) names.
UNIT_FORMATS = (("£", "£#,##0"), ("%", "0.0"), ("minutes", "0.0"), ("km", "0.0"), ("points", "+0.0;-0.0;0.0"),
                ("score", "0.000"), ("children", "#,##0"), ("councils", "#,##0"), ("years", "0.0"))


def number_format(unit: str) -> str | None:
    """The Excel format for a figure in ``unit`` (a header such as "whole cost a year (£)", or a unit cell)."""
    for word, form in UNIT_FORMATS:
        if word in unit:
            return form
    return None


def _cell(value: object) -> object:
    """A cell's value as openpyxl takes it: numbers as numbers, missing as empty."""
    if value is None or value is pd.NA or isinstance(value, float) and value != value:
        return None
    return value.item() if hasattr(value, "item") else value


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook (.xlsx, openpyxl), one sheet a frame: numbers stored as numbers and formatted by the unit
    their header names (or, in a sheet of figures, their row's ``unit``), so they sum; every text cell made safe as
    in a CSV (openpyxl would otherwise store a text that begins ``=`` as a formula)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        sheet = book.create_sheet(title[:31])
        safe = safe_frame(frame.reset_index(drop=True))
        columns = [str(column) for column in safe.columns]
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        formats = [number_format(column[column.find("("):] if "(" in column else column) for column in columns]
        by_row = "unit" in columns
        for row in safe.itertuples(index=False):
            values = [_cell(value) for value in row]
            sheet.append(values)
            row_format = number_format(str(values[columns.index("unit")] or "")) if by_row else None
            for number, value in enumerate(values):
                form = formats[number] or (row_format if columns[number] == "value" else None)
                if form and isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.cell(row=sheet.max_row, column=number + 1).number_format = form
        for number, column in enumerate(safe.columns, start=1):
            widest = max([len(str(column)), *(len(str(value)) for value in safe[column].head(200))])
            sheet.column_dimensions[get_column_letter(number)].width = min(60, widest + 2)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
