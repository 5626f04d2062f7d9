"""The embedded demo: a deterministic synthetic sub-region of three councils, its providers and a cohort.

Nothing here is real: council codes (E069000xx) and names are invented, and the settings are placed at
random in three 20 km squares of northern England. The cohort's needs, ages and types of placement follow the
national SEN2 proportions of 2024/25 (counts below, from sen_needs_all_plans.csv and caseload.csv), so the
main job runs on a fresh machine with no downloads.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.vocabulary import NEEDS

if TYPE_CHECKING:
    import geopandas as gpd

DEMO_SEED = 20250601
DEMO_COUNCILS = pd.DataFrame({
    "council": ["E06900001", "E06900002", "E06900003"],
    "council_name": ["Northvale (demo)", "Eastmoor (demo)", "Southdale (demo)"],
    "easting_min": [410_000.0, 430_000.0, 420_000.0],
    "northing_min": [560_000.0, 560_000.0, 540_000.0],
}).set_index("council")
SQUARE_M = 20_000.0
#: Invented 3-digit DfE codes of the demo's councils (a SEN2 return names its council by one); no real council
#: has a code in the 900s.
DEMO_LA_CODES: dict[int, str] = {901: "E06900001", 902: "E06900002", 903: "E06900003"}

#: EHC plans in England by primary need, 2024/25 (SEN2).
NATIONAL_NEED_COUNTS = {"ASD": 201183, "HI": 8765, "MLD": 67861, "MSI": 1692, "OTH": 7512, "PD": 24897,
                        "PMLD": 8577, "SEMH": 132217, "SLCN": 135836, "SLD": 25681, "SPLD": 14374, "VI": 5280}
#: EHC plans in England by age, ages 4 to 18, 2024/25 (SEN2).
NATIONAL_AGE_COUNTS = {4: 22517, 5: 30847, 6: 31867, 7: 34082, 8: 36412, 9: 38381, 10: 41405, 11: 46775,
                       12: 47172, 13: 47359, 14: 47125, 15: 44886, 16: 42005, 17: 36484, 18: 28598}
#: EHC plans by type of placement, 2024/25 (SEN2), in the groups the demo's providers offer.
NATIONAL_PLACEMENT_COUNTS = {"mainstream": 278236, "special": 193880, "none": 49750 + 19339}

#: The demo's settings in each council: kind, designated needs, age range.
PROVIDER_PLAN = [
    ("special_maintained", ("SLD", "PMLD", "MSI", "PD"), (2, 19)),
    ("special_academy", ("ASD", "SLCN", "MLD"), (4, 16)),
    ("special_academy", ("SEMH",), (7, 16)),
    ("resourced_provision", ("ASD",), (4, 11)),
    ("resourced_provision", ("SLCN", "ASD"), (4, 11)),
    ("resourced_provision", ("HI",), (4, 11)),
    ("resourced_provision", ("ASD", "SEMH"), (11, 16)),
    ("sen_unit", ("MLD", "SPLD"), (11, 16)),
    ("independent_special", ("ASD", "SEMH"), (7, 19)),
]
#: Settings that serve the whole sub-region, placed in its first council.
REGIONAL_PLAN = [
    ("non_maintained_special", ("VI", "HI", "MSI"), (3, 19)),
    ("independent_special", ("PMLD", "PD", "SLD", "OTH"), (5, 19)),
]


@dataclass(frozen=True)
class DemoData:
    councils: pd.DataFrame
    providers: pd.DataFrame
    children: pd.DataFrame


def build_demo(seed: int = DEMO_SEED, children_per_council: int = 80) -> DemoData:
    """Generate the demo sub-region from a seed: the same seed always gives the same tables."""
    rng = np.random.default_rng(seed)
    providers = _build_providers(rng)
    children = _build_children(rng, providers, children_per_council)
    return DemoData(councils=DEMO_COUNCILS.copy(), providers=providers, children=children)


def _random_points(rng: np.random.Generator, council: str, count: int) -> tuple[np.ndarray, np.ndarray]:
    square = DEMO_COUNCILS.loc[council]
    return (square["easting_min"] + rng.uniform(0, SQUARE_M, count),
            square["northing_min"] + rng.uniform(0, SQUARE_M, count))


def _build_providers(rng: np.random.Generator) -> pd.DataFrame:
    plan = [(council, *setting) for council in DEMO_COUNCILS.index for setting in PROVIDER_PLAN]
    plan += [(DEMO_COUNCILS.index[0], *setting) for setting in REGIONAL_PLAN]
    rows = []
    for number, (council, kind, needs, (age_low, age_high)) in enumerate(plan, start=1):
        easting, northing = _random_points(rng, council, 1)
        places = int(rng.integers(8, 20)) if kind in ("resourced_provision", "sen_unit") else int(
            rng.integers(60, 220))
        ofsted = rng.choice([1, 2, 2, 2, 3, 0])
        rows.append({
            "provider_id": 900_000 + number,
            "name": f"{DEMO_COUNCILS.loc[council, 'council_name'].split(' ')[0]} {kind.replace('_', ' ')} {number}",
            "host_council": council, "kind": kind, "designated_needs": tuple(need for need in NEEDS if need in needs),
            "age_low": age_low, "age_high": age_high, "gender": "mixed",
            "residential": kind in ("non_maintained_special", "independent_special"),
            "ofsted": int(ofsted) if ofsted else pd.NA, "places": places, "places_source": "reported",
            "vacancies": int(rng.binomial(places, 0.06)), "vacancies_source": "reported", "status": "open",
            "easting": float(easting[0]), "northing": float(northing[0]),
        })
    providers = pd.DataFrame(rows).set_index("provider_id")
    return providers.astype({"ofsted": "Int8", "residential": "boolean", "places": "Int64", "vacancies": "Int64"})


def draw_from_counts(rng: np.random.Generator, counts: dict, size: int) -> np.ndarray:
    weights = np.array(list(counts.values()), dtype=float)
    return rng.choice(np.array(list(counts.keys())), size=size, p=weights / weights.sum())


def _build_children(rng: np.random.Generator, providers: pd.DataFrame, per_council: int) -> pd.DataFrame:
    frames = []
    for council in DEMO_COUNCILS.index:
        easting, northing = _random_points(rng, council, per_council)
        frames.append(pd.DataFrame({"home_council": council, "easting": easting.round(-2),
                                    "northing": northing.round(-2)}))
    children = pd.concat(frames, ignore_index=True)
    size = len(children)
    children["age"] = draw_from_counts(rng, NATIONAL_AGE_COUNTS, size).astype(int)
    children["primary_need"] = draw_from_counts(rng, NATIONAL_NEED_COUNTS, size)
    children["secondary_needs"] = [tuple(need for need in rng.choice(NEEDS, rng.integers(0, 2), replace=False)
                                         if need != primary) for primary in children["primary_need"]]
    children["sex"] = rng.choice(["M", "M", "F"], size)  # about two in three children with plans are boys
    children["need_level"] = rng.integers(1, 5, size)
    children["requires_residential"] = rng.random(size) < 0.01
    children["placement_type"] = draw_from_counts(rng, NATIONAL_PLACEMENT_COUNTS, size)
    children.insert(0, "child_id", [f"DEMO-{number:04d}" for number in range(1, size + 1)])
    return children.set_index("child_id")


def demo_council_shapes() -> "gpd.GeoDataFrame":
    """The demo councils' squares as polygons (EPSG:27700), indexed by ``council``, for maps."""
    import geopandas as gpd
    from shapely.geometry import box

    shapes = [box(row.easting_min, row.northing_min, row.easting_min + SQUARE_M, row.northing_min + SQUARE_M)
              for row in DEMO_COUNCILS.itertuples()]
    return gpd.GeoDataFrame({"council_name": DEMO_COUNCILS["council_name"].to_numpy()}, geometry=shapes,
                            index=DEMO_COUNCILS.index, crs="EPSG:27700")
