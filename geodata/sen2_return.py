"""Read a council's SEN2 person-level return (the DfE's XML, 2023 and 2024 specifications) with a hardened parser.

The return is one ``Message``: a ``Header`` (``CollectionDetails``: ``Collection`` SEN2, ``Year``,
``ReferenceDate``, the census day; ``Source``: ``SourceLevel``, ``LEA``, the council's 3-digit DfE code, and the
software that wrote it) and ``Persons``, one ``Person`` each (module 1: names, birth date, sex, ethnicity,
postcode, UPN, ULN), holding ``Requests`` (module 2), each with its ``Assessment`` (module 3) and ``NamedPlan``
(module 4: start and cease dates, ``PlanRes`` where the plan names a residential setting, ``PlanDetail``) and, for
plans active on the census day, ``ActivePlans`` (module 5: ``PlacementDetail`` with URN or UKPRN, ``SENsetting``,
``PlacementRank``, ``EntryDate``, ``LeavingDate``, the unit and resourced-provision indicators; ``SENneed`` with
``SENtype`` and ``SENtypeRank``). The two years differ where noted in ``VERSIONS``; element names are matched
without regard to case or namespace, since exports differ in both.

Parsing is ``defusedxml``'s: a document type declaration (and so every entity, the billion laughs and external
entities alike) is refused, as is a file over the size limit, before anything is read. The names, birth dates,
UPNs, ULNs and postcodes read here are held on objects that never print them (``repr=False``) and are never put
in a message: errors name the item and the person's position in the return.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import fromstring

from core.errors import PlacewiseError


@dataclass(frozen=True)
class SpecVersion:
    """Where one year's specification keeps the items Placewise reads."""

    year: int
    sex_item: str  # module 1: GenderCurrent (2023) became Sex (2024)
    residential_in: str  # the RES item: on the active plan (2023) or on each placement (2024)


VERSIONS: dict[int, SpecVersion] = {
    2023: SpecVersion(2023, "gendercurrent", "activeplans"),
    2024: SpecVersion(2024, "sex", "placementdetail"),
}


@dataclass(frozen=True)
class Header:
    """The return's header: what it is, for which census and which council."""

    collection: str
    year: int
    reference_date: dt.date
    lea: int  # the council's 3-digit DfE code

    @property
    def version(self) -> SpecVersion:
        return VERSIONS[self.year]


@dataclass(frozen=True)
class Placement:
    """One ``PlacementDetail`` of an active plan (module 5b), items as written."""

    urn: str | None
    ukprn: str | None
    setting: str | None  # SENsetting, where the placement has no URN or UKPRN
    rank: str | None
    entry_date: str | None
    leaving_date: str | None
    residential: str | None  # RES: A (38-51 weeks) or B (52 weeks); none by day
    attendance_pattern: str | None  # 2023 only, kept as written
    unit: str | None  # SENunitIndicator, 1 or 0
    resourced: str | None  # ResourcedProvisionIndicator, 1 or 0


@dataclass(frozen=True)
class ActivePlan:
    """One ``ActivePlans`` (module 5a) with its placements and ranked needs."""

    placements: tuple[Placement, ...]
    needs: tuple[tuple[str | None, str | None], ...]  # (SENtype, SENtypeRank) as written


@dataclass(frozen=True)
class NamedPlan:
    """One ``NamedPlan`` (module 4): the plan's dates and whether it names a residential setting."""

    start_date: str | None
    cease_date: str | None
    plan_res: str | None


@dataclass(frozen=True)
class Person:
    """One ``Person`` of the return, at its ``position`` (1 for the first). Personal items never print."""

    position: int
    forename: str | None = field(repr=False)
    surname: str | None = field(repr=False)
    birth_date: str | None = field(repr=False)
    upn: str | None = field(repr=False)
    uln: str | None = field(repr=False)
    postcode: str | None = field(repr=False)
    sex: str | None
    requests: tuple[tuple[str | None, str | None], ...]  # (ReceivedDate, RequestOutcomeDate) of each request
    named_plans: tuple[NamedPlan, ...]
    active_plans: tuple[ActivePlan, ...]


@dataclass(frozen=True)
class Sen2Return:
    header: Header
    persons: tuple[Person, ...]


def read_return(data: bytes, where: str, max_bytes: int) -> Sen2Return:
    """Parse a SEN2 person-level return.

    Raises:
        PlacewiseError: over ``max_bytes``; a DTD or entity (an XML bomb or external entity); not well-formed; not
            a SEN2 return; a year whose specification the reader does not know; a header item missing or wrong.
    """
    if len(data) > max_bytes:
        raise PlacewiseError(f"{where}: over the size limit of {max_bytes / 1e6:,.0f} MB; split the return or raise "
                             "the max_return_mb setting", field="return")
    root = _parse(data, where)
    header = _header(root, where)
    persons = _child(root, "persons")
    found = [] if persons is None else [element for element in persons if _name(element.tag) == "person"]
    return Sen2Return(header, tuple(_person(element, position, header.version)
                                    for position, element in enumerate(found, start=1)))


