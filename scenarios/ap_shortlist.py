"""A child's alternative provision offers: the AP settings that take its age, nearest first, each with its time limit
and the mainstream school the child returns to (the one its plan names), or, where the plan names none, the nearest
state mainstream schools that take the child's age as return options.

Distances are straight-line kilometres from the child's home (LSOA centroid or easting/northing), said as such: AP
settings are few and spread out, and the register's travel model is fitted on special and mainstream schools' journeys.
"""

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from geodata.alternative_provision import AP_KINDS
from matcher.precision import round_record
from scenarios.ap_placements import APPolicyRules


def ap_offers(easting: float, northing: float, age: int, ap_settings: pd.DataFrame, mainstream: pd.DataFrame,
              rules: APPolicyRules, return_school_urn: int | None = None, k: int = 5, options: int = 3) -> dict:
    """The ``k`` nearest AP settings taking the child's age, each with its time limit and return school (see the
    module); ``mainstream`` is ``geodata.mainstream.load_state_mainstream``'s table.

    Raises:
        PlacewiseError: where the plan's return school is not an open state mainstream school.
    """
    if return_school_urn is not None and return_school_urn not in mainstream.index:
        raise PlacewiseError("return_school_urn: not an open state mainstream school of the register; check the URN",
                             field="return_school_urn")
    settings = _taking(ap_settings, age, unknown_ages=True)
    settings = settings.assign(distance_km=_km(settings, easting, northing)).sort_values(["distance_km", "name"])
    if return_school_urn is not None:
        school = mainstream.loc[return_school_urn]
        returns = [{"provider_id": int(return_school_urn), "name": str(school["name"]), "named_in_plan": True,
                    "distance_km": float(_km(mainstream.loc[[return_school_urn]], easting, northing)[0])}]
    else:
        near = _taking(mainstream, age, unknown_ages=False)
        near = near.assign(distance_km=_km(near, easting, northing)).nsmallest(options, "distance_km")
        returns = [{"provider_id": int(urn), "name": str(row["name"]), "named_in_plan": False,
                    "distance_km": float(row["distance_km"])} for urn, row in near.iterrows()]
    weeks = rules.max_weeks
    back = (f"returns to {returns[0]['name']}, named in the plan" if return_school_urn is not None else
            "return options: " + "; ".join(f"{item['name']} ({item['distance_km']:.1f} km)" for item in returns))
    offers = [{"ap_id": str(ap_id), "name": str(row["name"]), "kind": row["kind"], "kind_words": AP_KINDS[row["kind"]],
               "registered": bool(row["registered"]), "distance_km": float(row["distance_km"]),
               "places": None if pd.isna(row["places"]) else int(row["places"]), "time_limit_weeks": weeks,
               "return_school": returns[0] if return_school_urn is not None else None, "return_options": returns,
               "sentence": f"{AP_KINDS[row['kind']][:1].upper()}{AP_KINDS[row['kind']][1:]}, "
                           f"{row['distance_km']:.1f} km in a straight line; a place of at most {weeks} weeks, "
                           f"reviewed at least every {rules.review_every_weeks} weeks; {back}"}
              for ap_id, row in settings.head(k).iterrows()]
    return round_record({"offers": offers, "return_options": returns, "time_limit_weeks": weeks})  # type: ignore[return-value]


def _taking(table: pd.DataFrame, age: int, unknown_ages: bool) -> pd.DataFrame:
    """The rows whose age range holds ``age`` (and, with ``unknown_ages``, those that publish none)."""
    low, high = table["age_low"], table["age_high"]
    holds = (low <= age) & (high >= age)
    return table[holds | ((low.isna() | high.isna()) & unknown_ages)]


def _km(table: pd.DataFrame, easting: float, northing: float) -> np.ndarray:
    return np.hypot(table["easting"].to_numpy(float) - easting, table["northing"].to_numpy(float) - northing) / 1000
