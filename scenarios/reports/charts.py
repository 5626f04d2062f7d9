"""Charts for the HTML reports: matplotlib figures as base64 PNGs (the pages' style is ``scenarios.reports.page``'s,
kept here under its old names too)."""

import base64
import io

import matplotlib.ticker
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from scenarios.reports.page import STYLE, file_base64, html_page

__all__ = ["STYLE", "bar_chart", "chart_axes", "fan_chart", "file_base64", "histogram_chart", "html_page",
           "line_chart", "paired_bars", "png_base64"]


def chart_axes(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure of its own (inches) and its axes: not pyplot's, which keeps every figure until it is closed, costs a
    manager and a canvas each, and is not safe beside other pages' charts on other threads."""
    figure = Figure(figsize=(width, height))
    return figure, figure.subplots()


def png_base64(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=90)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def bar_chart(counts: pd.Series, title: str, unit: str) -> str:
    figure, axes = chart_axes(6, 3.5)
    axes.barh([str(label).replace("_", " ") for label in counts.index], counts.to_numpy(), color="#3b6ea5")
    axes.set_title(title)
    axes.set_xlabel(unit)
    return png_base64(figure)


def paired_bars(table: pd.DataFrame, title: str, unit: str) -> str:
    """Two columns of figures side by side for each row (such as two runs' cost by council), as a base64 PNG."""
    figure, axes = chart_axes(6, 1.6 + 0.45 * max(len(table), 2))
    rows = range(len(table))
    for number, (column, colour) in enumerate(zip(table.columns[:2], ("#1d70b8", "#f47738"), strict=False)):
        axes.barh([row + (-0.2 if number == 0 else 0.2) for row in rows], table[column].to_numpy(), height=0.38,
                  color=colour, label=str(column))
    axes.set_yticks(list(rows), [str(label) for label in table.index])
    axes.invert_yaxis()  # the first row at the top, and in each pair the first column above the second
    axes.set_title(title)
    axes.set_xlabel(unit)
    axes.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2, frameon=False)
    return png_base64(figure)


def histogram_chart(values: pd.Series, title: str, unit: str) -> str:
    figure, axes = chart_axes(6, 3.5)
    axes.hist(values.dropna().to_numpy(), bins=20, color="#3b6ea5")
    axes.set_title(title)
    axes.set_xlabel(unit)
    axes.set_ylabel("children")
    return png_base64(figure)


def fan_chart(history: pd.Series, ahead: pd.DataFrame, title: str) -> str:
    """EHC plans by January: the counts so far and the forecast with its 80% and 95% bands, as a base64 PNG."""
    figure, axes = chart_axes(4.2, 2.6)
    axes.plot(history.index, history.to_numpy(), color="#0b0c0c", marker="o", markersize=3, label="SEN2")
    axes.fill_between(ahead.index, ahead["low95"], ahead["high95"], color="#1d70b8", alpha=0.15, label="95%")
    axes.fill_between(ahead.index, ahead["low80"], ahead["high80"], color="#1d70b8", alpha=0.3, label="80%")
    axes.plot(ahead.index, ahead["plans"], color="#1d70b8", marker="o", markersize=3, label="forecast")
    axes.set_title(title, fontsize=9)
    axes.tick_params(labelsize=7)
    axes.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
    axes.legend(fontsize=6, loc="upper left")
    return png_base64(figure)


def line_chart(table: pd.DataFrame, title: str, unit: str) -> str:
    """A line a column over the rows (such as years), each with its own colour, dash and marker so that the lines
    can be told apart without colour, as a base64 PNG."""
    figure, axes = chart_axes(6, 3.2)
    for column, colour, dash, marker in zip(table.columns, ("#1d70b8", "#f47738", "#0b0c0c", "#00703c"),
                                            ("-", "--", ":", "-."), ("o", "s", "^", "D"), strict=False):
        axes.plot(table.index, table[column].to_numpy(float), color=colour, linestyle=dash, marker=marker,
                  markersize=4, label=str(column))
    axes.set_title(title, fontsize=10)
    axes.set_ylabel(unit, fontsize=8)
    axes.tick_params(labelsize=8)
    axes.legend(fontsize=7, loc="upper left", frameon=False)
    return png_base64(figure)
