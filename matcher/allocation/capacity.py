"""Capacities an allocation must respect: places per provider, per provider and need, per council quota.

- ``places``: what the allocation may fill at each provider (its vacancies; a whole re-plan passes places).
- ``need_caps``: at most so many children of one primary need at a provider (from reported per-need vacancies).
- ``quotas``: a jointly commissioned provider's places reserved for named councils; children of a named council
  may fill at most its quota, and children of every other council share what is not reserved.

Each family is a set of groups, each group a cap on some of the arcs; every family nests inside the provider's
places, which is what lets a min-cost flow hold them all exactly when no provider has both needs and quotas.
"""

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

OTHER_COUNCILS = "*"


class ArcEnds(Protocol):
    """What the capacities and the flow's layout read of a table: each arc's child and provider positions, each
    child's need and home council, and the providers' ids (a ``CandidateTable`` has them all)."""

    @property
    def child(self) -> np.ndarray: ...
    @property
    def provider(self) -> np.ndarray: ...
    @property
    def child_need(self) -> np.ndarray: ...
    @property
    def child_council(self) -> np.ndarray: ...
    @property
    def provider_ids(self) -> np.ndarray: ...
    @property
    def n_children(self) -> int: ...
    @property
    def n_providers(self) -> int: ...


@dataclass(frozen=True)
class Capacities:
    places: np.ndarray  # int, by provider position
    need_caps: dict[tuple[int, str], int] = field(default_factory=dict)  # (provider position, need) -> places
    quotas: dict[tuple[int, str], int] = field(default_factory=dict)  # (provider position, council) -> places


@dataclass(frozen=True)
class GroupFamily:
    """Groups of arcs with a cap each: ``group[a]`` is arc a's group, or -1 where the family does not bind it."""

    name: str
    group: np.ndarray
    provider: np.ndarray  # the provider of each group
    cap: np.ndarray
    label: list[str]


def capacities_from_providers(providers: pd.DataFrame) -> Capacities:
    """Read capacities from a providers table: ``vacancies``, and ``need_vacancies`` and ``quotas`` where present."""
    places = pd.to_numeric(providers["vacancies"], errors="coerce").fillna(0).clip(lower=0).to_numpy(dtype=np.int64)
    need_caps: dict[tuple[int, str], int] = {}
    quotas: dict[tuple[int, str], int] = {}
    for column, target in (("need_vacancies", need_caps), ("quotas", quotas)):
        if column in providers:
            for position, mapping in enumerate(providers[column]):
                for key, count in (mapping if isinstance(mapping, dict) else {}).items():
                    target[(position, str(key))] = max(int(count), 0)
    return Capacities(places, need_caps, quotas)


def capacity_families(table: ArcEnds, capacities: Capacities) -> list[GroupFamily]:
    """Return the provider family, then the need-cap and quota families (only those with groups)."""
    families = [GroupFamily("provider", table.provider.astype(np.int64), np.arange(table.n_providers),
                            capacities.places.astype(np.int64), [str(p) for p in table.provider_ids])]
    need_keys = {key: number for number, key in enumerate(capacities.need_caps)}
    if need_keys:
        group = np.full(len(table.provider), -1, dtype=np.int64)
        arcs = np.flatnonzero(np.isin(table.provider, [position for position, _ in need_keys]))
        keys = zip(table.provider[arcs].tolist(), table.child_need[table.child[arcs]].tolist(), strict=True)
        group[arcs] = [need_keys.get(key, -1) for key in keys]
        families.append(GroupFamily(
            "need", group, np.array([key[0] for key in need_keys], dtype=np.int64),
            np.array(list(capacities.need_caps.values()), dtype=np.int64),
            [f"{table.provider_ids[p]} {need}" for p, need in need_keys]))
    if capacities.quotas:
        families.append(_quota_family(table, capacities))
    return families


def _quota_family(table: ArcEnds, capacities: Capacities) -> GroupFamily:
    """Groups of a jointly commissioned provider: each named council, and everyone else sharing the rest."""
    keys: dict[tuple[int, str], int] = {}
    caps: list[int] = []
    reserved: dict[int, int] = {}
    for (position, council), count in capacities.quotas.items():
        keys[(position, council)] = len(caps)
        caps.append(count)
        reserved[position] = reserved.get(position, 0) + count
    for position, total in reserved.items():
        keys[(position, OTHER_COUNCILS)] = len(caps)
        caps.append(max(int(capacities.places[position]) - total, 0))
    group = np.full(len(table.provider), -1, dtype=np.int64)
    arcs = np.flatnonzero(np.isin(table.provider, list(reserved)))
    pairs = zip(table.provider[arcs].tolist(), table.child_council[table.child[arcs]].tolist(), strict=True)
    group[arcs] = [keys.get((position, council), keys[(position, OTHER_COUNCILS)]) for position, council in pairs]
    return GroupFamily("quota", group, np.array([key[0] for key in keys], dtype=np.int64),
                       np.array(caps, dtype=np.int64),
                       [f"{table.provider_ids[p]} quota {council}" for p, council in keys])
