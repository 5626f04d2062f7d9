"""The settings a scenario's children may use, and how many places each offers them.

- The sub-region's own settings (those its councils host) offer all their places in a re-plan (``capacity:
  places``) or their free places (``capacity: vacancies``); ``providers: within_reach`` offers every setting.
- Settings beyond the sub-region (``beyond``; by default special schools of every kind: independent,
  non-maintained, maintained and academies) within reach of the children's homes offer a share of their places:
  SEN2 counts some of a council's children in settings beyond its area today, so they need not only compete for
  the sub-region's places, while the other places of such a setting are held by other councils' children. The
  share follows SEN2's flows (``scenarios.placement_flows``: the host's places its own children do not fill,
  scaled to what the sub-region's children need beyond its own places; ``beyond.offer: sen2_flows``, the
  default), and is never less than its free places (the places its leavers free each year, which any council may
  take): SEN2 gives only each council's net balance of children and places, which understates the children who
  cross council lines both ways, and with the flows alone 2.7-8.4% of the children of five regions went unplaced
  (``bench/regions.py``); or is its free places only (``free_places``, and wherever the data has no SEN2 caseload). With
  ``capacity: vacancies``, never more than its free places.
"""

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from core.errors import PlacewiseError
from scenarios.deltas import apply_provider_deltas
from scenarios.inputs import Inputs
from scenarios.placement_flows import beyond_offers, sen2_children_by_group
from scenarios.schema import Scenario


def scenario_providers(scenario: Scenario, inputs: Inputs) -> pd.DataFrame:
    """Providers after the deltas, with the capacity basis applied, kept to the sub-region unless asked."""
    providers = apply_provider_deltas(inputs.providers, scenario.deltas)
    if scenario.capacity == "places":
        places = pd.to_numeric(providers["places"], errors="coerce")
        providers = providers.assign(vacancies=places.astype("Int64"),
                                     vacancies_source=providers["places_source"].where(places.notna(), "unknown"))
    if scenario.providers == "sub_region":
        providers = providers[providers["host_council"].isin(scenario.councils)]
    if providers.empty:
        raise PlacewiseError("councils: no provider is hosted in these councils; check the codes")
    return providers.assign(beyond_sub_region=False)


def add_beyond(providers: pd.DataFrame, scenario: Scenario, inputs: Inputs, cohort: pd.DataFrame,
               reach_km: float, cache_dir: Path | None = None) -> pd.DataFrame:
    """The providers with the settings beyond the sub-region that lie within ``reach_km`` (straight line) of a
    child's home, each offering its free places (see the module); SEN2's flows kept in ``cache_dir``, where one is
    given."""
    if scenario.beyond is None or scenario.providers != "sub_region" or cohort.empty:
        return providers
    every = apply_provider_deltas(inputs.providers, scenario.deltas)
    outside = every[~every["host_council"].isin(scenario.councils) & every["kind"].isin(scenario.beyond.kinds)
                    & every["easting"].notna() & every["northing"].notna()]
    if outside.empty:
        return providers
    homes = cKDTree(cohort[["easting", "northing"]].to_numpy(dtype=float))
    nearest, _ = homes.query(outside[["easting", "northing"]].to_numpy(dtype=float))
    near = outside[np.asarray(nearest) <= reach_km * 1000.0]
    children = (sen2_children_by_group(inputs.data_dir, cache_dir)
                if inputs.data_dir is not None and scenario.beyond.offer == "sen2_flows" else None)
    if children is not None:
        offered = beyond_offers(near, every, scenario.councils, children)
        free = pd.to_numeric(near["vacancies"], errors="coerce").fillna(0).astype("int64")
        offered = np.minimum(offered, free) if scenario.capacity == "vacancies" else np.maximum(offered, free)
        near = near.assign(vacancies=offered.astype("Int64"), vacancies_source="estimated")
    return pd.concat([providers, near.assign(beyond_sub_region=True)])
