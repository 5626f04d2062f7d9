"""Scenario files: a YAML file validated by a pydantic schema, with errors that name the line and the field.

A scenario names its data (``demo`` or a folder laid out like ../shared/data), the councils of the
sub-region (ONS codes), the cohort (a CSV of children, or synthetic, drawn from SEN2), the policy, the solver
and the deltas (open, close or expand a provider; add places for a need; a council quota; demand growth by need).
A what-if file may name a ``base`` scenario (a path relative to itself): its own sections replace the base's,
and its deltas are added after the base's.
"""

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, StrictInt, ValidationError, model_validator

from core.errors import PlacewiseError
from core.vocabulary import Council, Gender, Kind, Need
from geodata.coords import in_england_box
from geodata.yaml_files import read_yaml_mapping
from matcher.allocation.allocate import Method
from matcher.child import Child, describe_validation_error
from matcher.policy import Policy
from scenarios.plan_schema import DEFAULT_SPECIALIST_SHARE, MAX_VARIANTS, PlanSpec, SweepSpec
from scenarios.strict import Strict

#: The planning sections live in ``scenarios.plan_schema``; they are named here too, as the file's parts.
__all__ = ["DEFAULT_SPECIALIST_SHARE", "MAX_VARIANTS", "BeyondSpec", "CohortSpec", "Delta", "NeedLevels",
           "PlanSpec", "Scenario", "SolverSpec", "Strict", "SweepSpec", "load_scenario", "parse_scenario"]

MAX_DELTAS = 200


class NeedLevels(Strict):
    """The need levels a synthetic cohort draws (uniformly, both ends included) by type of placement: SEN2 publishes
    none, so these are assumptions, and they move the per-child agreement (``scenarios.calibration``).

    Children in special schools 3-4; in resourced provision and units 1-2 (their plans are met in a mainstream
    school). Units' 1-2 was chosen over 2-3 and 2-2 on four regions (North East, North West, Yorkshire and the
    Humber, East Midlands: mean per-child agreement 73.0% against 68.8% and 72.0%) and checked on the other five
    (``bench/regions.py --unit-levels``)."""

    special: tuple[Annotated[int, Field(ge=1, le=4)], Annotated[int, Field(ge=1, le=4)]] = (3, 4)
    unit: tuple[Annotated[int, Field(ge=1, le=4)], Annotated[int, Field(ge=1, le=4)]] = (1, 2)

    @model_validator(mode="after")
    def _ordered(self) -> "NeedLevels":
        if self.special[0] > self.special[1] or self.unit[0] > self.unit[1]:
            raise ValueError("need_levels: give [lowest, highest], each 1 to 4")
        return self


class CohortSpec(Strict):
    """A CSV of children (pseudonymous ids, home_lsoa or easting/northing), a synthetic cohort, or (through the
    service) the councils' stored children: ``stored: true``, which the service replaces with the ``children``
    themselves when it queues the job."""

    csv: Path | None = None
    synthetic: bool = False
    stored: bool = False
    children: tuple[Child, ...] = ()
    seed: int = 1
    #: Share of the SEN2 specialist cohort to draw (1 = every child in a special school, unit or resourced place).
    share: float = Field(default=1.0, gt=0, le=1)
    ages: tuple[int, int] = (4, 18)
    #: Need levels drawn for children of special schools and of units (synthetic cohorts only).
    need_levels: NeedLevels = Field(default_factory=NeedLevels)

    @model_validator(mode="after")
    def _one_source(self) -> "CohortSpec":
        if sum((self.csv is not None, self.synthetic, self.stored, bool(self.children))) != 1:
            raise ValueError("give either csv: a file of children, or synthetic: true (or, through the service, "
                             "stored: true)")
        if not 0 <= self.ages[0] <= self.ages[1] <= 25:
            raise ValueError("ages: give [youngest, oldest] within 0..25")
        return self


