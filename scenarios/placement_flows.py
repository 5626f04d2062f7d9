"""How many places settings beyond a sub-region offer its children, in proportion to the flows SEN2 supports.

SEN2 counts each council's children by type of placement wherever they are placed; the register counts the places
each council hosts. For a group of settings (independent and non-maintained special schools; state special
schools), with ``children[c]`` the council's children in the group and ``places[c]`` the places it hosts:

- a host council's **export share** is the share of its places its own children do not fill,
  ``clip(1 - children[h] / places[h], 0, 1)``: the places SEN2 shows go to other councils' children;
- the sub-region's **deficit** is what its children need beyond its own places,
  ``max(sum(children[s]) - sum(places[s]), 0)`` over its councils: children SEN2 shows placed outside it;
- each setting beyond the sub-region offers ``places x export share`` of its host, scaled down (never up) so that
  the offers of a group sum to at most the deficit: ``offer = places x share x min(1, deficit / sum(places x
  share))``, rounded down.

So a sub-region short of independent places (London) draws on the home counties' independent schools as far as
SEN2 says its children go there, and one with places to spare is offered none. Where the data has no SEN2 caseload
(the demo), the settings beyond offer their free places, as before.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from core.vocabulary import INDEPENDENT_KINDS, SPECIAL_KINDS
from geodata.sen2 import CASELOAD_FILE, SEN2_DIR, load_placements
from scenarios.published_inputs import kept_tables

#: The groups whose flows are balanced, each its provider kinds and SEN2's caseload columns.
FLOW_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "independent": (INDEPENDENT_KINDS, ("special_independent", "special_non_maintained")),
    "state_special": (tuple(sorted(SPECIAL_KINDS - set(INDEPENDENT_KINDS))),
                      ("special_la_maintained", "special_academy_free")),
}


def sen2_children_by_group(data_dir: Path, cache_dir: Path | None = None) -> pd.DataFrame | None:
    """Each council's children in each group of special school (SEN2, January 2025); None without the file. Kept
    in the cache folder, where one is given, so a warm start parses no SEN2 file for it."""
    if not (Path(data_dir) / SEN2_DIR / CASELOAD_FILE).is_file():
        return None
    children = kept_tables(data_dir, cache_dir, "sen2-flows", lambda: {"children": _children_by_group(data_dir)})
    return children["children"]  # type: ignore[return-value]


def _children_by_group(data_dir: Path) -> pd.DataFrame:
    placements = load_placements(data_dir, time_period=202425).groupby(level=0).sum(min_count=1)
    return pd.DataFrame({group: placements[list(columns)].sum(axis=1) for group, (_, columns) in FLOW_GROUPS.items()})


def beyond_offers(beyond: pd.DataFrame, every: pd.DataFrame, councils: tuple[str, ...],
                  children: pd.DataFrame) -> pd.Series:
    """The places each setting beyond the sub-region offers its children (see the module), by provider id.

    ``beyond``: the settings beyond the sub-region that may be offered; ``every``: the whole register (places by
    host council); ``children``: SEN2's children by council and group (``sen2_children_by_group``). Settings of
    kinds in no group offer nothing.
    """
    offers = pd.Series(0, index=beyond.index, dtype="int64")
    places = pd.to_numeric(every["places"], errors="coerce").fillna(0)
    for group, (kinds, _) in FLOW_GROUPS.items():
        hosted = places[every["kind"].isin(kinds)].groupby(every["host_council"]).sum()
        own = children[group].reindex(hosted.index).fillna(0)
        export_share = (1 - own / hosted.where(hosted > 0)).clip(0, 1).fillna(0)
        deficit = max(float(children[group].reindex(list(councils)).fillna(0).sum())
                      - float(hosted.reindex(list(councils)).fillna(0).sum()), 0.0)
        members = beyond[beyond["kind"].isin(kinds)]
        raw = (pd.to_numeric(members["places"], errors="coerce").fillna(0)
               * members["host_council"].map(export_share).fillna(0))
        scale = min(1.0, deficit / float(raw.sum())) if raw.sum() > 0 else 0.0
        offers.loc[members.index] = np.floor(raw * scale).astype("int64")
    return offers
