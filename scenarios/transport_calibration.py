"""Transport costs a council recognises: each council's spend per eligible child, its average journey, and a
national component for distance and density fitted across councils and checked on councils held out.

For each council (the s251 outturn 2023-24 and SEN2, ``matcher.costs``):

- ``spend_gbp``: SEN transport, lines 2.1.4 + 2.1.6 + 2.1.7;
- ``eligible``: the children eligible for SEN transport it rests on, by placement type: plans in special schools
  (maintained, academy and free, independent, non-maintained), in resourced provision and units, and in AP, where
  most transported children are (the same year's SEN2, January 2024);
- ``journey_km``: its average journey's km: over its MSOAs (about 8,000 people each, so every MSOA counts alike),
  over primary needs (the council's own mix of plans, SEN2) and over kinds of setting (``SETTING_GROUPS``: state
  special schools, independent and non-maintained special schools, resourced provision and units, in the
  council's own mix of the eligible children, SEN2), the mean road km (the straight line times
  ``matcher.travel.national_formula.CIRCUITY``) to the ``NEAREST_SETTINGS`` nearest settings of that kind, of any
  council, designated for that need or publishing no designation; and ``density``, the mean count of LSOA
  centroids within 5 km of its MSOAs.

The national component is the regression across councils

    ln(spend / eligible) = a + b ln(journey_km) + c ln(1 + density)

so a council of long rural runs and one of short congested city runs each get what councils like them pay. Its
``b`` is the distance exponent of every journey's cost (``matcher.transport``). A council's own spend per child is
its average journey's cost where it rests on ``MIN_ELIGIBLE`` children and lies within half to twice the national
component's figure for it; else the national component's. ``held_out_transport`` fits the component on nine
tenths of the councils and prices the tenth, ten times over.
"""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from core.vocabulary import INCLUSION_BASE_KINDS, NEEDS
from geodata.areas import load_area_centroids
from geodata.councils import load_council_boundaries, locate_councils
from geodata.density import load_density_grid
from matcher.costs import NATIONAL, PLAUSIBLE_RATIO, CostModel
from matcher.travel.national_formula import CIRCUITY

NEAREST_SETTINGS = 3
MIN_ELIGIBLE = 30
FOLDS = 10
FOLD_SEED = 2024
TRANSPORT_LINES = ("2.1.4", "2.1.6", "2.1.7")


#: Kinds of setting a council's eligible children are in (SEN2), each with the kinds of the register it means.
SETTING_GROUPS = {"special_schools": ("special_maintained", "special_academy"),
                  "independent_special": ("independent_special", "non_maintained_special"),
                  "units": INCLUSION_BASE_KINDS}


def setting_mix(placements: pd.DataFrame, units: pd.Series) -> pd.DataFrame:
    """Each council's eligible children by ``SETTING_GROUPS`` (SEN2 counts; AP counted with special schools)."""
    return pd.DataFrame({
        "special_schools": placements["special_la_maintained"].fillna(0) + placements["special_academy_free"].fillna(0)
        + placements["ap_pru_total"].fillna(0),
        "independent_special": placements["special_independent"].fillna(0)
        + placements["special_non_maintained"].fillna(0),
        "units": units.reindex(placements.index).fillna(0)})


def council_journeys(data_dir: Path, providers: pd.DataFrame, need_mix: pd.DataFrame,
                     kind_mix: pd.DataFrame) -> pd.DataFrame:
    """Each council's average journey km and density, over its MSOAs, its children's needs and the kinds of
    setting they are in (index council; ``need_mix``: plans by council and primary need, as
    ``geodata.sen2.load_need_counts``; ``kind_mix``: children by council and ``SETTING_GROUPS``, ``setting_mix``)."""
    areas = load_area_centroids(Path(data_dir), "MSOA")
    areas = areas[areas.index.str.startswith("E02")]
    points = areas[["easting", "northing"]].to_numpy(float)
    council = pd.Series(locate_councils(points[:, 0], points[:, 1], load_council_boundaries(Path(data_dir)))
                        .to_numpy(), dtype=object)
    located = providers.dropna(subset=["easting", "northing"])
    density = load_density_grid(Path(data_dir)).count(points[:, 0], points[:, 1], 5.0)
    by_group = {}
    for group, kinds in SETTING_GROUPS.items():
        settings = located[located["kind"].isin(kinds)]
        km_by_need = {}
        for need in NEEDS:
            designated = settings["designated_needs"].map(lambda needs, need=need: need in needs or not needs)
            chosen = settings[designated.to_numpy(dtype=bool)][["easting", "northing"]].to_numpy(float)
            metres, _ = cKDTree(chosen).query(points, k=min(NEAREST_SETTINGS, len(chosen)))
            km_by_need[need] = np.atleast_2d(metres.T).T.mean(axis=1) / 1000.0 * CIRCUITY
        by_group[group] = _by_need(pd.DataFrame(km_by_need).assign(council=council), need_mix)
    mix = kind_mix.reindex(index=by_group["units"].index, columns=list(SETTING_GROUPS)).fillna(0.0)
    mix.loc[mix.sum(axis=1) <= 0] = 1.0  # a council with no counts: its kinds alike
    mix = mix.div(mix.sum(axis=1), axis=0)
    frame = pd.DataFrame({"council": council, "density": density}).dropna(subset=["council"])
    return pd.DataFrame({"journey_km": (pd.DataFrame(by_group) * mix).sum(axis=1),
                         "density": frame.groupby("council")["density"].mean(),
                         "areas": frame.groupby("council").size()})


