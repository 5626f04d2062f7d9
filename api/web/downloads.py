"""Downloads of a page's tables: CSV (cells a spreadsheet would read as formulas escaped) and Excel (.xlsx)."""

import re

import pandas as pd
from starlette.responses import Response

from core.errors import PlacewiseError
from scenarios.spreadsheet import safe_frame, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(sheets: dict[str, pd.DataFrame], name: str, form: str) -> Response:
    """The sheets as ``name.csv`` (the first sheet) or ``name.xlsx`` (every sheet)."""
    filename = re.sub(r"[^A-Za-z0-9_.-]", "-", name)[:80]
    if form == "csv":
        body = safe_frame(next(iter(sheets.values()))).to_csv(index=False).encode("utf-8-sig")
        media = "text/csv; charset=utf-8"
    elif form == "xlsx":
        body, media = workbook_bytes(sheets), XLSX
    else:
        raise PlacewiseError("form: give csv or xlsx")
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{filename}.{form}"', "Cache-Control": "no-store"})


def yaml_download(document: dict, name: str) -> Response:
    """A scenario document as ``name.yaml``, to edit and upload again."""
    import yaml

    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    filename = re.sub(r"[^A-Za-z0-9_.-]", "-", name)[:80] or "scenario"
    return Response(body, media_type="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="{filename}.yaml"', "Cache-Control": "no-store"})
