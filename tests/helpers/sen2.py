"""SEN2 person-level returns for tests: people of the embedded demo's councils, written by the project's writer,
and the postcode rows they need. Each person's personal items are distinctive strings, so a test can look for
them anywhere after an import."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

from geodata.sen2_return import ActivePlan, Header, NamedPlan, Person, Placement
from geodata.sen2_return_writer import write_return

CENSUS = dt.date(2024, 1, 18)
HEADER = Header("SEN2", 2024, CENSUS, 901)  # the demo's Northvale (E06900001)
POSTCODE_ROWS = ("pcds,doterm,oseast1m,osnrth1m,lsoa21,ctry\n"
                 "ZZ1 0AA,,420000,570000,E01000001,E92000001\n"
                 "ZZ1 0AB,,421000,571000,E01000002,E92000001\n"
                 "CF10 1AA,,318000,176000,W01001234,W92000004\n")
KEY = b"a test key that is long enough for hmac"


def person(position: int = 1, **changes: object) -> Person:
    """A valid person of Northvale: aged 9 on 31 August 2023, autism then SLCN, at the demo's special academy
    900002 by day since September 2021."""
    placement = Placement(urn="900002", ukprn=None, setting=None, rank="1", entry_date="2021-09-01",
                          leaving_date=None, residential=None, attendance_pattern=None, unit="0", resourced="0")
    base = Person(position=position, forename=f"Zebedee{position}", surname=f"Quixotic{position}",
                  birth_date="2014-03-02", upn=f"K90112345678{position % 10}", uln=None, postcode="ZZ1 0AA",
                  sex="F", requests=(("2021-03-01", "2021-04-10"),),
                  named_plans=(NamedPlan("2021-08-01", None, None),),
                  active_plans=(ActivePlan((placement,), (("ASD", "1"), ("SLCN", "2"))),))
    return replace(base, **changes)  # type: ignore[arg-type]


def placement(**changes: object) -> Placement:
    return replace(person().active_plans[0].placements[0], **changes)  # type: ignore[arg-type]


def write_sample_return(folder: Path, persons: list[Person], header: Header = HEADER) -> Path:
    """The return as a file in ``folder``, with ``postcodes.csv`` beside it."""
    (folder / "postcodes.csv").write_text(POSTCODE_ROWS, encoding="utf-8")
    return write_return(folder / "return.xml", header, persons, dt.datetime(2024, 1, 18, 9))


def personal_values(persons: list[Person]) -> list[str]:
    """Every personal item the persons carry, as written in the return."""
    return [value for item in persons for value in (item.forename, item.surname, item.birth_date, item.upn,
                                                    item.uln, item.postcode) if value]
