"""Every provider is a candidate or an exclusion with the first hard rule it fails."""

import numpy as np
import pandas as pd
import pytest

from matcher.costs import default_costs
from matcher.evaluation import build_children, evaluate
from matcher.policy import Policy
from matcher.provider_index import build_provider_index
from matcher.rules import REASONS
from matcher.travel.straight_line import StraightLineTravel
from tests.helpers.factories import make_child, make_providers


def reasons_for(child, providers, policy=None):
    """The first rule each provider fails for the child, in the providers' order (every provider looked at)."""
    index = build_provider_index(providers)
    policy = policy or Policy()
    evaluation = evaluate(build_children([child], policy), index, policy, StraightLineTravel(), default_costs(),
                          np.zeros(len(providers), dtype=np.int64), np.arange(len(providers)))
    return list(np.asarray(REASONS)[evaluation.reason_code])


@pytest.mark.parametrize(("provider", "child_fields", "reason"), [
    ({}, {}, "candidate"),
    ({"status": "closed"}, {}, "closed"),
    ({"designated_needs": ("SEMH",)}, {}, "need_not_designated"),
    ({"designated_needs": (), "kind": "alternative_provision"}, {}, "designation_not_published"),
    ({"provision_named": False, "kind": "mainstream"}, {}, "not_named_provision"),
    ({"age_low": 11, "age_high": 16}, {}, "age_out_of_range"),
    ({"age_low": 4, "age_high": 11}, {"age": 11}, "age_out_of_range"),  # GIAS AGEHIGH: the age reached in Year 6
    ({"age_low": 11, "age_high": 16}, {"age": 16, "ncy": 12}, "no_post16_provision"),
    ({"age_low": 11, "age_high": 19, "post16": False}, {"age": 16, "ncy": 12}, "no_post16_provision"),
    ({"age_low": 11, "age_high": 19}, {"age": 17}, "candidate"),  # no year group: 16 or over is post-16
    ({"age_low": 11, "age_high": 16}, {"age": 16, "ncy": 11}, "candidate"),  # held back: taught in Year 11
    ({"gender": "girls"}, {"sex": "M"}, "single_sex"),
    ({"residential": False}, {"requires_residential": True}, "residential_required"),
    ({"vacancies": 0}, {}, "no_vacancy"),
    ({"easting": np.nan, "northing": np.nan}, {}, "location_unknown"),
    # 30 km straight line x 1.3 circuity at 30 km/h = 78 minutes, over the primary cap of 45.
    ({"easting": 430_000.0}, {}, "travel_over_cap"),
])
def test_each_hard_rule_gives_its_reason(provider, child_fields, reason):
    assert reasons_for(make_child(**child_fields), make_providers(provider)) == [reason]


def test_a_year_group_far_from_the_age_is_refused_by_field():
    with pytest.raises(ValueError, match="ncy: the year group is more than 2 years"):
        make_child(age=10, ncy=9)


def test_unpublished_boarding_lowers_suitability_and_says_why():
    from matcher.criteria import RESIDENTIAL_UNKNOWN_WORDS, explain, score_candidates
    from matcher.scoring import Scoring

    providers = make_providers({"residential": None}, {"residential": True})
    policy = Policy()
    index = build_provider_index(providers)
    evaluation = evaluate(build_children([make_child(requires_residential=True)], policy), index, policy,
                          StraightLineTravel(), default_costs(), np.zeros(2, dtype=np.int64), np.arange(2))
    scores = score_candidates(Scoring(evaluation), np.arange(2))
    assert scores[0, 0] == pytest.approx(scores[1, 0] - 0.2)
    assert RESIDENTIAL_UNKNOWN_WORDS in explain(Scoring(evaluation), 0)[0]
    assert RESIDENTIAL_UNKNOWN_WORDS not in explain(Scoring(evaluation), 1)[0]


def test_the_first_failing_rule_is_reported():
    providers = make_providers({"status": "closed", "designated_needs": ("SEMH",), "vacancies": 0})
    assert reasons_for(make_child(), providers) == ["closed"]


def test_unknown_sex_and_unpublished_boarding_do_not_exclude():
    providers = make_providers({"gender": "girls", "residential": None})
    assert reasons_for(make_child(requires_residential=True), providers) == ["candidate"]


def test_estimated_vacancies_never_exclude_but_published_zero_does():
    providers = make_providers({"vacancies": 0, "vacancies_source": "estimated"}, {"vacancies": 0,
                                                                                   "vacancies_source": "published"})
    assert reasons_for(make_child(), providers) == ["candidate", "no_vacancy"]


def test_reported_need_vacancies_override_the_total():
    providers = make_providers({"vacancies": 5}, {"vacancies": 0})
    providers["need_vacancies"] = [{"ASD": 0}, {"ASD": 2}]
    assert reasons_for(make_child(), providers) == ["no_vacancy", "candidate"]


def test_secondary_phase_cap_is_75_minutes():
    # 20 km x 1.3 at 30 km/h = 52 minutes: over the primary cap (45), within the secondary cap (75).
    providers = make_providers({"easting": 420_000.0})
    assert reasons_for(make_child(age=10), providers) == ["travel_over_cap"]
    assert reasons_for(make_child(age=12), providers) == ["candidate"]
    assert reasons_for(make_child(age=12, max_travel_minutes=50), providers) == ["travel_over_cap"]


def test_policy_can_exclude_inadequate_and_special_schools_that_publish_no_designation():
    providers = make_providers({"ofsted": 4}, {"designated_needs": ()})
    assert reasons_for(make_child(), providers) == ["candidate", "candidate"]  # by default both are candidates
    policy = Policy(exclude_inadequate=True, include_unpublished_designations=False)
    assert reasons_for(make_child(), providers, policy) == ["inadequate", "designation_not_published"]


def test_a_provider_a_scenario_opens_is_named_provision():
    providers = make_providers({}, {})
    providers["provision_named"] = pd.array([False, pd.NA], dtype="boolean")  # the second opened by a delta
    assert reasons_for(make_child(), providers) == ["not_named_provision", "candidate"]
