"""The scenario form's changes, parsed without the app: each kind of delta as the scenario's model takes it, several
at once, and each bad field refused by its own name in fixed words (never what was typed)."""

import pytest

from api.web.delta_form import FIELDS, describe_delta, form_deltas
from scenarios.schema import Delta

COUNCILS = ("E06900001", "E06900002")
REGISTER = {900002, 900009}
NEW = {"open_urn": "990001", "open_name": "Northvale Autism Base", "open_kind": "special_academy",
       "open_council": "E06900001", "open_easting": "420,000", "open_northing": "570000", "open_needs": "ASD,SLCN",
       "open_age_low": "4", "open_age_high": "11", "open_places": "40", "open_gender": "mixed"}


def _values(**given: str) -> dict[str, str]:
    return {**{name: "" for name in FIELDS}, "open_needs": "", **given}


def _parse(**given: str) -> tuple[list[dict], dict[str, str]]:
    return form_deltas(_values(**given), lambda urn: urn in REGISTER, COUNCILS)


@pytest.mark.parametrize(("given", "expected"), [
    ({"growth_need": "ASD", "growth_percent": "25"}, {"demand_growth": {"ASD": 0.25}}),
    ({"expand_setting": "900002", "expand_places": "-5"}, {"expand": {900002: -5}}),
    ({"close_setting": "900009"}, {"close": 900009}),
    ({"add_setting": "900002", "add_need": "SEMH", "add_places": "8"},
     {"add_places": {"provider_id": 900002, "need": "SEMH", "places": 8}}),
    ({"quota_setting": "900009", "quota_E06900001": "12", "quota_E06900002": "0"},
     {"quota": {"provider_id": 900009, "places": {"E06900001": 12, "E06900002": 0}}}),
    ({"cap_prices": "yes"}, {"cap_prices": True}),
])
def test_each_change_becomes_the_delta_the_scenario_file_would_hold(given, expected):
    deltas, errors = _parse(**given)
    assert errors == {} and deltas == [expected]
    assert Delta.model_validate(expected) is not None


def test_a_new_setting_opens_with_the_fields_of_the_scenarios_model():
    [delta], errors = _parse(**NEW, open_residential="yes")
    assert errors == {}
    opened = Delta.model_validate(delta).open
    assert opened is not None
    assert (opened.provider_id, opened.easting, opened.designated_needs, opened.residential, opened.places) == (
        990001, 420_000.0, ("ASD", "SLCN"), True, 40)
    assert describe_delta(delta) == "opens Northvale Autism Base (40 places)"


def test_several_changes_at_once_come_in_the_forms_order():
    deltas, errors = _parse(close_setting="900009", growth_need="MLD", growth_percent="10", **NEW)
    assert errors == {}
    assert [next(iter(delta)) for delta in deltas] == ["demand_growth", "close", "open"]


def test_an_empty_form_gives_no_change():
    assert _parse() == ([], {})


@pytest.mark.parametrize(("given", "field"), [
    ({"growth_need": "ASD", "growth_percent": "lots"}, "growth_percent"),
    ({"growth_need": "", "growth_percent": "10"}, "growth_percent"),
    ({"expand_setting": "900002", "expand_places": "0"}, "expand_places"),
    ({"expand_setting": "123456", "expand_places": "4"}, "expand_setting"),
    ({"close_setting": "123456"}, "close_setting"),
    ({"close_setting": "nine"}, "close_setting"),
    ({"add_setting": "123456", "add_need": "ASD", "add_places": "3"}, "add_setting"),
    ({"add_setting": "900002", "add_need": "", "add_places": "3"}, "add_need"),
    ({"add_setting": "900002", "add_need": "ASD", "add_places": "0"}, "add_places"),
    ({"add_need": "ASD", "add_places": "3"}, "add_setting"),
    ({"quota_setting": "900009"}, "quota"),
    ({"quota_setting": "900009", "quota_E06900001": "-1"}, "quota"),
    ({"quota_E06900001": "4"}, "quota_setting"),
    ({"quota_setting": "424242", "quota_E06900001": "4"}, "quota_setting"),
    ({**NEW, "open_urn": "900002"}, "open_urn"),
    ({**NEW, "open_urn": "x"}, "open_urn"),
    ({**NEW, "open_name": ""}, "open_name"),
    ({**NEW, "open_kind": ""}, "open_kind"),
    ({**NEW, "open_council": "Northvale"}, "open_council"),
    ({**NEW, "open_easting": "somewhere"}, "open_easting"),
    ({**NEW, "open_easting": "650000", "open_northing": "100"}, "open_easting"),
    ({**NEW, "open_northing": "2000000"}, "open_northing"),
    ({**NEW, "open_needs": ""}, "open_needs"),
    ({**NEW, "open_needs": "XYZ"}, "open_needs"),
    ({**NEW, "open_age_low": "30"}, "open_age_low"),
    ({**NEW, "open_age_low": "12", "open_age_high": "5"}, "open_age_high"),
    ({**NEW, "open_places": "0"}, "open_places"),
    ({**NEW, "open_gender": "any"}, "open_gender"),
])
def test_a_bad_field_is_refused_by_its_name_without_what_was_typed(given, field):
    deltas, errors = _parse(**given)
    assert field in errors and deltas == []
    typed = {value for value in given.values() if len(value) > 2}
    assert not any(value in message for message in errors.values() for value in typed)


@pytest.mark.parametrize(("delta", "words"), [
    ({"close": 900009}, "closes Hillside (900009)"),
    ({"expand": {"900009": 20}}, "+20 places at Hillside (900009)"),
    ({"add_places": {"provider_id": 900009, "need": "SEMH", "places": 8}},
     "8 places for social, emotional and mental health at Hillside (900009)"),
    ({"quota": {"provider_id": 900009, "places": {"E06900001": 3}}}, "council quotas at Hillside (900009)"),
    ({"demand_growth": {"ASD": 0.25}}, "autism demand +25%"),
    ({"cap_prices": True}, "prices capped at their national bands"),
])
def test_each_change_is_described_in_words_with_the_settings_name(delta, words):
    assert describe_delta(delta, lambda urn: f"Hillside ({urn})") == words