class SolverSpec(Strict):
    method: Method = "auto"
    time_limit_seconds: float = Field(default=120.0, gt=0, le=3_600)
    workers: int = Field(default=1, ge=1, le=64)
    seed: int = 0
    #: Keep only each child's that many best-scoring candidates (a stay or a preference always kept): for very
    #: large runs an approximation, whose effect ``bench/national.py`` reports; empty keeps every one (exact).
    best_arcs_per_child: int | None = Field(default=None, ge=1, le=1_000)


class OpenProvider(Strict):
    provider_id: int = Field(gt=0)
    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    host_council: Council
    easting: float = Field(ge=0, le=700_000)
    northing: float = Field(ge=0, le=1_300_000)
    designated_needs: tuple[Need, ...] = Field(min_length=1)
    age_low: int = Field(ge=0, le=25)
    age_high: int = Field(ge=0, le=25)
    places: int = Field(gt=0, le=5_000)
    residential: bool = False
    gender: Gender = "mixed"

    @model_validator(mode="after")
    def _check(self) -> "OpenProvider":
        if self.age_low > self.age_high:
            raise ValueError("age_low: must not be above age_high")
        if not in_england_box(self.easting, self.northing):
            raise ValueError("easting/northing: the new provider must lie in England (EPSG:27700 metres)")
        return self


class Delta(Strict):
    """One change to the base data; exactly one of its fields is given."""

    open: OpenProvider | None = None
    close: StrictInt | None = Field(default=None, gt=0)
    expand: dict[int, Annotated[int, Field(gt=-5_000, le=5_000)]] | None = None
    add_places: "AddPlaces | None" = None
    quota: "Quota | None" = None
    demand_growth: dict[Need, Annotated[float, Field(ge=-1, le=10)]] | None = None
    #: Cap every price at its national band (``packages:``; a child without packages: its need's package's band).
    cap_prices: Literal[True] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Delta":
        given = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of open, close, expand, add_places, quota, demand_growth, "
                             "cap_prices")
        return self


class AddPlaces(Strict):
    provider_id: int = Field(gt=0)
    need: Need
    places: int = Field(gt=0, le=5_000)


class Quota(Strict):
    provider_id: int = Field(gt=0)
    places: dict[Council, Annotated[int, Field(ge=0, le=5_000)]] = Field(min_length=1)


class BeyondSpec(Strict):
    """Settings beyond the sub-region its children may use: these kinds, within reach, offering a share of their
    places (see ``scenarios.provider_pool``)."""

    kinds: tuple[Kind, ...] = Field(default=("independent_special", "non_maintained_special", "special_maintained",
                                             "special_academy"), min_length=1)
    #: ``sen2_flows``: a share of each setting's places in proportion to SEN2's flows between councils
    #: (``scenarios.placement_flows``); ``free_places``: its free places only.
    offer: Literal["sen2_flows", "free_places"] = "sen2_flows"


