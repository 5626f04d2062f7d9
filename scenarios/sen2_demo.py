"""A synthetic SEN2 person-level return for each council, drawn from the published SEN2 mix, and the postcode
directory its invented postcodes need: so the demo, the tests and a council's IT team can try the whole path
without real data.

The children are the synthetic cohort's (``scenarios.cohort.synthetic_cohort``: SEN2's specialist placements by
council, age and type, each child's need from the council's plans at that age, a home at one of its MSOAs), so a
run from the return can be held against a run of the synthetic cohort. Each child is placed today as a council
fills its places: at a setting of the register of its drawn kind that takes its age, in its home council where
one designated for its need (or publishing no designation) has a place left, in proportion to the places left;
else the nearest with a place left. Each lives at the LSOA nearest its home's point, under an invented postcode
(area ``ZZ``, which no real postcode uses; the directory written beside the returns maps it to its LSOA), and has
an invented name, a birth date in the school year of its age, a format-valid invented UPN (and a ULN from 16),
and, in the council's published share (``residential_settings.csv``), a residential plan and placement at a
special school. Needs beyond the primary are not drawn: SEN2 publishes none.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from core.errors import PlacewiseError
from core.vocabulary import NCY_AGE_OFFSET, POST16_YEARS, SPECIAL_KINDS
from geodata.areas import load_area_centroids
from geodata.councils import load_council_codes
from geodata.register import load_register
from geodata.sen2_residential import load_residential_counts
from geodata.sen2_return import VERSIONS, ActivePlan, Header, NamedPlan, Person, Placement
from geodata.sen2_return_writer import write_return
from matcher.rules import POST16_AGE_HIGH
from scenarios.cohort import synthetic_cohort
from scenarios.schema import CohortSpec

FORENAMES = ("Alex", "Amir", "Ava", "Ben", "Chloe", "Daniel", "Ella", "Finley", "Grace", "Harry", "Isla", "Jack",
             "Leo", "Maya", "Noah", "Olivia", "Oscar", "Priya", "Ruby", "Sam", "Theo", "Zara")
SURNAMES = ("Ahmed", "Brown", "Clarke", "Davies", "Evans", "Green", "Hall", "Hughes", "Jones", "Khan", "Lewis",
            "Patel", "Roberts", "Smith", "Taylor", "Thomas", "Walker", "White", "Wilson", "Wood", "Wright")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters an inward code uses
NEAREST = 5
#: Where the register has no setting of a drawn kind: the published GIAS files do not tell SEN units from resourced
#: provision (both are "resourced provision" there), so a unit's child is placed at one, with SENunitIndicator 1.
KIND_IN_REGISTER = {"sen_unit": "resourced_provision"}


@dataclass(frozen=True)
class GeneratedReturns:
    returns: dict[str, Path]  # council -> its return
    postcodes: Path
    children: int


def census_day(year: int) -> dt.date:
    """The third Thursday of January: the SEN2 census day."""
    first = dt.date(year, 1, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)


def generate_returns(data_dir: Path, councils: tuple[str, ...], out: Path, seed: int, year: int = 2024,
                     children: int | None = None, ages: tuple[int, int] = (4, 18)) -> GeneratedReturns:
    """Write ``sen2-<council>.xml`` for each council and ``postcodes.csv`` into ``out``.

    ``children``: how many for each council (drawn from its synthetic cohort), or every child SEN2 counts.
    """
    if year not in VERSIONS:
        raise PlacewiseError(f"--year: give {' or '.join(str(known) for known in VERSIONS)}", field="year")
    rng = np.random.default_rng(seed)
    cohort = synthetic_cohort(data_dir, councils, CohortSpec(synthetic=True, seed=seed, ages=ages))
    if children is not None:
        cohort = pd.concat([group.sample(min(children, len(group)), random_state=seed)
                            for _, group in cohort.groupby("home_council", sort=False)])
    providers = load_register(data_dir).providers
    homes = _nearest_lsoas(data_dir, cohort)
    postcodes = _postcodes(len(cohort))
    census = census_day(year)
    residential = _residential_shares(data_dir, cohort)
    codes = load_council_codes(Path(data_dir)).reset_index().drop_duplicates("council").set_index("council")
    written = {}
    left = providers["places"].fillna(0).to_numpy(dtype=float)
    for council, group in cohort.groupby("home_council", sort=False):
        at = cohort.index.get_indexer(group.index)
        placements = _placements(group, providers, rng, left)
        persons = [_person(number, row, placements[number - 1], postcodes[position], census,
                           bool(rng.random() < residential.get(str(council), 0.0)
                                and row.placement_type in SPECIAL_KINDS), rng)
                   for number, (position, row) in enumerate(zip(at, group.itertuples(), strict=True), start=1)]
        header = Header("SEN2", year, census, int(codes.loc[council, "dfe_la_code"]))
        written[str(council)] = write_return(Path(out) / f"sen2-{council}.xml", header, persons,
                                             dt.datetime.combine(census, dt.time(9)))
    table = pd.DataFrame({"pcds": postcodes, "doterm": "", "oseast1m": homes["easting"].round().astype(int),
                          "osnrth1m": homes["northing"].round().astype(int), "lsoa21": homes["lsoa"],
                          "ctry": "E92000001"})
    path = Path(out) / "postcodes.csv"
    table.to_csv(path, index=False)
    return GeneratedReturns(written, path, len(cohort))


def _nearest_lsoas(data_dir: Path, cohort: pd.DataFrame) -> pd.DataFrame:
    centroids = load_area_centroids(Path(data_dir), "LSOA")
    centroids = centroids[centroids.index.str.startswith("E01")]
    _, nearest = cKDTree(centroids[["easting", "northing"]].to_numpy()).query(
        cohort[["easting", "northing"]].to_numpy(dtype=float))
    found = centroids.iloc[nearest]
    return pd.DataFrame({"lsoa": found.index.to_numpy(), "easting": found["easting"].to_numpy(),
                         "northing": found["northing"].to_numpy()})


def _postcodes(count: int) -> list[str]:
    """Distinct invented postcodes in area ZZ (no real postcode is there): ZZ1 0AA, ZZ1 0AB ..."""
    letters = len(INWARD_LETTERS)
    per_district = 10 * letters * letters
    return [f"ZZ{1 + number // per_district} {number // (letters * letters) % 10}"
            f"{INWARD_LETTERS[number // letters % letters]}{INWARD_LETTERS[number % letters]}"
            for number in range(count)]


def _residential_shares(data_dir: Path, cohort: pd.DataFrame) -> dict[str, float]:
    counts = load_residential_counts(Path(data_dir)).sum(axis=1)
    special = cohort[cohort["placement_type"].isin(SPECIAL_KINDS)].groupby("home_council").size()
    return {str(council): float(min(counts.get(council, 0.0) / total, 1.0)) for council, total in special.items()}


def _placements(group: pd.DataFrame, providers: pd.DataFrame, rng: np.random.Generator,
                left: np.ndarray) -> list[int | None]:
    """A setting for each child, as a council fills its places: of the child's drawn kind and teaching its age (and,
    from 16, with post-16 provision), in
    the home council where one has a place left (chosen in proportion to the places left), else the nearest with a
    place left (designated for the child's need where one of those near is), else the nearest. ``left``: places
    left at each provider (in ``providers``' order), across councils, taken as children are placed."""
    chosen: list[int | None] = []
    kind = providers["kind"].to_numpy()
    located = providers["easting"].notna().to_numpy()
    low, high = providers["age_low"].fillna(0).to_numpy(), providers["age_high"].fillna(25).to_numpy()
    oldest = np.where(high > low, high - 1, high)
    post16_age = POST16_YEARS[0] + NCY_AGE_OFFSET  # GIAS's high age is the one pupils reach in their last year
    no_post16 = ((providers["post16"].eq(False).fillna(False).to_numpy() if "post16" in providers
                  else np.zeros(len(providers), dtype=bool)) | (high < POST16_AGE_HIGH))
    council, needs = providers["host_council"].to_numpy(), providers["designated_needs"].to_numpy()
    easting, northing = providers["easting"].to_numpy(), providers["northing"].to_numpy()
    for row in group.itertuples():
        of_kind = np.flatnonzero(located & (kind == KIND_IN_REGISTER.get(row.placement_type, row.placement_type)))
        teaches = (low[of_kind] <= row.age) & (oldest[of_kind] >= row.age)
        pool = of_kind[teaches & ~(no_post16[of_kind] & (row.age >= post16_age))]
        pool = pool if len(pool) else of_kind
        if not len(pool):
            chosen.append(None)
            continue
        home = pool[(council[pool] == row.home_council) & (left[pool] > 0)]
        suits = [at for at in home if not len(needs[at]) or row.primary_need in needs[at]]
        home = np.array(suits, dtype=int) if suits else home
        if len(home):
            at = int(rng.choice(home, p=left[home] / left[home].sum()))
        else:
            distance = np.hypot(easting[pool] - row.easting, northing[pool] - row.northing)
            order = pool[np.argsort(np.where(left[pool] > 0, distance, distance + 1e9))[:NEAREST]]
            designated = [at for at in order if row.primary_need in needs[at]]
            at = int((designated or list(order))[0])
        left[at] -= 1
        chosen.append(int(providers.index[at]))
    return chosen


def _person(number: int, row: object, urn: int | None, postcode: str, census: dt.date, residential: bool,
            rng: np.random.Generator) -> Person:
    age = int(row.age)  # type: ignore[attr-defined]
    august = dt.date(census.year - 1, 8, 31)
    birth = dt.date(august.year - age - 1, 9, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
    started = dt.date(max(census.year - 1 - int(rng.integers(0, 4)), birth.year + 3), 9, 1)
    kind = str(row.placement_type)  # type: ignore[attr-defined]
    res = ("A" if rng.random() < 0.5 else "B") if residential else None
    placement = Placement(urn=str(urn) if urn is not None else None, ukprn=None,
                          setting=None if urn is not None else "OTH", rank="1", entry_date=started.isoformat(),
                          leaving_date=None, residential=res, attendance_pattern=None,
                          unit="1" if kind == "sen_unit" else "0",
                          resourced="1" if kind == "resourced_provision" else "0")
    upn = f"{'ABCDEFGHJKLMNPQRTUVWXYZ'[number % 23]}{rng.integers(0, 10**11):011d}{rng.integers(0, 10)}"
    uln = f"{rng.integers(10**9, 10**10)}" if age >= 16 else None
    received = started - dt.timedelta(days=140)
    return Person(position=number, forename=str(rng.choice(FORENAMES)), surname=str(rng.choice(SURNAMES)),
                  birth_date=birth.isoformat(), upn=upn, uln=uln, postcode=postcode,
                  sex=str(row.sex),  # type: ignore[attr-defined]
                  requests=((received.isoformat(), (received + dt.timedelta(days=40)).isoformat()),),
                  named_plans=(NamedPlan((started - dt.timedelta(days=20)).isoformat(), None, res),),
                  active_plans=(ActivePlan((placement,), ((str(row.primary_need), "1"),)),))  # type: ignore
