"""The embedded demo is deterministic and follows the national SEN2 proportions."""

import pandas as pd

from geodata.demo import NATIONAL_NEED_COUNTS, build_demo
from matcher.contracts import check_providers


def test_same_seed_same_demo_and_another_seed_another():
    first, second = build_demo(), build_demo()
    pd.testing.assert_frame_equal(first.providers, second.providers)
    pd.testing.assert_frame_equal(first.children, second.children)
    assert not build_demo(seed=1).children["primary_need"].equals(first.children["primary_need"])


def test_demo_providers_meet_the_contract_and_cover_every_need():
    demo = build_demo()
    check_providers(demo.providers)
    assert set(demo.providers["designated_needs"].explode()) == set(NATIONAL_NEED_COUNTS)


def test_demo_needs_follow_national_proportions():
    children = build_demo(children_per_council=2_000).children
    shares = children["primary_need"].value_counts(normalize=True)
    national = pd.Series(NATIONAL_NEED_COUNTS) / sum(NATIONAL_NEED_COUNTS.values())
    assert (shares.reindex(national.index, fill_value=0) - national).abs().max() < 0.02
