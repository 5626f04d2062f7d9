"""SEN2 counts for drawing cohorts, with suppressed cells filled by a documented fallback, said council by council.

SEN2 suppresses small cells (``x``), and for a few councils whole breakdowns:
- specialist placements by age and type (North East Lincolnshire, Cambridgeshire in 2024/25): filled as the
  council's own plans at each age (published) times its region's share of plans at that age in each type of
  specialist placement;
- primary need by age (Surrey): the council's own need mix over all ages where published, else its region's mix
  at that age;
- primary need by type of placement, and residential placements by type of placement: the council's own where
  published, else its region's.
Every fill is said in a warning that names the council, and the warning reaches the run's KPIs.
"""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from geodata.councils import load_council_regions
from geodata.sen2 import (
    SEN2_DIR,
    load_need_by_age,
    load_need_by_placement,
    load_need_counts,
    load_plans_by_age,
    load_specialist_by_age,
)
from geodata.sen2_residential import RESIDENTIAL_FILE, load_residential_by_placement
from geodata.table_cache import Tables
from scenarios.published_inputs import kept_tables


@dataclass(frozen=True, eq=False)
class Sen2Counts:
    placements: pd.DataFrame  # council, age, placement_type, count
    needs: pd.DataFrame  # council, age, need, count
    need_totals: pd.DataFrame  # council -> need counts over all ages
    plans_by_age: pd.Series  # (council, age) -> plans, January 2025
    regions: pd.Series  # council -> region
    need_by_placement: pd.DataFrame = field(default_factory=pd.DataFrame)  # area, level, placement_type, need, count
    residential: pd.DataFrame = field(default_factory=pd.DataFrame)  # area, level, placement_type, residential
    _mixes: dict[str, tuple[dict[int, pd.Series], pd.Series | None]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, data_dir: Path, cache_dir: Path | None = None) -> "Sen2Counts":
        """The folder's SEN2 counts, kept in the cache folder where one is given."""
        return cls(**kept_tables(data_dir, cache_dir, "sen2-counts", lambda: _counts(data_dir)))  # type: ignore[arg-type]

    def placement_need_mix(self, council: str, placement_type: str, warnings: list[str]) -> pd.Series:
        """Plans by primary need in this type of placement: the council's as SEN2 publishes them, else its
        region's (said in a warning naming the council), else England's."""
        mix = self._placement_mixes.get((council, placement_type))
        if mix is not None and mix.sum() > 0:
            return mix
        region = str(self.regions.get(council))
        mix = self._placement_mixes.get((region, placement_type))
        self._warn_once(warnings, council, f"its need mix in {placement_type.replace('_', ' ')} placements; its "
                                           "region's is used")
        if mix is not None and mix.sum() > 0:
            return mix
        return self.need_by_placement[self.need_by_placement["placement_type"] == placement_type].groupby(
            "need")["count"].sum()

    def residential_share(self, council: str, placement_type: str) -> float:
        """The share of plans in this type of placement that SEN2 counts in residential settings: the council's
        where published, else its region's; 0 without the file."""
        for area in (council, str(self.regions.get(council))):
            mix = self._placement_mixes.get((area, placement_type))
            count = self._residential_counts.get((area, placement_type))
            if mix is not None and mix.sum() > 0 and count is not None:
                return float(min(count / mix.sum(), 1.0))
        return 0.0

    @cached_property
    def _placement_mixes(self) -> "PlacementMixes":
        return PlacementMixes(self.need_by_placement)

    @cached_property
    def _residential_counts(self) -> dict[tuple[str, str], float]:
        if self.residential.empty:
            return {}
        return {(str(area), str(kind)): float(count) for area, kind, count in
                zip(self.residential["area"], self.residential["placement_type"], self.residential["residential"],
                    strict=True)}

    def placements_of(self, council: str, warnings: list[str]) -> pd.DataFrame:
        """The council's children in specialist placements by age and type, filled from its region if suppressed."""
        rows = self.placements[self.placements["council"] == council]
        if not rows.empty:
            return rows
        known = council in self.plans_by_age.index.get_level_values("council")
        own_plans = self.plans_by_age.xs(council, level="council") if known else pd.Series(dtype=float)
        if own_plans.sum() <= 0:
            return rows
        shares = self._regional_shares(council)
        if shares.empty:
            return rows
        filled = shares.join(own_plans.rename("plans"), on="age", how="inner")
        filled = filled.assign(council=council, count=(filled["share"] * filled["plans"]).round())
        if filled["count"].sum() <= 0:
            return rows
        warnings.append(f"{council}: SEN2 suppresses its specialist placements by age and type; filled as its own "
                        f"plans at each age times its region's shares ({int(filled['count'].sum()):,} children)")
        return filled[filled["count"] > 0][["council", "age", "placement_type", "count"]]

    def _regional_shares(self, council: str) -> pd.DataFrame:
        region = self.regions.get(council)
        peers = self.regions.index[(self.regions == region) & (self.regions.index != council)]
        placed = self.placements[self.placements["council"].isin(peers)]
        counted = placed["council"].unique()
        plans = self.plans_by_age[self.plans_by_age.index.get_level_values("council").isin(counted)]
        by_age = plans.groupby(level="age").sum()
        placed = placed.groupby(["age", "placement_type"], as_index=False)["count"].sum()
        return placed.assign(share=placed["count"] / placed["age"].map(by_age))[["age", "placement_type", "share"]]

    def need_mix(self, council: str, age: int, warnings: list[str]) -> pd.Series:
        """The council's plans by primary need at this age, else over all its ages, else its region's at this age."""
        by_age, mix = self._need_mixes(council)
        if age in by_age and by_age[age].sum() > 0:
            return by_age[age]
        if mix is not None and mix.sum() > 0:
            return mix
        if council in self.need_totals.index and self.need_totals.loc[council].fillna(0).sum() > 0:
            self._warn_once(warnings, council, "its need by age; its need mix over all ages is used")
            return self.need_totals.loc[council].fillna(0)
        region = self.regions.get(council)
        peers = self.needs["council"].map(self.regions) == region
        self._warn_once(warnings, council, "its need by age and in all; its region's need mix at each age is used")
        regional = self.needs[peers & (self.needs["age"] == age)].groupby("need")["count"].sum()
        return regional if regional.sum() > 0 else self.needs.groupby("need")["count"].sum()

    @cached_property
    def _needs_by_council(self) -> dict[str, pd.DataFrame]:
        return {str(council): rows for council, rows in self.needs.groupby("council", sort=False)}

    def _need_mixes(self, council: str) -> tuple[dict[int, pd.Series], pd.Series | None]:
        """One council's counts by need at each age, and over all its ages (grouped once per council)."""
        if council not in self._mixes:
            rows = self._needs_by_council.get(council)
            if rows is None:
                self._mixes[council] = ({}, None)
            else:
                counts = rows.groupby(["age", "need"])["count"].sum()
                self._mixes[council] = ({int(age): mix.droplevel("age") for age, mix in counts.groupby(level="age")},
                                        rows.groupby("need")["count"].sum())
        return self._mixes[council]

    @staticmethod
    def _warn_once(warnings: list[str], council: str, what: str) -> None:
        words = f"{council}: SEN2 suppresses {what}"
        if words not in warnings:
            warnings.append(words)