def _by_need(km: pd.DataFrame, need_mix: pd.DataFrame) -> pd.Series:
    """Each council's mean over its MSOAs of the km by need, weighed by its mix of needs."""
    by_council = km.dropna(subset=["council"]).groupby("council").mean()
    mix = need_mix.reindex(index=by_council.index, columns=list(NEEDS)).fillna(0.0)
    mix.loc[mix.sum(axis=1) <= 0] = 1.0  # a council without a published mix: its needs alike
    mix = mix.div(mix.sum(axis=1), axis=0)
    return (by_council[list(NEEDS)] * mix).sum(axis=1)


def transport_evidence(spend: pd.DataFrame, placements: pd.DataFrame, units: pd.Series,
                       journeys: pd.DataFrame) -> pd.DataFrame:
    """Per council: spend_gbp, eligible (and its parts), journey_km, density and spend per eligible child
    (``per_child_gbp``)."""
    lines = spend[spend["line"].isin(TRANSPORT_LINES)]
    special, ap = placements["special_total"].fillna(0), placements["ap_pru_total"].fillna(0)
    units = units.reindex(placements.index).fillna(0)
    table = pd.DataFrame({"spend_gbp": lines.groupby("council")["net_expenditure"].sum(),
                          "eligible": special + ap + units, "special_schools": special, "units": units,
                          "alternative_provision": ap})
    table = table.join(journeys[["journey_km", "density"]], how="inner").dropna()
    table = table[(table["spend_gbp"] > 0) & (table["eligible"] > 0)]
    table.index.name = "council"
    return table.assign(per_child_gbp=table["spend_gbp"] / table["eligible"])


def design(table: pd.DataFrame) -> np.ndarray:
    return np.column_stack([np.ones(len(table)), np.log(table["journey_km"].to_numpy(float)),
                            np.log1p(table["density"].to_numpy(float))])


def fit_component(table: pd.DataFrame) -> np.ndarray:
    """The national component's coefficients (a, b, c), least squares in logs, each council weighing alike."""
    return np.linalg.lstsq(design(table), np.log(table["per_child_gbp"].to_numpy(float)), rcond=None)[0]


def predict(coefficients: np.ndarray, table: pd.DataFrame) -> np.ndarray:
    """The national component's spend per eligible child for councils with these journeys."""
    return np.exp(design(table) @ coefficients)


def held_out_transport(table: pd.DataFrame) -> pd.Series:
    """Each council's spend per child as the component fitted without its tenth of the councils prices it."""
    fold = np.random.default_rng(FOLD_SEED).permutation(len(table)) % FOLDS
    predicted = np.zeros(len(table))
    for at in range(FOLDS):
        held = fold == at
        predicted[held] = predict(fit_component(table[~held]), table[held])
    return pd.Series(predicted, index=table.index, name="held_out_per_child_gbp")


def calibrate_transport(costs: CostModel, spend: pd.DataFrame, placements: pd.DataFrame, units: pd.Series,
                        journeys: pd.DataFrame) -> CostModel:
    """The cost model with each council's average journey priced and measured as this module's docstring says."""
    table = transport_evidence(spend, placements, units, journeys)
    if len(table) < 2 * FOLDS:
        return costs
    coefficients = fit_component(table)
    component = predict(coefficients, table)
    own = table["per_child_gbp"].to_numpy()
    plausible = (table["eligible"].to_numpy() >= MIN_ELIGIBLE) & (own >= PLAUSIBLE_RATIO[0] * component) & (
        own <= PLAUSIBLE_RATIO[1] * component)
    per_journey = pd.Series(np.where(plausible, own, component), index=table.index)
    national = table[["journey_km", "density"]].mean().to_frame().T
    per_journey[NATIONAL] = float(predict(coefficients, national)[0])
    km = table["journey_km"].copy()
    km[NATIONAL] = float(national["journey_km"].iloc[0])
    evidence = table.assign(component_per_child_gbp=component, used=np.where(plausible, "own", "national component"),
                            held_out_per_child_gbp=held_out_transport(table))
    return replace(costs, transport_gbp=per_journey.round(0), transport_km=km, transport_exponent=float(
        coefficients[1]), transport_evidence=evidence, source=costs.source + "; transport by council's journeys")
