"""Check one person of a SEN2 return as the DfE's validation would where it matters to Placewise, and read what
Placewise keeps: the needs by rank, the placement open on the census day, and its setting.

The rules (after the DfE's SEN2 person-level validation, where they bear on a placement run): dates are dates and
in order (a request received before its outcome, a plan started before it ceased, a placement entered before it
was left, nothing before birth); every ``SENtype`` is a code of the SEN2 list, ranks are whole numbers, and one
need is ranked 1; the placement open on the census day ranked 1 exists where any is open; its URN is a URN of the
schools register, or the placement is explained by a UKPRN or a ``SENsetting`` code of the list; ``RES`` and
``PlanRes`` are A or B. A problem names the item and says what to fix, never the value.
"""

import datetime as dt
from dataclasses import dataclass

from core.vocabulary import NEEDS, SPECIAL_KINDS
from geodata.sen2_return import ActivePlan, Person, Placement, parse_date

#: ``SENsetting`` codes (2023 and 2024): arrangements without a URN or UKPRN.
SEN_SETTINGS = ("OLA", "OPA", "EHE", "EYP", "OTH", "NEET", "NIEC", "NIEO")
RESIDENTIAL_CODES = ("A", "B")  # 38 to 51 weeks; 52 weeks
SPECIALIST_KINDS = frozenset(SPECIAL_KINDS | {"resourced_provision", "sen_unit", "inclusion_base"})
UNIT_KINDS = ("resourced_provision", "sen_unit", "inclusion_base", "mainstream")
SEX_CODES = {"M": "M", "F": "F", "1": "M", "2": "F"}  # Sex (2024); GenderCurrent's CBDS codes (2023)


@dataclass(frozen=True)
class Problem:
    """A rule a person breaks: the person's position in the return, the item, and what to fix."""

    position: int
    item: str
    problem: str


@dataclass(frozen=True)
class Setting:
    """Where a person is placed on the census day: a provider of the register, or why it is out of scope."""

    provider_id: int | None
    kind: str | None
    attendance: str  # day or residential
    out_of_scope: str | None  # why the child is not among the pooled specialist places, where not


def check_dates(person: Person) -> list[Problem]:
    """Each date is a date, and each pair is in order (birth first)."""
    problems: list[Problem] = []
    birth = _date(person, "PersonBirthDate", person.birth_date, problems)
    pairs = [("ReceivedDate", received, "RequestOutcomeDate", outcome) for received, outcome in person.requests]
    pairs += [("StartDate", plan.start_date, "CeaseDate", plan.cease_date) for plan in person.named_plans]
    pairs += [("EntryDate", placement.entry_date, "LeavingDate", placement.leaving_date)
              for plan in person.active_plans for placement in plan.placements]
    for first_item, first, second_item, second in pairs:
        start = _date(person, first_item, first, problems)
        end = _date(person, second_item, second, problems)
        if start is not None and end is not None and end < start:
            problems.append(Problem(person.position, second_item, f"before {first_item}; put the dates in order"))
        if birth is not None and start is not None and start < birth:
            problems.append(Problem(person.position, first_item, "before PersonBirthDate; check both dates"))
    return problems


def check_needs(person: Person, plan: ActivePlan) -> tuple[tuple[str, ...], list[Problem]]:
    """The needs by rank (the first is the primary need) and the problems with them."""
    problems: list[Problem] = []
    ranked: list[tuple[int, str]] = []
    for need, rank in plan.needs:
        code = (need or "").upper()
        if code not in NEEDS:
            problems.append(Problem(person.position, "SENtype", f"not a code of the SEN2 list ({', '.join(NEEDS)})"))
        if rank is None or not rank.isdigit() or int(rank) < 1:
            problems.append(Problem(person.position, "SENtypeRank", "not a whole number from 1"))
        elif code in NEEDS:
            ranked.append((int(rank), code))
    firsts = sum(rank == 1 for rank, _ in ranked)
    if not problems and firsts != 1:
        problems.append(Problem(person.position, "SENtypeRank", "no need ranked 1; rank the primary need 1"
                                if firsts == 0 else "more than one need ranked 1; rank one primary need"))
    needs = tuple(dict.fromkeys(code for _, code in sorted(ranked)))
    return needs, problems


