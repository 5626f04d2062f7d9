"""The shared vocabulary of Placewise, each defined once: SEN2 need codes, provider kinds, phases, genders.

Every vocabulary is a ``Literal`` (for pydantic and mypy); its tuple is derived from it, and so is everything
keyed by it, so adding a code is one place and the checks at the bottom of this module hold the rest in step.
"""

from typing import Annotated, Literal, get_args

from pydantic import Field

#: SEN2 primary need codes, as in the DfE's SEN2 return and the architecture's vocabulary.
Need = Literal["ASD", "HI", "MLD", "MSI", "OTH", "PD", "PMLD", "SEMH", "SLCN", "SLD", "SPLD", "VI"]
NEEDS: tuple[str, ...] = get_args(Need)

#: Words a parent would read for each need.
NEED_WORDS: dict[str, str] = {
    "ASD": "autism",
    "HI": "hearing impairment",
    "MLD": "moderate learning difficulty",
    "MSI": "multi-sensory impairment",
    "OTH": "other difficulty or disability",
    "PD": "physical disability",
    "PMLD": "profound and multiple learning difficulty",
    "SEMH": "social, emotional and mental health",
    "SLCN": "speech, language and communication",
    "SLD": "severe learning difficulty",
    "SPLD": "specific learning difficulty",
    "VI": "visual impairment",
}

Kind = Literal[
    "mainstream", "resourced_provision", "sen_unit", "special_maintained", "special_academy",
    "non_maintained_special", "independent_special", "alternative_provision", "fe_college",
    "specialist_post16", "inclusion_base",
]
KINDS: tuple[str, ...] = get_args(Kind)

#: Inclusion bases in mainstream schools (the 2026 White Paper's word) and the two older kinds they replace. GIAS
#: still records "resourced provision" and "SEN unit", so the register keeps those kinds (their codes, costs and
#: the demo's files are unchanged); ``KIND_ALIASES`` maps them onto ``inclusion_base`` wherever kinds are grouped
#: for packages, price bands and planning, and a new base (``placewise plan`` at mainstream schools) is an
#: ``inclusion_base`` itself.
INCLUSION_BASE_KINDS: tuple[str, ...] = ("inclusion_base", "resourced_provision", "sen_unit")
KIND_ALIASES: dict[str, str] = {"resourced_provision": "inclusion_base", "sen_unit": "inclusion_base"}
MAINSTREAM_KINDS: tuple[str, ...] = ("mainstream", "resourced_provision", "sen_unit", "fe_college", "inclusion_base")
SPECIAL_KINDS: frozenset[str] = frozenset(
    {"special_maintained", "special_academy", "non_maintained_special", "independent_special"}
)
INDEPENDENT_KINDS: tuple[str, ...] = ("independent_special", "non_maintained_special")

KIND_WORDS: dict[str, str] = {
    "mainstream": "mainstream school",
    "resourced_provision": "inclusion base in a mainstream school (recorded as resourced provision)",
    "sen_unit": "inclusion base in a mainstream school (recorded as an SEN unit)",
    "special_maintained": "council-maintained special school",
    "special_academy": "special academy or free school",
    "non_maintained_special": "non-maintained special school",
    "independent_special": "independent special school",
    "alternative_provision": "alternative provision",
    "fe_college": "further education college",
    "specialist_post16": "specialist post-16 institution",
    "inclusion_base": "inclusion base in a mainstream school",
}

#: Whether a child attends by day or boards: the two columns of a national price band.
Attendance = Literal["day", "residential"]
#: What a Specialist Provision Package asks of a setting: a mainstream school (with an inclusion base, where the
#: package says so) or a specialist setting.
PackageSetting = Literal["mainstream_only", "specialist"]
#: A setting's answer to a consultation, and why it cannot meet the needs (Children and Families Act 2014 s39).
ConsultationReply = Literal["can_meet", "cannot_meet", "no_reply"]
CannotMeetReason = Literal["needs_not_met", "incompatible_with_efficient_education", "inefficient_use_of_resources",
                           "no_places", "age_or_phase", "other"]
CANNOT_MEET_WORDS: dict[str, str] = {
    "needs_not_met": "it could not meet the child's special educational needs",
    "incompatible_with_efficient_education": "the placement would not be compatible with the efficient education "
                                             "of the other children there",
    "inefficient_use_of_resources": "the placement would not be an efficient use of resources",
    "no_places": "it has no place for the child",
    "age_or_phase": "it does not take children of this age or phase",
    "other": "another reason, which the officer's note about the reply records",
}
#: Why a decision is made again: after mediation, after the SEND Tribunal's order, or on the council's own review.
ReconsiderationReason = Literal["mediation", "tribunal_order", "council_review"]
RECONSIDERATION_WORDS: dict[str, str] = {
    "mediation": "after mediation", "tribunal_order": "after the SEND Tribunal's order",
    "council_review": "after we looked at it again ourselves"}
