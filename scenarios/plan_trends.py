"""EHC plans by age band and over the years, for each council, its region and England (the 0-25 dashboard's).

Age bands are SEN2's own (under 5, 5 to 10, 11 to 15, 16 to 19, 20 to 25), from its plans by single year of age,
which it publishes for January 2024 and 2025 only; a region's and England's bands are their councils' summed. The
trend is every January SEN2 publishes, 2019 to 2025, with each year's plans as an index of the first year's (first
year = 100), so that a council, its region and England can be read on one chart; a region's and England's are SEN2's
own totals.
"""

import pandas as pd

#: SEN2's age bands: (words, first age, last age).
AGE_BANDS = (("under 5", 0, 4), ("5 to 10", 5, 10), ("11 to 15", 11, 15), ("16 to 19", 16, 19),
             ("20 to 25", 20, 25))
ENGLAND = "E92000001"


def by_area(councils: pd.DataFrame, regions: pd.Series) -> pd.DataFrame:
    """The councils' rows (the first index level names the council), then each region's and England's, summed
    over their councils the same way; a council with no region counts in England's only."""
    council = councils.index.get_level_values(0)
    rest = [councils.index.get_level_values(level) for level in range(1, councils.index.nlevels)]
    by_region = councils.groupby([council.map(regions), *rest]).sum(min_count=1)
    england = councils.groupby([[ENGLAND] * len(councils), *rest]).sum(min_count=1)
    table = pd.concat([councils, by_region, england])
    return table.set_axis(table.index.set_names(["area", *councils.index.names[1:]]))


def summarise_age_bands(by_age: pd.DataFrame, regions: pd.Series) -> pd.DataFrame:
    """Plans by area and SEN2 age band each January, and each band's share of the area's plans.

    Parameters: ``by_age``, plans indexed by (``council``, ``age``), one column per January (ages outside 0 to 25
    are left out); ``regions``, each council's region. Returns a frame indexed by (``area``, ``band``): councils,
    regions and England, bands in SEN2's order, with ``plans_<year>`` and ``share_<year>`` for each year.
    """
    ages = by_age.index.get_level_values("age").to_numpy()
    bands = pd.Series(pd.NA, index=range(len(by_age)), dtype="object")
    for words, first, last in AGE_BANDS:
        bands[(ages >= first) & (ages <= last)] = words
    known = bands.notna().to_numpy()
    councils = by_age[known].groupby([by_age.index.get_level_values(0)[known], bands[known].to_numpy()]).sum()
    counts = by_area(councils.set_axis(councils.index.set_names(["council", "band"])), regions)
    order = [words for words, _, _ in AGE_BANDS]
    counts = counts.reindex(pd.MultiIndex.from_product([counts.index.get_level_values("area").unique(), order],
                                                       names=["area", "band"])).fillna(0.0)
    table = pd.DataFrame(index=counts.index)
    for year in by_age.columns:
        table[f"plans_{year}"] = counts[year]
        table[f"share_{year}"] = counts[year] / counts[year].groupby(level="area").transform("sum")
    return table


def summarise_trend(series: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Plans by area each January, and ``index_<year>``: each year's plans as an index of the first year's (= 100).

    Parameters: ``series``, plans by council (rows) and January (columns); ``published``, the same for regions and
    England as SEN2 publishes them (a sum of today's councils would miss those formed after the first year). A
    council formed after the first year has no index, and its years before it was formed are blank.
    """
    years = sorted(series.columns)
    table = pd.concat([series[years], published.reindex(columns=years)]).rename_axis("area")
    first = table[years[0]]
    for year in years:
        table[f"index_{year}"] = 100 * table[year] / first.where(first > 0)
    return table
