"""Alternative provision: its settings by kind (registered from a GIAS extract, unregistered from a council's file),
a child's AP placement checked against the council's rules, outcomes where the data says so, and AP offers that name
their time limit and the school to return to."""

from datetime import date

import pandas as pd
import pytest

from core.errors import PlacewiseError
from geodata.alternative_provision import load_registered_ap, load_unregistered_ap
from scenarios.ap_placements import (
    APOutcome,
    APPlacement,
    APPolicyRules,
    check_placement,
    load_ap_placements,
    summarise_outcomes,
)
from scenarios.ap_shortlist import ap_offers

RULES = APPolicyRules()
START = date(2026, 9, 7)


def placement(**changes) -> APPlacement:
    values = {"child_id": "C-1", "ap_id": "U-7", "started_on": START, "planned_end_on": date(2026, 12, 18),
              "review_dates": (date(2026, 10, 12), date(2026, 11, 16), date(2026, 12, 14)),
              "return_school_urn": 100001, **changes}
    return APPlacement(**values)


def test_registered_ap_comes_from_a_gias_extract_by_type(tmp_path):
    extract = tmp_path / "edubasealldata.csv"
    header = ("URN,EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),Easting,Northing,"
              "StatutoryLowAge,StatutoryHighAge,SchoolCapacity,GSSLACode (name)\n")
    extract.write_bytes((header +
                         "140001,Tees Valley PRU,Pupil referral unit,Open,445000,520000,11,16,40,E06000004\n"
                         "140002,Harbour AP Academy,Academy alternative provision sponsor led,Open,450000,521000,5,16,"
                         ",E06000001\n"
                         "140003,Old PRU,Pupil referral unit,Closed,445000,520000,11,16,40,E06000004\n"
                         "140004,St Mary's Primary,Community school,Open,445000,520000,4,11,210,E06000004\n")
                        .encode("cp1252"))
    table = load_registered_ap(extract)
    assert table.index.tolist() == ["140001", "140002"]
    assert table["kind"].tolist() == ["pupil_referral_unit", "ap_academy"] and table["registered"].all()
    assert table.at["140001", "places"] == 40 and pd.isna(table.at["140002", "places"])


def test_unregistered_ap_comes_from_the_councils_file_and_bad_rows_are_named(tmp_path):
    good = tmp_path / "ap.csv"
    good.write_text("setting_id,name,council,easting,northing,age_low,age_high,places\n"
                    "7,Riverside Tuition,E06000001,450500,532000,11,16,12\n")
    table = load_unregistered_ap(good)
    assert table.index.tolist() == ["U-7"] and table.at["U-7", "kind"] == "unregistered_ap"
    bad = tmp_path / "bad.csv"
    bad.write_text("setting_id,name,council,easting,northing,age_low,age_high,places\n"
                   "7,Riverside Tuition,Hartlepool,450500,532000,11,16,-1\n")
    with pytest.raises(PlacewiseError) as refused:
        load_unregistered_ap(bad)
    assert "row 2: council" in str(refused.value) and "row 2: places" in str(refused.value)


def test_a_placement_keeps_to_the_councils_rules():
    check_placement(placement(), RULES)  # three terms at most, reviewed every five weeks, a return school named
    for changes, field in (({"planned_end_on": None}, "planned_end_on"), ({"return_school_urn": None},
                                                                            "return_school_urn"),
                           ({"planned_end_on": date(2027, 9, 1)}, "planned_end_on"),
                           ({"review_dates": (date(2026, 12, 14),)}, "review_dates"),
                           ({"outcome": APOutcome(returned_on=date(2026, 9, 1))}, "outcome.returned_on")):
        with pytest.raises(PlacewiseError) as refused:
            check_placement(placement(**changes), RULES)
        assert refused.value.field == field
    relaxed = APPolicyRules(require_end_date=False, require_return_school=False)
    check_placement(placement(planned_end_on=None, return_school_urn=None, review_dates=()), relaxed)


