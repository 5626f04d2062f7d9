"""The providers table as numpy arrays, built once, so that one child's shortlist never touches pandas.

Each need has its pool (``ProviderIndex.pools``): the providers that may meet it (designated for it, or publishing
no designation at all), laid out as an index of their own; a child is evaluated against its need's pool, and the
rest are counted as ``need_not_designated`` (or ``closed``) without being looked at one by one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.vocabulary import KINDS, NEEDS, SOURCES, SPECIAL_KINDS
from matcher.contracts import check_providers
from matcher.pool_passes import within_radius

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

NEED_COLUMN = {need: column for column, need in enumerate(NEEDS)}
GENDER_CODE = {"mixed": 0, "boys": 1, "girls": 2}
#: By source code: vacancies that are published or reported (known), as against estimated or unknown.
KNOWN_SOURCE = np.array([source in ("published", "reported") for source in SOURCES])


@dataclass(frozen=True, eq=False)
class ProviderIndex:
    """Arrays over providers in table order; position ``i`` is row ``i`` of ``providers``."""

    providers: pd.DataFrame
    provider_id: np.ndarray
    position: dict[int, int]
    kind_code: np.ndarray  # index into KINDS
    designated: np.ndarray  # bool, providers x needs
    needs_published: np.ndarray
    needs_count: np.ndarray
    age_low: np.ndarray
    age_high: np.ndarray
    gender_code: np.ndarray
    residential: np.ndarray  # 1 offers boarding, 0 does not, -1 not published
    post16: np.ndarray  # 1 teaches post-16 (a sixth form or further education), 0 does not, -1 not published
    provision_named: np.ndarray  # False: an independent mainstream school no council file names as SEN provision
    ofsted: np.ndarray  # float, NaN where unknown
    vacancies: np.ndarray  # float, NaN where unknown
    vacancies_source: np.ndarray  # index into SOURCES
    need_vacancies: np.ndarray  # float, providers x needs, NaN where not reported
    is_open: np.ndarray
    is_special_school: np.ndarray  # a special school of any kind (maintained, academy, non-maintained, independent)
    easting: np.ndarray
    northing: np.ndarray
    name: np.ndarray  # object: names as published
    host_council: np.ndarray  # object: ONS codes
    pools: list["NeedPool"] = field(default_factory=list)  # by need column (the full index only)
    #: Arrays other modules derive from the providers alone (a criterion's score of each, say), kept with the index.
    derived: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def derive(self, name: str, build: Callable[["ProviderIndex"], np.ndarray]) -> np.ndarray:
        """The derived array ``name``, built from the index the first time it is asked for."""
        found = self.derived.get(name)
        if found is None:
            found = self.derived[name] = build(self)
        return found

    def subset(self, rows: np.ndarray) -> "ProviderIndex":
        """The index of some of its providers (rows in its order), with no pools of its own."""
        arrays = {item.name: getattr(self, item.name)[rows] for item in fields(self)
                  if isinstance(getattr(self, item.name), np.ndarray)}
        return ProviderIndex(providers=self.providers.iloc[rows], position={int(provider_id): row for row, provider_id
                                                                            in enumerate(arrays["provider_id"])},
                             pools=[], **arrays)


@dataclass(frozen=True, eq=False)
class NeedPool:
    """The providers that may meet one need, as an index of their own, and what is left of the full index."""

    index: ProviderIndex
    rows: np.ndarray  # each pool provider's row in the full index
    outside: np.ndarray  # rows of the full index designated for other needs only
    outside_closed: int  # how many of those are closed (the first rule they fail)
    pair_of_row: dict[int, int]  # a full-index row -> its position in the pool
    #: Children alike -> the pool's first failures among the rules that need no journey, and their bincount.
    far_codes: dict = field(default_factory=dict, repr=False)

    @cached_property
    def located(self) -> np.ndarray:
        """Positions (in the pool) of the providers whose location is published."""
        return np.flatnonzero(np.isfinite(self.index.easting) & np.isfinite(self.index.northing))

    @cached_property
    def located_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The eastings and northings of the located providers (in the order of ``located``)."""
        return self.index.easting[self.located], self.index.northing[self.located]

    @cached_property
    def tree(self) -> "cKDTree":
        """A k-d tree of the located providers (its points are ``located``, in order; imported here, as a shortlist
        does not need it)."""
        from scipy.spatial import cKDTree

        return cKDTree(np.column_stack([self.index.easting[self.located], self.index.northing[self.located]]))

    def within(self, easting: float, northing: float, radius_m: float) -> np.ndarray:
        """Positions (in the pool, ascending) of the located providers within ``radius_m`` of a point (the squared
        distance, as a k-d tree finds them; measured to each in one compiled pass, which one child's few thousand
        take less time)."""
        east, north = self.located_points
        return within_radius(self.located, east, north, float(easting), float(northing), float(radius_m))


