"""Build the engine's inputs from a data folder (laid out like ``../shared/data``) or the embedded demo."""

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

import geodata.areas
import geodata.coords
import geodata.density
import geodata.travel_matrix
import matcher.travel.ends
import matcher.travel.national
import matcher.travel.national_formula
from core.errors import PlacewiseError
from geodata.areas import load_area_centroids, locate_area
from geodata.coords import check_in_england
from geodata.demo import build_demo
from geodata.density import load_density_grid, uniform_grid
from geodata.postcodes import PostcodeDirectory, load_postcode_directory
from geodata.register import register_source
from geodata.travel_cache import cached_arrays, files_digest
from geodata.travel_matrix import has_routed_matrix, load_routed_matrix, routed_matrix_files
from geodata.user_files import (
    load_designations_file,
    load_places_file,
    load_settings_file,
    load_tariff_file,
    load_vacancy_file,
)
from matcher.child import Child
from matcher.costs import CostModel, check_tariffs, default_costs
from matcher.overrides import apply_designations, apply_places, apply_settings, apply_vacancies
from matcher.travel.ends import EndTable
from matcher.travel.national import NationalTravel, routed_ends
from matcher.travel.protocol import TravelModel
from scenarios.published_inputs import load_published

log = logging.getLogger(__name__)
#: The embedded demo has no small areas: its journeys are estimated at the median English LSOA's density (LSOA
#: centroids within 5 km: 72; within 10 km: 194).
DEMO_DENSITY: dict[float, float] = {5.0: 72.0, 10.0: 194.0}


@dataclass(frozen=True)
class UserFiles:
    """A user's own files, each overriding the published data (best evidence first); all optional."""

    gias_extract: Path | None = None  # a full GIAS extract (capacity fields, boarding)
    places: Path | None = None  # provider_id, places
    vacancies: Path | None = None  # provider_id, need, vacancies
    designations: Path | None = None  # provider_id, needs
    tariff: Path | None = None  # provider_id or kind, [need], [need_level], annual_cost_gbp
    postcodes: Path | None = None  # the ONS Postcode Directory or NSPL, for children given by postcode
    settings: Path | None = None  # urn, kind, places, boarding, needs: the settings a council names as provision


@dataclass(frozen=True)
class Inputs:
    """Providers, costs and what is needed to locate children, with where they came from."""

    providers: pd.DataFrame
    costs: CostModel
    dropped: pd.Series
    source: str
    data_dir: Path | None
    demo_children: pd.DataFrame | None = None
    postcodes: PostcodeDirectory | None = None
    travel: TravelModel = field(default_factory=lambda: NationalTravel(uniform_grid(DEMO_DENSITY)))
    cache_dir: Path | None = None  # where derived tables are kept (the cache setting)


def load_inputs(data_dir: Path | None = None, files: UserFiles | None = None,
                cache_dir: Path | None = None) -> Inputs:
    """Load the register and costs from a data folder, or the embedded demo when there is none, with the user's
    own files over them (``cache_dir``: where the register, costs and travel model's derived tables are kept, the
    cache setting). The travel model is loaded (or, the first time, built) on a thread of its own while the register
    is: both are mostly array work that lets the other run, and on a cold cache each takes seconds."""
    files = files or UserFiles()
    if data_dir is None and files.gias_extract is not None:
        raise PlacewiseError("--gias-extract: also give --data, a folder laid out like ../shared/data, for the "
                             "council codes")
    if data_dir is None:
        demo = build_demo()
        inputs = Inputs(demo.providers, default_costs(), pd.Series(dtype=int), "embedded demo (synthetic)",
                        None, demo.children)
    else:
        data_dir = Path(data_dir)
        if not data_dir.is_dir():
            raise PlacewiseError(f"--data: {data_dir} is not a folder; give one laid out like ../shared/data")
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="placewise-travel") as beside:
            travel_model = beside.submit(national_travel, data_dir.resolve(), cache_dir)
            published = load_published(data_dir, files.gias_extract, cache_dir)
            travel_model.result()
        source = register_source(data_dir, files.gias_extract)
        inputs = Inputs(published.providers, published.costs, published.dropped, source, data_dir)
        log.info("loaded %d providers from %s; dropped %d rows", len(published.providers), source,
                 int(published.dropped.sum()))
    providers, costs = inputs.providers, inputs.costs
    if files.settings is not None:
        providers = apply_settings(providers, load_settings_file(files.settings))
    if files.places is not None:
        providers = apply_places(providers, load_places_file(files.places))
    if files.vacancies is not None:
        providers = apply_vacancies(providers, load_vacancy_file(files.vacancies))
    if files.designations is not None:
        providers = apply_designations(providers, load_designations_file(files.designations))
    if files.tariff is not None:
        costs = costs.with_tariffs(check_tariffs(load_tariff_file(files.tariff), providers.index))
    postcodes = load_postcode_directory(files.postcodes) if files.postcodes is not None else None
    travel = (national_travel(inputs.data_dir.resolve(), cache_dir) if inputs.data_dir is not None
              else inputs.travel)
    return replace(inputs, providers=providers, costs=costs, postcodes=postcodes, travel=travel, cache_dir=cache_dir)



#: The code a cached travel model was built by: a change to any of them builds it afresh.
MODEL_MODULES = (matcher.travel.national, matcher.travel.national_formula, matcher.travel.ends, geodata.density,
                 geodata.travel_matrix, geodata.areas, geodata.coords)


