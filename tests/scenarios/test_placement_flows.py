"""Places offered beyond a sub-region in proportion to SEN2's flows, on a hand-solved case."""

import pandas as pd

from scenarios.placement_flows import beyond_offers


def register():
    # Council S (the sub-region) hosts 50 independent places; H hosts two independent schools of 100 and 60 places
    # and a state special of 80; G hosts 40 independent places, all its own children's.
    return pd.DataFrame({"kind": ["independent_special", "independent_special", "independent_special",
                                  "special_maintained", "independent_special"],
                         "host_council": ["S", "H", "H", "H", "G"], "places": [50, 100, 60, 80, 40]},
                        index=pd.Index([1, 2, 3, 4, 5], name="provider_id"))


def children(s_independent):
    return pd.DataFrame({"independent": [s_independent, 40, 40], "state_special": [0, 80, 0]},
                        index=["S", "H", "G"])


def test_a_short_sub_region_is_offered_the_hosts_spare_share_up_to_its_deficit():
    every = register()
    # H's own children fill 40 of its 160 independent places: 75% go to others. S needs 130 for 50 places: a
    # deficit of 80. Raw offers 75 and 45 (120) scale by 80/120: 50 and 30. G's are all its own: 0. H's state
    # special is full with H's children: 0.
    offers = beyond_offers(every.loc[[2, 3, 4, 5]], every, ("S",), children(130))
    assert offers.to_dict() == {2: 50, 3: 30, 4: 0, 5: 0}


def test_a_sub_region_with_places_to_spare_is_offered_none():
    every = register()
    offers = beyond_offers(every.loc[[2, 3]], every, ("S",), children(45))
    assert offers.to_dict() == {2: 0, 3: 0}


def test_offers_never_exceed_the_hosts_spare_share():
    every = register()
    offers = beyond_offers(every.loc[[2, 3]], every, ("S",), children(1_000))  # a deficit of 950
    assert offers.to_dict() == {2: 75, 3: 45}
