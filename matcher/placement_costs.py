"""Each (child, provider) pair's annual placement cost: the council's calibrated cost of the provider's kind
(``matcher.costs.CostModel``), a user's tariff rows over it, and with ``cap_at_band`` no more than the pair's national
price band."""

from typing import TYPE_CHECKING

import numba
import numpy as np
import pandas as pd

from core.vocabulary import KINDS, NEEDS
from matcher.costs import CostModel
from matcher.packages import pair_bands

if TYPE_CHECKING:
    from matcher.pair_arrays import Children
    from matcher.provider_index import ProviderIndex

#: From how many pairs ``placement_costs`` reads the costs in its compiled pass.
COMPILED_FROM_PAIRS = 4_096


def placement_costs(model: CostModel, children: "Children", index: "ProviderIndex", child: np.ndarray,
                    provider: np.ndarray, compiled: bool = True) -> np.ndarray:
    """The annual placement cost of each (child, provider) pair for the child's council, need and level.

    The council's calibrated cost of each kind, overridden by tariff rows for the kind, then for the provider;
    among rows of one key, those naming the need and level win over those that leave them empty; with
    ``cap_at_band``, no more than the pair's national price band (``matcher.packages.pair_bands``). ``compiled``
    reads the calibrated costs of many pairs (a table's block) in one compiled pass; without it, or for fewer pairs
    (a shortlist's, which need not load the compiled pass), its numpy reference (the same costs).
    """
    rows = model.council_rows(children.council)
    if compiled and len(child) >= COMPILED_FROM_PAIRS:
        costs = _kind_costs(model.kind_table, rows, index.kind_code, np.asarray(child), np.asarray(provider))
        if 0 in model.tariffs.shape and not (model.cap_at_band and model.catalogue is not None):
            return costs  # no tariff nor cap: each pair's kind is not needed again
        kind_code = index.kind_code[provider]
    else:
        kind_code = index.kind_code[provider]
        costs = model.kind_table[rows[child], kind_code]
    costs = _tariffed(model, costs, children, index, child, provider, kind_code)
    if model.cap_at_band and model.catalogue is not None:
        band = pair_bands(model.catalogue, list(children.packages), list(children.primary_needs),
                          children.requires_residential, kind_code, child)
        costs = np.where(np.isnan(band), costs, np.minimum(costs, band))
    return costs


def _tariffed(model: CostModel, costs: np.ndarray, children: "Children", index: "ProviderIndex", child: np.ndarray,
              provider: np.ndarray, kind_code: np.ndarray) -> np.ndarray:
    """The costs with a user's tariff rows applied (the most specific row wins)."""
    tariffs = model.tariffs
    if 0 in tariffs.shape:  # empty (``DataFrame.empty``, for less: a shortlist asks every time)
        return costs
    need = np.asarray(NEEDS, dtype=object)[children.need[child]]
    level = children.need_level[child]
    ordered = tariffs.assign(
        specificity=tariffs["need"].notna().astype(int) + tariffs["need_level"].notna().astype(int),
        by_provider=tariffs["provider_id"].notna()).sort_values(["by_provider", "specificity"])
    provider_id = index.provider_id[provider]
    kind_position = {kind: code for code, kind in enumerate(KINDS)}
    for row in ordered.itertuples(index=False):  # few rows; each is one vectorised mask over the pairs
        applies = (provider_id == int(row.provider_id)) if row.by_provider else (kind_code == kind_position[row.kind])
        if pd.notna(row.need):
            applies &= need == row.need
        if pd.notna(row.need_level):
            applies &= level == int(row.need_level)
        costs[applies] = row.annual_cost_gbp
    return costs


@numba.njit(cache=True, nogil=True)
def _kind_costs(kind_table: np.ndarray, council_row: np.ndarray, kind_code: np.ndarray, child: np.ndarray,
                provider: np.ndarray) -> np.ndarray:
    """Each pair's calibrated cost: ``kind_table[council_row[child], kind_code[provider]]``, pair by pair."""
    costs = np.empty(len(child))
    for pair in range(len(child)):
        costs[pair] = kind_table[council_row[child[pair]], kind_code[provider[pair]]]
    return costs
