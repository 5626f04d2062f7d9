"""Table contracts, declared once: the columns of each table passed between layers, with dtype, unit, meaning."""

from dataclasses import dataclass

import pandas as pd

from core.errors import PlacewiseError
from core.vocabulary import KINDS, NEEDS


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # "int", "float", "str", "bool", "tuple", "dict"
    unit: str
    meaning: str


PROVIDER_COLUMNS = (
    Column("name", "str", "", "establishment name as published"),
    Column("host_council", "str", "ONS code", "upper-tier council the setting stands in"),
    Column("kind", "str", "", "one of " + ", ".join(KINDS)),
    Column("designated_needs", "tuple", "SEN2 codes", "needs the setting is designated for; empty if unpublished"),
    Column("age_low", "int", "years", "youngest age taken"),
    Column("age_high", "int", "years", "oldest age taken"),
    Column("gender", "str", "", "mixed, boys or girls"),
    Column("residential", "bool", "", "offers boarding; missing where not published"),
    Column("ofsted", "int", "grade 1..4", "last single-word Ofsted grade; missing is unknown, not bad"),
    Column("places", "int", "places", "places for children with EHC plans (see places_source)"),
    Column("places_source", "str", "", "published, estimated, reported or unknown"),
    Column("vacancies", "int", "places", "places free now (see vacancies_source); missing where unknown"),
    Column("vacancies_source", "str", "", "published, estimated, reported or unknown"),
    Column("status", "str", "", "open, proposed_to_close or closed"),
    Column("easting", "float", "metres, EPSG:27700", "location; missing where not published"),
    Column("northing", "float", "metres, EPSG:27700", "location; missing where not published"),
)

OPTIONAL_PROVIDER_COLUMNS = (
    Column("need_vacancies", "dict", "places", "places free per need, where reported"),
    Column("on_roll", "int", "pupils", "pupils on roll"),
    Column("places_note", "str", "", "how places were got: published, reported, or the estimate's rule"),
    Column("ehcp_on_roll", "int", "pupils", "pupils with EHC plans on roll"),
    Column("post16", "bool", "", "teaches post-16 (GIAS ISPOST16 or OfficialSixthForm); missing where not published"),
    Column("provision_named", "bool", "", "False for an independent mainstream school that no council file names as "
           "SEN provision (its SEN-provision list is evidence of support, not of places); missing: True"),
    Column("vacancies_note", "str", "", "the evidence of a reported figure (who reported it, and when), or why a "
           "report no longer holds; missing where there is none"),
)


def check_providers(providers: pd.DataFrame) -> None:
    """Check the providers table against its contract.

    Raises:
        PlacewiseError: naming the missing columns, or the bad rows (provider ids) of each column.
    """
    missing = [column.name for column in PROVIDER_COLUMNS if column.name not in providers.columns]
    if missing:
        raise PlacewiseError(f"providers table: missing column(s) {', '.join(missing)}")
    if providers.index.name != "provider_id" or not providers.index.is_unique:
        raise PlacewiseError("providers table: index must be provider_id, one row per provider")
    checks = {
        "kind": ~providers["kind"].isin(KINDS),
        "designated_needs": ~providers["designated_needs"].map(
            lambda needs: isinstance(needs, tuple) and set(needs) <= set(NEEDS)),
        "age_low": providers["age_low"].isna() | (providers["age_low"] < 0),
        "age_high": providers["age_high"].isna() | (providers["age_high"] < providers["age_low"]),
        "gender": ~providers["gender"].isin(["mixed", "boys", "girls"]),
        "status": ~providers["status"].isin(["open", "proposed_to_close", "closed"]),
        "vacancies": providers["vacancies"].fillna(0) < 0,
    }
    problems = [f"{name} at provider_id {', '.join(map(str, bad[bad].index[:5]))}"
                for name, bad in checks.items() if bad.any()]
    if problems:
        raise PlacewiseError("providers table: bad values in " + "; ".join(problems))