#: Free text people type (notes, reasons, names): any characters but control characters (tabs and new lines aside),
#: which no person types and PostgreSQL's text refuses (NUL).
FREE_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
#: The test the council applied to each setting the parents asked for (Children and Families Act 2014 s39(4)): the
#: setting is named, or it is not because it is unsuitable for the child's age, ability, aptitude or SEN, or its
#: attendance would be incompatible with the efficient education of others or the efficient use of resources.
StatutoryTest = Literal["named", "unsuitable", "incompatible_efficient_education",
                        "incompatible_efficient_use_of_resources"]
STATUTORY_TEST_WORDS: dict[str, str] = {
    "named": "we have named it",
    "unsuitable": "it is not suitable for your child's age, ability, aptitude or special educational needs",
    "incompatible_efficient_education": "your child going there would not fit with the good education of the "
                                        "other children there",
    "incompatible_efficient_use_of_resources": "it would not be an efficient use of public money",
}
#: What came of mediation, and what the SEND Tribunal ordered.
MediationOutcome = Literal["agreed", "partly_agreed", "not_agreed"]
MEDIATION_OUTCOME_WORDS: dict[str, str] = {"agreed": "agreement was reached", "partly_agreed": "some things were "
                                           "agreed", "not_agreed": "no agreement was reached"}
TribunalOutcome = Literal["setting_ordered", "appeal_dismissed", "consent_order"]
TRIBUNAL_OUTCOME_WORDS: dict[str, str] = {"setting_ordered": "the tribunal ordered a setting to be named",
                                          "appeal_dismissed": "the tribunal dismissed the appeal",
                                          "consent_order": "the tribunal made an order both sides agreed"}


def canonical_kind(kind: str) -> str:
    """The kind a package, band or plan sees: an old unit kind is an inclusion base."""
    return KIND_ALIASES.get(kind, kind)


OFSTED_WORDS: dict[int, str] = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}

Phase = Literal["early_years", "primary", "secondary", "post16"]
PHASES: tuple[str, ...] = get_args(Phase)

Gender = Literal["mixed", "boys", "girls"]
GENDERS: tuple[str, ...] = get_args(Gender)

Sex = Literal["F", "M"]

#: How a child travels to school: a seat on a shared route, a vehicle to itself, or a personal transport budget.
TransportMode = Literal["shared_route", "single_occupancy", "personal_budget", "independent_travel_training"]
TRANSPORT_MODES: tuple[str, ...] = get_args(TransportMode)

#: Where a figure (places, vacancies) comes from, best evidence first.
Source = Literal["published", "estimated", "reported", "unknown"]
SOURCES: tuple[str, ...] = get_args(Source)

ProviderStatus = Literal["open", "proposed_to_close", "closed"]
PROVIDER_STATUSES: tuple[str, ...] = get_args(ProviderStatus)


#: Codes: a pseudonymous child id; an upper-tier council's ONS code; an LSOA (E01) or MSOA (E02) code.
CHILD_ID_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
COUNCIL_PATTERN = r"^E(06|07|08|09|10)\d{6}$"
AREA_PATTERN = r"^E0[12]\d{6}$"
Council = Annotated[str, Field(pattern=COUNCIL_PATTERN)]


#: A child in national curriculum year n is n + 4 on 31 August before the year (Reception, year 0: 4; Year 12: 16).
NCY_AGE_OFFSET = 4
#: How far a child's year group may stand from its age (held back or moved on) before the record is taken as wrong.
NCY_AGE_TOLERANCE = 2
#: The year groups of post-16 education at school: Years 12 to 14.
POST16_YEARS = (12, 14)


def phase_of_age(age: int) -> Phase:
    """Return the school phase of a child of this age on 31 August (primary 4..10, secondary 11..15)."""
    if age < 4:
        return "early_years"
    if age <= 10:
        return "primary"
    if age <= 15:
        return "secondary"
    return "post16"


def _check_in_step() -> None:
    for words, codes in ((NEED_WORDS, NEEDS), (KIND_WORDS, KINDS), (CANNOT_MEET_WORDS, get_args(CannotMeetReason)),
                         (RECONSIDERATION_WORDS, get_args(ReconsiderationReason)),
                         (STATUTORY_TEST_WORDS, get_args(StatutoryTest)),
                         (MEDIATION_OUTCOME_WORDS, get_args(MediationOutcome)),
                         (TRIBUNAL_OUTCOME_WORDS, get_args(TribunalOutcome))):
        if set(words) != set(codes):
            raise AssertionError(f"core.vocabulary: words and codes differ: {sorted(set(words) ^ set(codes))}")
    if not set(MAINSTREAM_KINDS) | SPECIAL_KINDS | set(INDEPENDENT_KINDS) | set(INCLUSION_BASE_KINDS) <= set(KINDS):
        raise AssertionError("core.vocabulary: a kind group names an unknown kind")
    if not set(KIND_ALIASES) | set(KIND_ALIASES.values()) <= set(INCLUSION_BASE_KINDS):
        raise AssertionError("core.vocabulary: a kind alias names a kind that is not an inclusion base")


_check_in_step()