def test_a_file_of_placements_is_all_or_nothing_with_errors_by_row(tmp_path):
    path = tmp_path / "placements.csv"
    path.write_text("child_id,ap_id,started_on,planned_end_on,review_dates,return_school_urn,returned_on\n"
                    "C-1,U-7,2026-09-07,2026-12-18,2026-10-12;2026-11-16;2026-12-14,100001,2026-12-18\n"
                    "C-2,U-7,2026-09-07,,2026-10-12,100001,\n")
    with pytest.raises(PlacewiseError) as refused:
        load_ap_placements(path, RULES)
    assert "row 3: planned_end_on" in str(refused.value) and "row 2" not in str(refused.value)
    path.write_text(path.read_text().replace("C-2,U-7,2026-09-07,,", "C-2,U-7,2026-09-07,2026-10-16,"))
    assert [item.child_id for item in load_ap_placements(path, RULES)] == ["C-1", "C-2"]


def test_outcomes_are_measured_where_the_data_says_so():
    placements = [placement(outcome=APOutcome(attendance_share=0.9, returned_on=date(2026, 12, 18),
                                              sustained_two_terms=True)),
                  placement(child_id="C-2", outcome=APOutcome(attendance_share=0.7, returned_on=date(2026, 12, 18),
                                                              sustained_two_terms=False)),
                  placement(child_id="C-3", outcome=APOutcome(attendance_share=0.5, post16_destination="neet"))]
    summary = summarise_outcomes(placements)
    assert summary["attendance"]["value"] == 0.7 and summary["reintegration"]["value"] == 0.667
    assert (summary["sustained_reintegration"]["value"], summary["sustained_reintegration"]["placements"]) == (0.5, 2)
    assert summary["english_and_maths"] == {"value": None, "placements": 0, "words": summary["english_and_maths"][
        "words"]}
    assert summary["post16_destination"]["value"] == 0.0
    with pytest.raises(PlacewiseError):
        summarise_outcomes(placements, ("happiness",))


def test_ap_offers_name_their_time_limit_and_the_school_to_return_to():
    ap = pd.DataFrame({"name": ["Far PRU", "Near tuition", "Infant AP"], "kind": ["pupil_referral_unit",
                                                                                 "unregistered_ap", "ap_academy"],
                       "registered": [True, False, True], "council": ["E06000001"] * 3,
                       "easting": [410_000.0, 401_000.0, 400_500.0], "northing": [500_000.0] * 3,
                       "age_low": [11, None, 4], "age_high": [16, None, 7], "places": [40, 12, 10]},
                      index=pd.Index(["140001", "U-7", "140009"], name="ap_id"))
    schools = pd.DataFrame({"name": ["Hill Academy", "Vale School", "Town School", "Primary"],
                            "easting": [403_000.0, 400_000.0, 406_000.0, 400_100.0], "northing": [500_000.0] * 4,
                            "age_low": [11, 11, 11, 4], "age_high": [18, 16, 16, 11]},
                           index=pd.Index([100003, 100002, 100004, 100001], name="provider_id"))
    offered = ap_offers(400_000.0, 500_000.0, 13, ap, schools, RULES, k=5, options=2)
    assert [offer["ap_id"] for offer in offered["offers"]] == ["U-7", "140001"]  # the infants' AP is left out
    assert [item["name"] for item in offered["return_options"]] == ["Vale School", "Hill Academy"]
    first = offered["offers"][0]
    assert first["time_limit_weeks"] == 39 and first["return_school"] is None and first["distance_km"] == 1.0
    assert "at most 39 weeks" in first["sentence"] and "Vale School (0.0 km)" in first["sentence"]
    named = ap_offers(400_000.0, 500_000.0, 13, ap, schools, RULES, return_school_urn=100004)
    assert named["offers"][0]["return_school"]["name"] == "Town School"
    assert "returns to Town School, named in the plan" in named["offers"][0]["sentence"]
    with pytest.raises(PlacewiseError):
        ap_offers(400_000.0, 500_000.0, 13, ap, schools, RULES, return_school_urn=999999)
