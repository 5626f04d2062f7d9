"""The reports' pages: one self-contained HTML file in the shared style, its images embedded as base64. No drawing
library here, so a page can be put together by a process that did not draw its figures."""

import base64
import html
from pathlib import Path

STYLE = """body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}img{max-width:100%}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:1em}"""


def html_page(title: str, body: str, heading: str | None = None) -> str:
    """A self-contained report page: the shared style, the title as its heading unless one is given."""
    return (f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body><h1>{html.escape(heading or title)}</h1>{body}</body></html>")


def file_base64(path: Path) -> str:
    """An image file as base64, to embed in a self-contained page."""
    return base64.b64encode(path.read_bytes()).decode("ascii")
