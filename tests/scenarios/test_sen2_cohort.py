"""A SEN2 return as a cohort: what is kept of a person (exactly), the rules a person must pass (named by position
and item, never by value), all or nothing or --skip-invalid, the council check, and keyed pseudonyms."""

import datetime as dt
from dataclasses import replace

import pytest

from core.errors import PlacewiseError
from geodata.postcodes import load_postcode_directory
from geodata.sen2_return import ActivePlan, NamedPlan, Sen2Return
from scenarios.sen2_cohort import checks_register, import_return, pseudonym_key
from tests.helpers.sen2 import HEADER, KEY, POSTCODE_ROWS, person, placement

REGISTER = checks_register(None)


@pytest.fixture
def postcodes(tmp_path):
    path = tmp_path / "postcodes.csv"
    path.write_text(POSTCODE_ROWS, encoding="utf-8")
    return load_postcode_directory(path)


def imported(postcodes, persons, skip_invalid=False, council="E06900001", key=KEY):
    return import_return(Sen2Return(HEADER, tuple(persons)), council, REGISTER, postcodes, key, skip_invalid)


def test_a_person_becomes_one_pseudonymous_child_with_todays_placement(postcodes):
    found = imported(postcodes, [person()])
    [row] = found.cohort.to_dict("records")
    assert row["child_id"].startswith("S2-") and len(row["child_id"]) == 23
    assert {key: row[key] for key in row if key != "child_id"} == {
        "home_council": "E06900001", "home_lsoa": "E01000001", "age": 9, "ncy": 5, "primary_need": "ASD",
        "secondary_needs": ("SLCN",), "sex": "F", "requires_residential": False, "current_provider_id": 900002,
        "current_kind": "special_academy", "current_attendance": "day"}
    assert found.summary()["imported"] == 1 and found.summary()["at_phase_transfer"] == 0


def test_age_is_taken_on_31_august_before_the_census_and_ncy_follows(postcodes):
    ages = [imported(postcodes, [person(birth_date=birth)]).cohort.loc[0, ["age", "ncy"]].tolist()
            for birth in ("2012-08-31", "2012-09-01", "2019-09-01")]
    assert ages == [[11, 7], [10, 6], [3, -1]]


def test_residential_comes_from_the_return_and_a_unit_from_its_indicator(postcodes):
    plan = ActivePlan((placement(urn="900004", unit="1", residential="A"),), (("ASD", "1"),))
    row = imported(postcodes, [person(active_plans=(plan,), named_plans=(NamedPlan("2021-08-01", None, "B"),),
                                      birth_date="2016-01-01")]).cohort.iloc[0]
    assert (row["current_kind"], row["current_attendance"], row["requires_residential"]) == (
        "sen_unit", "residential", True)


def test_the_same_key_gives_the_same_id_and_another_key_another(postcodes):
    first = imported(postcodes, [person()]).cohort.loc[0, "child_id"]
    assert imported(postcodes, [person()]).cohort.loc[0, "child_id"] == first
    assert imported(postcodes, [person()], key=b"another key, also long enough here").cohort.loc[0,
                                                                                              "child_id"] != first
    with pytest.raises(PlacewiseError, match="PLACEWISE_PSEUDONYM_KEY to a secret of at least 32"):
        pseudonym_key("short")


def test_each_rule_names_the_position_and_item_never_the_value(postcodes):
    bad = [
        person(1, active_plans=(ActivePlan((placement(entry_date="2021-09-01", leaving_date="2020-01-01"),),
                                           (("ASD", "1"),)),)),
        person(2, active_plans=(ActivePlan((placement(),), (("XYZ", "1"),)),)),
        person(3, active_plans=(ActivePlan((placement(),), (("ASD", "2"),)),)),
        person(4, active_plans=(ActivePlan((placement(urn="999999"),), (("ASD", "1"),)),)),
        person(5, postcode="CF10 1AA"),
        person(6, birth_date="2030-01-01"),
        person(7, requests=(("2021-05-01", "2021-04-10"),)),
    ]
    with pytest.raises(PlacewiseError) as error:
        imported(postcodes, bad)
    message = str(error.value)
    for expected in ("person 1: LeavingDate: before EntryDate", "person 2: SENtype: not a code of the SEN2 list",
                     "person 3: SENtypeRank: no need ranked 1", "person 4: URN: not a URN of the schools register",
                     "person 5: PostCode: that postcode is outside England",
                     "person 6: PersonBirthDate: gives an age outside 0 to 25",
                     "person 7: RequestOutcomeDate: before ReceivedDate", "nothing was imported"):
        assert expected in message
    assert "XYZ" not in message and "999999" not in message and "CF10" not in message and "2030" not in message


def test_skip_invalid_keeps_the_good_and_reports_the_rest(postcodes):
    found = imported(postcodes, [person(1), person(2, active_plans=(ActivePlan((placement(),), ()),))],
                     skip_invalid=True)
    assert len(found.cohort) == 1
    assert found.skipped.to_dict("records") == [{"position": 2, "item": "SENtypeRank",
                                                 "problem": "no need ranked 1; rank the primary need 1"}]


def test_people_outside_the_pooled_specialist_places_are_counted_not_imported(postcodes):
    mainstream = ActivePlan((placement(urn=None, setting="EHE"),), (("ASD", "1"),))
    ended = ActivePlan((placement(leaving_date="2023-07-20"),), (("ASD", "1"),))
    found = imported(postcodes, [person(1, active_plans=(mainstream,)), person(2, active_plans=()),
                                 person(3, active_plans=(ended,)), person(4)])
    assert len(found.cohort) == 1
    assert found.out_of_scope == {"no school or college (SENsetting EHE)": 1, "no plan active on the census day": 1,
                                  "no placement open on the census day (awaiting a place)": 1}


def test_a_repeated_person_is_a_problem(postcodes):
    with pytest.raises(PlacewiseError, match="person 2: UPN: the same person as position 1"):
        imported(postcodes, [person(1), replace(person(1), position=2)])


def test_another_councils_return_is_refused(postcodes):
    with pytest.raises(PlacewiseError, match="LEA: the return is another council's, not E06900002's") as error:
        imported(postcodes, [person()], council="E06900002")
    assert error.value.field == "LEA"
    unknown = replace(HEADER, lea=123)
    with pytest.raises(PlacewiseError, match="another council's"):
        import_return(Sen2Return(unknown, (person(),)), "E06900001", REGISTER, postcodes, KEY)


def test_without_a_postcode_directory_nothing_is_imported():
    with pytest.raises(PlacewiseError, match="postcodes: give the ONS Postcode Directory or NSPL"):
        import_return(Sen2Return(HEADER, (person(),)), "E06900001", REGISTER, None, KEY)


def test_the_census_day_decides_which_placement_is_todays(postcodes):
    old = placement(urn="900003", leaving_date="2023-07-20")
    new = placement(urn="900009", entry_date="2023-09-04")
    plan = ActivePlan((old, new), (("SEMH", "1"),))
    row = imported(postcodes, [person(active_plans=(plan,))]).cohort.iloc[0]
    assert (row["current_provider_id"], row["current_kind"]) == (900009, "independent_special")
    assert HEADER.reference_date == dt.date(2024, 1, 18)
