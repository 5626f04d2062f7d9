"""Write a SEN2 person-level return (XML, the 2023 or 2024 layout that ``geodata.sen2_return`` reads).

For the synthetic return generator (``scenarios.sen2_demo``): it writes what the reader reads, and for the items
Placewise does not read (ethnicity, request source and outcome, mediation, tribunal, personal budgets) plausible
fixed values in the specification's element order, so that a council's IT team can try the whole path without
real data. Elements are built with the standard library's ElementTree (safe for writing; parsing is defusedxml's).
"""

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from xml.etree.ElementTree import Element, ElementTree, SubElement, indent

from geodata.sen2_return import ActivePlan, Header, NamedPlan, Person, Placement

#: How each year writes the person's sex (module 1): CBDS gender codes (2023's GenderCurrent), then M or F.
SEX_CODES: dict[int, dict[str, str]] = {2023: {"M": "1", "F": "2"}, 2024: {"M": "M", "F": "F"}}


def write_return(path: Path, header: Header, persons: Iterable[Person], written_at: dt.datetime) -> Path:
    """Write the return to ``path`` (UTF-8, with an XML declaration) and return the path."""
    message = Element("Message")
    top = SubElement(message, "Header")
    details = SubElement(top, "CollectionDetails")
    _items(details, Collection="SEN2", Year=str(header.year), ReferenceDate=header.reference_date.isoformat())
    source = SubElement(top, "Source")
    _items(source, SourceLevel="L", LEA=f"{header.lea:03d}", SoftwareCode="Placewise synthetic return",
           Release="1", SerialNo="1", DateTime=written_at.strftime("%Y-%m-%dT%H:%M:%S"))
    people = SubElement(message, "Persons")
    for person in persons:
        _person(SubElement(people, "Person"), person, header.year)
    indent(message, space=" ")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree(message).write(path, encoding="utf-8", xml_declaration=True)
    return path


def _person(element: Element, person: Person, year: int) -> None:
    sex = SEX_CODES[year].get(person.sex or "", "")
    _items(element, Surname=person.surname, Forename=person.forename, PersonBirthDate=person.birth_date,
           **{"GenderCurrent" if year == 2023 else "Sex": sex}, Ethnicity="NOBT", PostCode=person.postcode,
           UPN=person.upn, UniqueLearnerNumber=person.uln)
    plan = person.named_plans[0] if person.named_plans else NamedPlan(None, None, None)
    request = SubElement(element, "Requests")
    received, outcome = person.requests[0] if person.requests else (None, None)
    _items(request, ReceivedDate=received, RYA="0", RequestOutcomeDate=outcome, RequestOutcome="A",
           RequestMediation="0", RequestTribunal="0")
    assessment = SubElement(request, "Assessment")
    _items(assessment, AssessmentOutcome="Y", AssessmentOutcomeDate=plan.start_date, AssessmentMediation="0",
           AssessmentTribunal="0", OtherMediation="0", OtherTribunal="0", Week20="0")
    for named in person.named_plans:
        _named_plan(SubElement(assessment, "NamedPlan"), named, person.active_plans)
    for active in person.active_plans:
        _active_plan(SubElement(request, "ActivePlans"), active, year)


def _named_plan(element: Element, plan: NamedPlan, active: tuple[ActivePlan, ...]) -> None:
    _items(element, StartDate=plan.start_date, PlanRes=plan.plan_res, PB="0", CeaseDate=plan.cease_date)
    for placement in (active[0].placements if active else ()):
        detail = SubElement(element, "PlanDetail")
        _items(detail, URN=placement.urn, UKPRN=placement.ukprn, SENsetting=placement.setting,
               PlacementRank=placement.rank, SENunitIndicator=placement.unit,
               ResourcedProvisionIndicator=placement.resourced)


def _active_plan(element: Element, plan: ActivePlan, year: int) -> None:
    on_plan = year == 2023  # 2023 keeps RES on the active plan; 2024 on each placement
    residential = next((placement.residential for placement in plan.placements if placement.residential), None)
    _items(element, RES=residential if on_plan else None)
    for placement in plan.placements:
        _placement(SubElement(element, "PlacementDetail"), placement, on_plan)
    for need, rank in plan.needs:
        _items(SubElement(element, "SENneed"), SENtype=need, SENtypeRank=rank)


def _placement(element: Element, placement: Placement, on_plan: bool) -> None:
    _items(element, URN=placement.urn, UKPRN=placement.ukprn, SENsetting=placement.setting,
           PlacementRank=placement.rank, EntryDate=placement.entry_date, LeavingDate=placement.leaving_date,
           AttendancePattern=placement.attendance_pattern if on_plan else None,
           SENunitIndicator=placement.unit, ResourcedProvisionIndicator=placement.resourced,
           RES=None if on_plan else placement.residential)


def _items(parent: Element, **items: str | None) -> None:
    """Add one element a given item, in the order given (an item that is None is left out, as the spec allows)."""
    for tag, value in items.items():
        if value is not None and value != "":
            SubElement(parent, tag).text = value
