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


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook (.xlsx, openpyxl), one sheet a frame, every text cell made safe as in a CSV (openpyxl
    would otherwise store a text that begins ``=`` as a formula)."""
    import io

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        sheet = book.create_sheet(title[:31])
        safe = safe_frame(frame.reset_index(drop=True))
        sheet.append([str(column) for column in safe.columns])
        for row in safe.itertuples(index=False):
            sheet.append([None if isinstance(value, float) and value != value else
                          value.item() if hasattr(value, "item") else value for value in row])
        for number, column in enumerate(safe.columns, start=1):
            widest = max([len(str(column)), *(len(str(value)) for value in safe[column].head(200))])
            sheet.column_dimensions[get_column_letter(number)].width = min(60, widest + 2)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