def build_pools(index: ProviderIndex) -> list[NeedPool]:
    """One pool per need, in the order of ``NEEDS``."""
    pools = []
    for column in range(len(NEEDS)):
        may_meet = index.designated[:, column] | ~index.needs_published
        rows, outside = np.flatnonzero(may_meet), np.flatnonzero(~may_meet)
        pools.append(NeedPool(index.subset(rows), rows, outside, int((~index.is_open[outside]).sum()),
                              {int(row): position for position, row in enumerate(rows)}))
    return pools


def build_provider_index(providers: pd.DataFrame) -> ProviderIndex:
    """Check the providers table and lay it out as arrays for fast per-child work."""
    check_providers(providers)
    designated = np.zeros((len(providers), len(NEEDS)), dtype=bool)
    need_vacancies = np.full((len(providers), len(NEEDS)), np.nan)
    reported = providers["need_vacancies"] if "need_vacancies" in providers else pd.Series(
        [{}] * len(providers), index=providers.index)
    for row, (needs, by_need) in enumerate(zip(providers["designated_needs"], reported, strict=True)):
        designated[row, [NEED_COLUMN[need] for need in needs]] = True
        for need, count in (by_need or {}).items():
            need_vacancies[row, NEED_COLUMN[need]] = count
    residential = providers["residential"].astype("boolean")
    post16 = (providers["post16"] if "post16" in providers else pd.Series(pd.NA, index=providers.index)
              ).astype("boolean")
    named = (providers["provision_named"].astype("boolean").fillna(True) if "provision_named" in providers
             else pd.Series(True, index=providers.index))  # a provider a scenario opens is named by it
    index = ProviderIndex(
        providers=providers,
        provider_id=providers.index.to_numpy(dtype=np.int64),
        position={int(provider_id): row for row, provider_id in enumerate(providers.index)},
        kind_code=providers["kind"].map({kind: code for code, kind in enumerate(KINDS)}).to_numpy(np.int8),
        designated=designated,
        needs_published=np.asarray(designated.any(axis=1)),
        needs_count=designated.sum(axis=1),
        age_low=providers["age_low"].to_numpy(dtype=float),
        age_high=providers["age_high"].to_numpy(dtype=float),
        gender_code=providers["gender"].map(GENDER_CODE).to_numpy(np.int8),
        residential=_known_flag(residential),
        post16=_known_flag(post16),
        provision_named=named.to_numpy(dtype=bool),
        ofsted=providers["ofsted"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
        vacancies=providers["vacancies"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
        vacancies_source=providers["vacancies_source"].map(
            {source: code for code, source in enumerate(SOURCES)}).fillna(SOURCES.index("unknown")).to_numpy(np.int8),
        need_vacancies=need_vacancies,
        is_open=providers["status"].ne("closed").to_numpy(),
        is_special_school=providers["kind"].isin(SPECIAL_KINDS).to_numpy(),
        easting=providers["easting"].to_numpy(dtype=float),
        northing=providers["northing"].to_numpy(dtype=float),
        name=providers["name"].astype(str).to_numpy(dtype=object),
        host_council=providers["host_council"].astype(str).to_numpy(dtype=object),
    )
    index.pools.extend(build_pools(index))
    return index


def _known_flag(flag: pd.Series) -> np.ndarray:
    """A yes/no column as 1 (yes), 0 (no) or -1 (not published)."""
    return np.where(flag.isna(), -1, flag.fillna(False).astype(int)).astype(np.int8)
