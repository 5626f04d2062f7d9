"""The hard rules of eligibility, as one table: each rule is its code, its test and its sentence, in order.

A provider that fails a rule is excluded with the first rule it fails (the table's order), never scored. Adding
a rule is one entry here; the reason codes (``REASONS``) and their words (``REASON_WORDS``) follow from it.
Every test sees the same ``RuleInputs``: (child, provider) pairs as arrays, a shortlist's one child against its
need's pool or a cohort's children against the providers within their reach.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from matcher.provider_index import KNOWN_SOURCE, ProviderIndex
from matcher.travel_caps import over_cap

if TYPE_CHECKING:
    from matcher.pair_arrays import Children
    from matcher.policy import Policy
    from matcher.travel.protocol import TravelEstimate


@dataclass(frozen=True, eq=False)
class RuleInputs:
    """What a rule tests, one entry per (child, provider) pair: the child's and the provider's attributes (``c``
    and ``p`` index them by pair), travel, the cap, and vacancies for the child's need."""

    children: "Children"
    index: ProviderIndex
    policy: "Policy"
    child: np.ndarray
    provider: np.ndarray
    travel: "TravelEstimate"
    cap_minutes: np.ndarray
    need: np.ndarray  # the child's primary need as a column of the index's need arrays
    vacancies: np.ndarray  # for the child's need where reported, else the total
    vacancies_known: np.ndarray  # published or reported, not estimated

    def c(self, values: np.ndarray) -> np.ndarray:
        """A child attribute, pair by pair."""
        return values[self.child]

    def p(self, values: np.ndarray) -> np.ndarray:
        """A provider attribute, pair by pair."""
        return values[self.provider]

    def everywhere(self, value: bool) -> np.ndarray:
        return np.full(len(self.provider), value)

    def over_cap(self) -> np.ndarray:
        """Over the cap at the policy's percentile of the journey (``matcher.travel_caps``)."""
        return over_cap(self.travel, self.cap_minutes, self.policy)


@dataclass(frozen=True)
class HardRule:
    code: str
    sentence: str  # words for a parent: why this setting is not on the list
    fails: Callable[[RuleInputs], np.ndarray]  # True where a provider fails the rule
    needs_journey: bool = False  # reads the travel estimate (such rules come last)


#: The youngest age a setting with a post-16 phase reaches (GIAS AGEHIGH): 17 or more means Year 12 at least.
POST16_AGE_HIGH = 17


def _no_post16(r: RuleInputs) -> np.ndarray:
    """A child in Years 12 to 14 (16 or over, without a year group) at a setting with no post-16 phase: its
    register says so (ISPOST16 = 0, or no sixth form), or its age range ends before 17."""
    return r.c(r.children.post16) & ((r.p(r.index.post16) == 0) | (r.p(r.index.age_high) < POST16_AGE_HIGH))


def _age_out_of_range(r: RuleInputs) -> np.ndarray:
    """The child's year group (NCY + 4, else its age, on 31 August) outside the ages the setting teaches: from
    AGELOW to one less than AGEHIGH, the age its pupils reach in their last year (11-16: Years 7 to 11)."""
    low, high = r.p(r.index.age_low), r.p(r.index.age_high)
    oldest = np.where(high > low, high - 1, high)
    age = r.c(r.children.year_age)
    return (age < low) | (age > oldest)


def _no_vacancy(r: RuleInputs) -> np.ndarray:
    own = r.p(r.index.provider_id) == r.c(r.children.current)  # a child keeps its own place
    return r.vacancies_known & (r.vacancies <= 0) & ~own


HARD_RULES: tuple[HardRule, ...] = (
    HardRule("closed", "closed", lambda r: ~r.p(r.index.is_open)),
    HardRule("not_named_provision", "an independent mainstream school: its published SEN-provision list is evidence "
             "of support, not of places, and no council file names it as provision",
             lambda r: ~r.p(r.index.provision_named)),
    HardRule("need_not_designated", "not designated for the child's primary need",
             lambda r: r.p(r.index.needs_published) & ~r.index.designated[r.provider, r.need]),
    HardRule("designation_not_published",
             "publishes no designated needs (the policy takes in only special schools that publish none)",
             lambda r: ~r.p(r.index.needs_published) & (~r.p(r.index.is_special_school)
                                                        | r.everywhere(not r.policy.include_unpublished_designations))),
    HardRule("no_post16_provision", "has no sixth form or post-16 provision for a child in Years 12 to 14", _no_post16),
    HardRule("age_out_of_range", "does not teach children of this age or year group", _age_out_of_range),
    HardRule("single_sex", "a single-sex setting for the other sex",
             lambda r: r.p(r.index.gender_code) == r.c(r.children.other_sex)),
    HardRule("residential_required", "does not offer the residential place the child needs",
             lambda r: r.c(r.children.requires_residential) & (r.p(r.index.residential) == 0)),
    HardRule("inadequate", "rated Inadequate, which the policy excludes",
             lambda r: r.everywhere(r.policy.exclude_inadequate) & (r.p(r.index.ofsted) == 4)),
    HardRule("no_vacancy", "no places free for this need", _no_vacancy),
    HardRule("location_unknown", "location not published, so travel cannot be assessed",
             lambda r: np.isnan(r.travel.minutes), needs_journey=True),
    HardRule("travel_over_cap", "over the travel cap", lambda r: r.over_cap(), needs_journey=True),
)

#: Reason codes by number: 0 is a candidate, then each rule in order.
REASONS: tuple[str, ...] = ("candidate", *(rule.code for rule in HARD_RULES))
REASON_WORDS: dict[str, str] = {rule.code: rule.sentence for rule in HARD_RULES}
CLOSED = REASONS.index("closed")
NOT_DESIGNATED = REASONS.index("need_not_designated")
#: The code of the first rule that reads the journey: a code below it was found with no journey at all.
FIRST_JOURNEY_RULE = 1 + next(at for at, rule in enumerate(HARD_RULES) if rule.needs_journey)
if not all(rule.needs_journey for rule in HARD_RULES[FIRST_JOURNEY_RULE - 1:]):
    raise AssertionError("matcher.rules: the rules that read the journey come after every other")


def first_failures(inputs: RuleInputs, without_journey: np.ndarray | None = None) -> np.ndarray:
    """Each pair's reason code: the number of the first rule it fails, or 0 where it fails none.

    ``without_journey``, where given, is each pair's first failure among the rules that need no journey (a code
    below ``FIRST_JOURNEY_RULE``, or any code from it where the pair passes them all, as ``beyond_reach_reasons``
    gives): only the rules that read the journey are then tested, and only they can change a pair's code."""
    first = FIRST_JOURNEY_RULE if without_journey is not None else 1
    reason_code = np.zeros(len(inputs.provider), dtype=np.int8)
    for code in range(len(HARD_RULES), first - 1, -1):  # the last rule first: each provider keeps the first it fails
        reason_code[HARD_RULES[code - 1].fails(inputs)] = code
    if without_journey is None:
        return reason_code
    return np.where(without_journey < FIRST_JOURNEY_RULE, without_journey, reason_code).astype(np.int8)


def known_vacancies(index: ProviderIndex, provider: np.ndarray, need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vacancies of each pair for its child's need (the reported figure, else the setting's total) and whether
    each is known (published or reported)."""
    need_vacancies = index.need_vacancies[provider, need]
    reported = ~np.isnan(need_vacancies)
    vacancies = np.where(reported, need_vacancies, index.vacancies[provider])
    return vacancies, reported | KNOWN_SOURCE[index.vacancies_source[provider]]