def read_return_file(path: Path, max_bytes: int) -> Sen2Return:
    """Read a return from a file, refusing one over ``max_bytes`` before reading it."""
    path = Path(path)
    if not path.is_file():
        raise PlacewiseError(f"{path}: not found; give the SEN2 person-level return (XML) your system exported",
                             field="return")
    if path.stat().st_size > max_bytes:
        raise PlacewiseError(f"{path}: over the size limit of {max_bytes / 1e6:,.0f} MB; split the return or raise "
                             "the max_return_mb setting", field="return")
    return read_return(path.read_bytes(), str(path), max_bytes)


def _parse(data: bytes, where: str) -> Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise PlacewiseError(f"{where}: refused: the file declares a document type or entities, which a SEN2 return "
                             "never has (an XML bomb or an external entity would); export the return again",
                             field="return") from None
    except ParseError as error:
        line, column = error.position
        raise PlacewiseError(f"{where}: not well-formed XML (line {line}, column {column}); export the return "
                             "again from your case-management system", field="return") from None


def _header(root: Element, where: str) -> Header:
    details = _child(_child(root, "header"), "collectiondetails")
    source = _child(_child(root, "header"), "source")
    if _name(root.tag) != "message" or details is None or (_text(details, "collection") or "").upper() != "SEN2":
        raise PlacewiseError(f"{where}: not a SEN2 person-level return (no Message/Header/CollectionDetails with "
                             "Collection SEN2)", field="Collection")
    year = _text(details, "year")
    if year is None or not year.isdigit() or int(year) not in VERSIONS:
        raise PlacewiseError(f"{where}: Year: a return of a year whose specification the reader does not know; it "
                             f"reads {' and '.join(str(known) for known in VERSIONS)}", field="Year")
    reference = parse_date(_text(details, "referencedate"))
    if reference is None:
        raise PlacewiseError(f"{where}: ReferenceDate: missing or not a date (YYYY-MM-DD)", field="ReferenceDate")
    lea = _text(source, "lea") if source is not None else None
    if lea is None or not lea.isdigit() or len(lea) != 3:
        raise PlacewiseError(f"{where}: LEA: missing or not the council's 3-digit DfE code", field="LEA")
    return Header("SEN2", int(year), reference, int(lea))


def _person(element: Element, position: int, version: SpecVersion) -> Person:
    items, groups = _read(element)
    requests = [_read(request) for request in groups.get("requests", ())]
    plans = [_read(plan)[0] for _, request in requests for assessment in request.get("assessment", ())
             for plan in _read(assessment)[1].get("namedplan", ())]
    active = [plan for _, request in requests for plan in request.get("activeplans", ())]
    other_sex = "sex" if version.sex_item == "gendercurrent" else "gendercurrent"
    return Person(
        position=position, forename=items.get("forename"), surname=items.get("surname"),
        birth_date=items.get("personbirthdate"), upn=items.get("upn"), uln=items.get("uniquelearnernumber"),
        postcode=items.get("postcode"), sex=items.get(version.sex_item) or items.get(other_sex),
        requests=tuple((request.get("receiveddate"), request.get("requestoutcomedate")) for request, _ in requests),
        named_plans=tuple(NamedPlan(plan.get("startdate"), plan.get("ceasedate"), plan.get("planres"))
                          for plan in plans),
        active_plans=tuple(_active_plan(plan, version) for plan in active))


def _active_plan(element: Element, version: SpecVersion) -> ActivePlan:
    items, groups = _read(element)
    plan_res = items.get("res")
    details = [_read(detail)[0] for detail in groups.get("placementdetail", ())]
    placements = tuple(Placement(
        urn=detail.get("urn"), ukprn=detail.get("ukprn"), setting=detail.get("sensetting"),
        rank=detail.get("placementrank"), entry_date=detail.get("entrydate"), leaving_date=detail.get("leavingdate"),
        residential=(detail.get("res") or plan_res) if version.residential_in == "placementdetail"
        else (plan_res or detail.get("res")),
        attendance_pattern=detail.get("attendancepattern"), unit=detail.get("senunitindicator"),
        resourced=detail.get("resourcedprovisionindicator")) for detail in details)
    needs = tuple((need.get("sentype"), need.get("sentyperank"))
                  for need in (_read(element)[0] for element in groups.get("senneed", ())))
    return ActivePlan(placements, needs)


def _read(element: Element) -> tuple[dict[str, str | None], dict[str, list[Element]]]:
    """An element's children in one pass: the first text of each item, and the children of each name."""
    items: dict[str, str | None] = {}
    groups: dict[str, list[Element]] = {}
    for child in element:
        name = _name(child.tag)
        groups.setdefault(name, []).append(child)
        if name not in items:
            items[name] = (child.text.strip() or None) if child.text else None
    return items, groups


@lru_cache(maxsize=1024)
def _name(tag: object) -> str:
    """An element's name without its namespace, in lower case: exports differ in both."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child(element: Element | None, tag: str) -> Element | None:
    if element is None:
        return None
    return next((child for child in element if _name(child.tag) == tag), None)


def _text(element: Element | None, tag: str) -> str | None:
    found = _child(element, tag)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def parse_date(text: str | None) -> dt.date | None:
    """A date item (``YYYY-MM-DD``), or None where it is missing or not a date."""
    try:
        return dt.date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None