def _counts(data_dir: Path) -> Tables:
    """The tables of a ``Sen2Counts``, read from the folder's SEN2 files."""
    plans = load_plans_by_age(data_dir)
    residential_file = Path(data_dir) / SEN2_DIR / RESIDENTIAL_FILE
    return {"placements": load_specialist_by_age(data_dir), "needs": load_need_by_age(data_dir),
            "need_totals": load_need_counts(data_dir),
            "plans_by_age": plans[max(plans.columns)] if len(plans.columns) else pd.Series(dtype=float),
            "regions": load_council_regions(data_dir), "need_by_placement": load_need_by_placement(data_dir),
            "residential": load_residential_by_placement(data_dir) if residential_file.is_file() else pd.DataFrame()}


class PlacementMixes:
    """Plans by need for each (area, type of placement), made the first time one is asked for: a run asks for its
    own councils' and regions' few of the thousand SEN2 publishes."""

    def __init__(self, need_by_placement: pd.DataFrame) -> None:
        self._table = need_by_placement
        self._rows = {} if need_by_placement.empty else {
            (str(area), str(kind)): rows
            for (area, kind), rows in need_by_placement.groupby(["area", "placement_type"], sort=False).indices.items()}
        self._made: dict[tuple[str, str], pd.Series] = {}

    def get(self, key: tuple[str, str]) -> pd.Series | None:
        """The mix of one (area, type of placement), or None where SEN2 has no rows for it."""
        if key not in self._made:
            rows = self._rows.get(key)
            if rows is None:
                return None
            self._made[key] = self._table.iloc[rows].set_index("need")["count"]
        return self._made[key]