class Scenario(Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    data: str = "demo"
    councils: tuple[Council, ...] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _councils_once(self) -> "Scenario":
        if len(set(self.councils)) != len(self.councils):
            raise ValueError("councils: name each council once")
        return self
    cohort: CohortSpec
    #: ``places``: re-plan every place (the whole cohort against all places); ``vacancies``: only free places.
    capacity: Literal["places", "vacancies"] = "places"
    #: Providers hosted in the sub-region only (its pooled capacity), or every provider within reach.
    providers: Literal["sub_region", "within_reach"] = "sub_region"
    #: With ``sub_region``: settings beyond it that its children may also use (``beyond: null`` for none).
    beyond: BeyondSpec | None = Field(default_factory=BeyondSpec)
    #: An OpenStreetMap extract (.osm.pbf, relative to the file): road travel where it reaches, the calibrated
    #: straight line elsewhere; without it, the straight line for everyone.
    roads: Path | None = None
    policy: Policy = Field(default_factory=Policy)
    solver: SolverSpec = Field(default_factory=SolverSpec)
    deltas: tuple[Delta, ...] = Field(default=(), max_length=MAX_DELTAS)
    plan: PlanSpec | None = None
    sweep: SweepSpec | None = None
    #: Packages and national price bands (YAML, relative to the file): value for money against a child's package
    #: band, and the ``cap_prices`` delta caps prices at the bands (refused without this file).
    packages: Path | None = None
    #: A council's settings file (CSV: urn, kind, places, boarding, needs; relative to the file): the settings it
    #: names as SEN provision, over the register (``geodata.user_files.load_settings_file``).
    settings: Path | None = None
    #: Transport costs by mode (CSV, relative to the file: ``council`` (an ONS code, or ``national``), ``mode``,
    #: ``annual_cost_gbp`` of an average journey by that mode), over the modelled figures (``matcher.transport``).
    transport_costs: Path | None = None
    base_dir: Path = Path(".")

    @model_validator(mode="after")
    def _bands_to_cap_at(self) -> "Scenario":
        if any(delta.cap_prices for delta in self.deltas) and self.packages is None:
            raise ValueError("deltas: cap_prices needs the packages file with the price bands (packages:)")
        return self

    def packages_file(self) -> Path | None:
        if self.packages is None:
            return None
        return self.packages if self.packages.is_absolute() else (self.base_dir / self.packages).resolve()

    def settings_file(self) -> Path | None:
        if self.settings is None:
            return None
        return self.settings if self.settings.is_absolute() else (self.base_dir / self.settings).resolve()

    def transport_costs_file(self) -> Path | None:
        if self.transport_costs is None:
            return None
        return (self.transport_costs if self.transport_costs.is_absolute()
                else (self.base_dir / self.transport_costs).resolve())

    def roads_file(self) -> Path | None:
        if self.roads is None:
            return None
        return self.roads if self.roads.is_absolute() else (self.base_dir / self.roads).resolve()

    def data_dir(self) -> Path | None:
        """The data folder, resolved against the scenario file's folder, or None for the embedded demo."""
        if self.data == "demo":
            return None
        path = Path(self.data)
        return path if path.is_absolute() else (self.base_dir / path).resolve()


def load_scenario(path: Path) -> Scenario:
    """Read and validate a scenario file (and its base, where it names one)."""
    return parse_scenario(_merged_document(Path(path), depth=0), Path(path))


def parse_scenario(document: dict[str, Any], path: Path, lines: dict[tuple, int] | None = None) -> Scenario:
    """Validate a scenario given as a mapping; errors name the file, the line (where known) and the field."""
    document = {**document, "base_dir": str(Path(path).parent)}
    document.pop("base", None)
    try:
        return Scenario.model_validate(document)
    except ValidationError as error:
        where = str(path)
        first = error.errors(include_input=False)[0]
        line = (lines or _line_numbers(path)).get(tuple(first["loc"]))
        raise PlacewiseError(f"{where}{f' line {line}' if line else ''}: "
                             + describe_validation_error(error)) from None


def _merged_document(path: Path, depth: int) -> dict[str, Any]:
    if depth > 3:
        raise PlacewiseError(f"{path}: base: scenarios may build on at most three bases")
    document = _read_yaml(path)
    base = document.get("base")
    if base is None:
        return document
    merged = _merged_document((path.parent / str(base)).resolve(), depth + 1)
    deltas = [*merged.get("deltas", []), *document.get("deltas", [])]
    return {**merged, **{key: value for key, value in document.items() if key != "base"}, "deltas": deltas}


def _read_yaml(path: Path) -> dict[str, Any]:
    return read_yaml_mapping(path, "scenario file not found", "the scenario",
                             "a scenario is a YAML mapping (name:, councils:, cohort:, ...)")


def _line_numbers(path: Path) -> dict[tuple, int]:
    """Map each key path of the YAML file to its line (1-based), so errors can say where to look."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    lines: dict[tuple, int] = {}

    def walk(node: yaml.Node, prefix: tuple) -> None:
        lines[prefix] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*prefix, key.value))
                lines[(*prefix, key.value)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for number, item in enumerate(node.value):
                walk(item, (*prefix, number))

    if root is not None:
        walk(root, ())
    return lines


Delta.model_rebuild()