@lru_cache(maxsize=2)
def national_travel(data_dir: Path, cache_dir: Path | None = None) -> NationalTravel:
    """The national travel model on the folder's densities, corrected at each end by the routed matrix's own
    journeys where the folder has the matrix (``matcher.travel.ends``); built once a process, and kept in the cache
    folder (where one is given) under a hash of the files and of the model's code (about 3 s to build)."""
    density = load_density_grid(data_dir, cache_dir)
    if not has_routed_matrix(data_dir):
        return NationalTravel(density)

    def build() -> dict[str, np.ndarray]:
        routed = load_routed_matrix(data_dir)
        model = NationalTravel(density, routed_ends(routed.easting, routed.northing, routed.site_easting,
                                                    routed.site_northing, routed.driving_minutes, density))
        assert model.ends is not None and model.ends.spread is not None
        return {"easting": model.ends.easting, "northing": model.ends.northing, "toward": model.ends.toward,
                "around": model.ends.around, "spread": model.ends.spread, "reach": model.fastest_low_minutes}

    sources = [*routed_matrix_files(data_dir), *(Path(str(module.__file__)) for module in MODEL_MODULES),
               matcher.travel.national_formula.FIT_FILE]
    key = files_digest(sources, "travel ends", cache_dir)
    arrays = cached_arrays(cache_dir, f"travel-ends-{key}", build)
    ends = EndTable(arrays["easting"], arrays["northing"], arrays["toward"], arrays["around"], arrays["spread"],
                    rows_cache=cache_dir)
    return NationalTravel(density, ends, reach_table=arrays["reach"])


def road_travel(roads: Path, fallback: TravelModel, cache_dir: Path | None) -> TravelModel:
    """Travel on an OpenStreetMap extract's road network where it covers a journey, else ``fallback`` (the road
    graph's libraries are imported only here, for the runs that name a road network)."""
    from geodata.roads import load_road_graph
    from matcher.travel.roads import RoadTravel

    return RoadTravel(load_road_graph(roads, cache_dir), fallback=fallback, label=f"road network ({roads.name})")


def resolve_postcode(child: Child, inputs: Inputs) -> Child:
    """Turn a child's ``home_postcode`` into its ``home_lsoa`` and drop the postcode (it is never kept)."""
    if child.home_postcode is None:
        return child
    if inputs.postcodes is None:
        raise PlacewiseError("home_postcode: no postcode directory is loaded; give home_lsoa, or the ONS Postcode "
                             "Directory or NSPL file (--postcodes, or the postcodes setting)")
    return child.model_copy(update={"home_lsoa": inputs.postcodes.lsoa_of(child.home_postcode),
                                    "home_postcode": None})


def locate_child(child: Child, inputs: Inputs) -> Child:
    """Return the child with easting/northing: as given, or the centroid of its LSOA (``home_lsoa``, or the LSOA of
    ``home_postcode``, which is then dropped); check it is in England."""
    child = resolve_postcode(child, inputs)
    if child.easting is not None and child.northing is not None:
        check_in_england(child.easting, child.northing)
        return child
    if inputs.data_dir is None:
        raise PlacewiseError("home_lsoa: the embedded demo has no small areas; give easting and northing, or "
                             "--data with a centroids folder")
    area = str(child.home_lsoa)
    layer = "MSOA" if area.startswith("E02") else "LSOA"
    easting, northing = locate_area(load_area_centroids(inputs.data_dir, layer, inputs.cache_dir), area)
    check_in_england(easting, northing, "home_lsoa")
    return child.model_copy(update={"easting": easting, "northing": northing})


def demo_child(inputs: Inputs, child_id: str) -> Child:
    """Return one child of the embedded demo cohort as a Child."""
    if inputs.demo_children is None or child_id not in inputs.demo_children.index:
        raise PlacewiseError(f"child: {child_id!r} is not a demo child id (DEMO-0001 .. DEMO-0240)")
    record = inputs.demo_children.loc[child_id]
    return Child(child_id=child_id, home_council=record["home_council"], easting=float(record["easting"]),
                 northing=float(record["northing"]), age=int(record["age"]), primary_need=record["primary_need"],
                 secondary_needs=tuple(record["secondary_needs"]), need_level=int(record["need_level"]),
                 sex=record["sex"], requires_residential=bool(record["requires_residential"]))


def council_codes(data_dir: Path | None) -> frozenset[str]:
    """The register of councils: the ONS codes of the data's 153 councils (2023 boundaries), or the demo's three."""
    from geodata.councils import load_council_codes
    from geodata.demo import DEMO_COUNCILS

    if data_dir is None:
        return frozenset(str(code) for code in DEMO_COUNCILS.index)
    return frozenset(str(code) for code in load_council_codes(Path(data_dir))["council"])


def councils_note(data_dir: Path | None) -> str:
    """How to find a right code, for an error that names an unknown council."""
    return "the demo has E06900001-3" if data_dir is None else "use the 2023 ONS code of an English council"


def council_names(data_dir: Path | None) -> dict[str, str]:
    """Each council's name by its ONS code: the data's 153 councils (2023 boundaries), or the demo's three."""
    from geodata.councils import load_council_codes
    from geodata.demo import DEMO_COUNCILS

    if data_dir is None:
        return {str(code): str(name) for code, name in DEMO_COUNCILS["council_name"].items()}
    codes = load_council_codes(Path(data_dir)).drop_duplicates("council")
    return {str(code): str(name) for code, name in zip(codes["council"], codes["council_name"], strict=True)}
