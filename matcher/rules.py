"""The hard rules of eligibility, as one table: each rule is its code, its test and its sentence, in order.

A provider that fails a rule is excluded with the first rule it fails (the table's order), never scored. Adding
a rule is one entry here; the reason codes (``REASONS``) and their words (``REASON_WORDS``) follow from it.
Every test sees the same ``RuleInputs`` (one child against every provider of an index, as arrays).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from matcher.provider_index import KNOWN_SOURCE, ProviderIndex

if TYPE_CHECKING:
    from matcher.child import Child
    from matcher.policy import Policy


@dataclass(frozen=True, eq=False)
class RuleInputs:
    """What a rule tests, for one child against every provider: travel, the cap, and vacancies for the need."""

    child: "Child"
    index: ProviderIndex
    policy: "Policy"
    travel_minutes: np.ndarray
    cap_minutes: float
    need: int  # the child's primary need as a column of the index's need arrays
    vacancies: np.ndarray  # for the child's need where reported, else the total
    vacancies_known: np.ndarray  # published or reported, not estimated

    def everywhere(self, value: bool) -> np.ndarray:
        return np.full(len(self.travel_minutes), value)


@dataclass(frozen=True)
class HardRule:
    code: str
    sentence: str  # words for a parent: why this setting is not on the list
    fails: Callable[[RuleInputs], np.ndarray]  # True where a provider fails the rule


def _other_sex(inputs: RuleInputs) -> np.ndarray:
    other = {"F": 1, "M": 2}.get(inputs.child.sex or "", -1)  # index gender codes: 1 boys, 2 girls
    return inputs.index.gender_code == other


def _no_vacancy(inputs: RuleInputs) -> np.ndarray:
    own = inputs.index.provider_id == (inputs.child.current_provider_id or -1)  # a child keeps its own place
    return inputs.vacancies_known & (inputs.vacancies <= 0) & ~own


HARD_RULES: tuple[HardRule, ...] = (
    HardRule("closed", "closed", lambda r: ~r.index.is_open),
    HardRule("need_not_designated", "not designated for the child's primary need",
             lambda r: r.index.needs_published & ~r.index.designated[:, r.need]),
    HardRule("designation_not_published",
             "publishes no designated needs (the policy takes in only special schools that publish none)",
             lambda r: ~r.index.needs_published & (~r.index.is_special_school
                                                   | r.everywhere(not r.policy.include_unpublished_designations))),
    HardRule("age_out_of_range", "does not take children of this age",
             lambda r: (r.child.age < r.index.age_low) | (r.child.age > r.index.age_high)),
    HardRule("single_sex", "a single-sex setting for the other sex", _other_sex),
    HardRule("residential_required", "does not offer the residential place the child needs",
             lambda r: r.everywhere(r.child.requires_residential) & (r.index.residential == 0)),
    HardRule("inadequate", "rated Inadequate, which the policy excludes",
             lambda r: r.everywhere(r.policy.exclude_inadequate) & (r.index.ofsted == 4)),
    HardRule("no_vacancy", "no places free for this need", _no_vacancy),
    HardRule("location_unknown", "location not published, so travel cannot be assessed",
             lambda r: np.isnan(r.travel_minutes)),
    HardRule("travel_over_cap", "over the travel cap", lambda r: r.travel_minutes > r.cap_minutes),
)

#: Reason codes by number: 0 is a candidate, then each rule in order.
REASONS: tuple[str, ...] = ("candidate", *(rule.code for rule in HARD_RULES))
REASON_WORDS: dict[str, str] = {rule.code: rule.sentence for rule in HARD_RULES}
CLOSED = REASONS.index("closed")
NOT_DESIGNATED = REASONS.index("need_not_designated")


def first_failures(inputs: RuleInputs) -> np.ndarray:
    """Each provider's reason code: the number of the first rule it fails, or 0 where it fails none."""
    reason_code = np.zeros(len(inputs.travel_minutes), dtype=np.int8)
    for code in range(len(HARD_RULES), 0, -1):  # the last rule first, so each provider keeps the first it fails
        reason_code[HARD_RULES[code - 1].fails(inputs)] = code
    return reason_code


def known_vacancies(index: ProviderIndex, need: int) -> tuple[np.ndarray, np.ndarray]:
    """Vacancies for one need (its reported figure, else the setting's total) and whether each is known."""
    need_vacancies = index.need_vacancies[:, need]
    vacancies = np.where(np.isnan(need_vacancies), index.vacancies, need_vacancies)
    return vacancies, ~np.isnan(need_vacancies) | KNOWN_SOURCE[index.vacancies_source]
