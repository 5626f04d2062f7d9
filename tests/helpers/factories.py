"""Factories for small providers tables and children, solvable by hand."""

import pandas as pd

from matcher.child import Child

PROVIDER_DEFAULTS = {
    "name": "Setting", "host_council": "E06900001", "kind": "special_academy", "designated_needs": ("ASD",),
    "age_low": 4, "age_high": 19, "gender": "mixed", "residential": False, "ofsted": 2, "places": 100,
    "places_source": "reported", "vacancies": 10, "vacancies_source": "reported", "status": "open",
    "easting": 400_000.0, "northing": 300_000.0,
}


def make_providers(*rows: dict) -> pd.DataFrame:
    """Build a providers table: each row overrides the defaults; ids are 1, 2, 3... unless given."""
    records = [{"provider_id": number, **PROVIDER_DEFAULTS, **row} for number, row in enumerate(rows, start=1)]
    table = pd.DataFrame(records).set_index("provider_id")
    return table.astype({"ofsted": "Int8", "residential": "boolean", "places": "Int64", "vacancies": "Int64"})


def make_child(**fields) -> Child:
    record = {"child_id": "C1", "home_council": "E06900001", "easting": 400_000.0, "northing": 300_000.0,
              "age": 10, "primary_need": "ASD"}
    return Child(**{**record, **fields})