def current_placement(person: Person, plan: ActivePlan, census: dt.date) -> tuple[Placement | None, list[Problem]]:
    """The placement open on the census day and ranked first (None where none is open: awaiting a place)."""
    problems: list[Problem] = []
    open_now = []
    for placement in plan.placements:
        if placement.rank is None or not placement.rank.isdigit() or int(placement.rank) < 1:
            problems.append(Problem(person.position, "PlacementRank", "not a whole number from 1"))
            continue
        entry, leaving = parse_date(placement.entry_date), parse_date(placement.leaving_date)
        if (entry is None or entry <= census) and (leaving is None or leaving >= census):
            open_now.append(placement)
    if problems or not open_now:
        return None, problems
    first = [placement for placement in open_now if int(placement.rank or 0) == 1]
    if len(first) != 1:
        problems.append(Problem(person.position, "PlacementRank", "the placements open on the census day need "
                                "exactly one ranked 1 (the main placement)"))
        return None, problems
    return first[0], problems


def placement_setting(person: Person, placement: Placement, kinds: dict[int, str],
                      urns: frozenset[int]) -> tuple[Setting | None, list[Problem]]:
    """The setting of a placement: a provider of the register (``kinds``, by URN) or why it is out of scope; a
    URN that is not in the schools register (``urns``) and no other explanation is a problem."""
    problem = _residential_problem(person, placement)
    if problem is not None:
        return None, [problem]
    attendance = "residential" if placement.residential in RESIDENTIAL_CODES else "day"
    if placement.urn is not None:
        urn = int(placement.urn) if placement.urn.isdigit() and len(placement.urn) == 6 else None
        if urn is None or (urn not in urns and urn not in kinds):
            return None, [Problem(person.position, "URN", "not a URN of the schools register (GIAS); correct it, "
                                  "or give the UKPRN or SENsetting that explains the placement")]
        return _setting_of(urn, kinds.get(urn), placement, attendance), []
    if placement.ukprn is not None:
        if not (placement.ukprn.isdigit() and len(placement.ukprn) == 8):
            return None, [Problem(person.position, "UKPRN", "not an 8-digit UK provider reference number")]
        return Setting(None, None, attendance, "a college or post-16 provider (UKPRN)"), []
    code = (placement.setting or "").upper()
    if code not in SEN_SETTINGS:
        item = "SENsetting" if placement.setting else "URN"
        return None, [Problem(person.position, item, "give the placement's URN, its UKPRN, or a SENsetting code "
                              f"({', '.join(SEN_SETTINGS)})")]
    return Setting(None, None, attendance, f"no school or college (SENsetting {code})"), []


def _setting_of(urn: int, registered: str | None, placement: Placement, attendance: str) -> Setting:
    unit = placement.unit == "1"
    resourced = placement.resourced == "1"
    if registered in SPECIALIST_KINDS and registered not in UNIT_KINDS:
        return Setting(urn, registered, attendance, None)
    if registered is not None and (unit or resourced):
        return Setting(urn, "sen_unit" if unit else "resourced_provision", attendance, None)
    if unit or resourced:
        return Setting(None, None, attendance, "a unit or resourced provision the register does not list")
    return Setting(None, None, attendance, "a mainstream place, or a setting outside the register's specialist "
                                           "places")


def requires_residential(person: Person) -> tuple[bool, list[Problem]]:
    """Whether the plan names a residential setting (``PlanRes``), on a plan that has not ceased."""
    codes = [plan.plan_res for plan in person.named_plans if plan.cease_date is None and plan.plan_res]
    if any(code not in RESIDENTIAL_CODES for code in codes):
        return False, [Problem(person.position, "PlanRes", "not A (38 to 51 weeks) or B (52 weeks)")]
    return bool(codes), []


def sex_of(person: Person) -> str | None:
    return SEX_CODES.get((person.sex or "").upper())


def _residential_problem(person: Person, placement: Placement) -> Problem | None:
    if placement.residential is not None and placement.residential not in RESIDENTIAL_CODES:
        return Problem(person.position, "RES", "not A (38 to 51 weeks) or B (52 weeks)")
    return None


def _date(person: Person, item: str, text: str | None, problems: list[Problem]) -> dt.date | None:
    if text is None:
        return None
    found = parse_date(text)
    if found is None:
        problems.append(Problem(person.position, item, "not a date (YYYY-MM-DD)"))
    return found
